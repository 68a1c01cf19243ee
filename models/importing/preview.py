"""What Srok understood of a plan document, before anything is written: `preview_plan`.

A function of the document alone (no database): the same reading the import uses
(importer.read_plan), with the deadlines read into windows and every inference and
doubt spelled out. `to_json()` is what `srok import FILE --dry-run --json` prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from models.importing.importer import plan_deadlines, read_plan, read_plans
from models.importing.parsed import Doubt, ParsedAgency, ParsedItem, ParsedPlan
from models.importing.period import Period
from models.importing.text import clean
from scheduler.rules.deadlines import DeadlineParse


@dataclass
class ItemPreview:
    item: ParsedItem
    section: str | None
    deadline: DeadlineParse


@dataclass
class Preview:
    """A plan as read: the parsed plan, its items with their deadlines, and the doubts."""

    plan: ParsedPlan
    items: list[ItemPreview] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    #: The name the plan is found by at its import («План.xlsx [2027]» for a sheet).
    source_name: str = ""

    def to_json(self) -> dict[str, Any]:
        """The preview contract's JSON shape (see the README's import section)."""
        plan = self.plan
        assert plan.period_start is not None and plan.period_end is not None
        approval = plan.approval
        return {
            "source_name": self.source_name,
            "sheet": plan.sheet,
            "title": plan.title,
            "short_name": plan.short_name,
            "kind": str(plan.kind),
            "period": {
                "start": plan.period_start.isoformat(),
                "end": plan.period_end.isoformat(),
                "source": plan.period_source,
                "explanation": plan.period_explanation,
            },
            "approval": None
            if approval is None
            else {
                "text": approval.text,
                "act": approval.act,
                "number": approval.number,
                "date": approval.date.isoformat() if approval.date else None,
            },
            "columns": [{"header": clean(h), "role": r} for h, r in plan.columns],
            "sections": [{"number": s.number, "title": s.title} for s in plan.sections],
            "items": [_item_json(i) for i in self.items],
            "doubts": [{"line": d.line, "text": d.text} for d in self.doubts],
        }


def preview_plans(
    path: Path,
    *,
    today: date,
    period: Period | None = None,
    name: str | None = None,
    assignments: Path | None = None,
) -> list[Preview]:
    """The preview of each plan in the file at `path` (a workbook may hold several);
    raises ImportFormatError as the import would."""
    readings = read_plans(path, today=today, period=period, name=name, assignments=assignments)
    return [
        _preview(reading.plan, source_name=reading.source_name(path.name)) for reading in readings
    ]


def preview_plan(
    path: Path,
    *,
    today: date,
    period: Period | None = None,
    name: str | None = None,
    assignments: Path | None = None,
) -> Preview:
    """The preview of the one plan at `path`; raises ImportFormatError as the import
    would, and for a workbook of several plans (preview_plans reads them all)."""
    reading = read_plan(path, today=today, period=period, name=name, assignments=assignments)
    return _preview(reading.plan, source_name=reading.source_name(path.name))


def _preview(plan: ParsedPlan, *, source_name: str) -> Preview:
    parse = plan_deadlines(plan)
    preview = Preview(plan=plan, doubts=list(plan.doubts), source_name=source_name)
    for item in plan.items:
        section = plan.sections[item.section].title if item.section is not None else None
        deadline = parse(item.deadline)
        preview.items.append(ItemPreview(item=item, section=section, deadline=deadline))
        preview.doubts.extend(_deadline_doubts(item, deadline))
        if plan.has_agencies and not item.agencies:
            preview.doubts.append(Doubt(item.line, f"пункт {item.number}: не указан ответственный"))
    return preview


def _deadline_doubts(item: ParsedItem, deadline: DeadlineParse) -> list[Doubt]:
    text = clean(item.deadline)
    if not text:
        return [Doubt(item.line, f"пункт {item.number}: срок не указан")]
    if not deadline.windows and not deadline.undated:
        return [Doubt(item.line, f"пункт {item.number}: срок «{text}» не разобран")]
    return [
        Doubt(item.line, f"пункт {item.number}: срок «{text}»: {warning}")
        for warning in deadline.warnings
    ]


def _item_json(preview: ItemPreview) -> dict[str, Any]:
    item, deadline = preview.item, preview.deadline
    return {
        "number": item.number,
        "section": preview.section,
        "title": item.title,
        "deadline": clean(item.deadline),
        "windows": [[a.isoformat(), b.isoformat()] for a, b in deadline.windows],
        "recurrence": deadline.recurrence,
        "tentative": deadline.tentative,
        "undated": deadline.undated,
        "bodies": [_body_json(a) for a in item.agencies],
    }


def _body_json(agency: ParsedAgency) -> dict[str, Any]:
    return {
        "name": agency.name,
        "side": str(agency.side),
        "role": agency.role,
        "note": agency.note,
        "person": agency.person,
    }
