"""Writing a parsed plan into the database: create it, or revise it in place.

Items match by number, so their ids and status history survive a revision. Windows
parsed from the printed deadline (`agency_id IS NULL`) are replaced only when the
deadline text changed; an agency's own confirmed windows are never touched. New items
go in with bulk INSERTs (one round trip per table), which keeps a 10,000-item plan fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from models.base import Base
from models.importing.agencies import TIMEZONES, normalise_name
from models.importing.parsed import ParsedAgency, ParsedItem, ParsedPlan
from models.importing.report import COLUMN_LABELS, DeadlineNote, ImportReport
from models.importing.text import normalise_title
from models.people import Agency, AgencyAlias, Responsibility
from models.plan import Item, ItemChange, Plan, Section, Window
from scheduler.deadlines import DeadlineParse

Parse = Callable[[str], DeadlineParse]
PLAN_TIMEZONE = "Europe/Moscow"
#: Item fields a revision compares, as (attribute, parsed attribute).
_FIELDS = ("title", "place", "description", "goal", "participants")
#: Responsibilities the importer owns; a coordinator's reassignment is left alone.
_IMPORTED = ("plan", "assignment")


def find_plan(session: Session, *, source_name: str, title: str) -> Plan | None:
    """The plan imported before from `source_name`, or else one with the same title."""
    plan = session.scalars(select(Plan).where(Plan.source_name == source_name)).first()
    if plan is not None:
        return plan
    wanted = normalise_title(title)
    for candidate in session.scalars(select(Plan)):
        if normalise_title(candidate.title) == wanted:
            return candidate
    return None


def unchanged_report(
    session: Session, *, plan: Plan, parsed: ParsedPlan, parse: Parse
) -> ImportReport:
    """The report for a file imported before with the same content: nothing is written."""
    report = _report(plan, parsed)
    report.same_file = True
    report.unchanged = [item.number for item in parsed.items]
    _finish(session, report, plan=plan, parsed=parsed, parse=parse)
    return report


def upsert_plan(
    session: Session,
    *,
    parsed: ParsedPlan,
    plan: Plan | None,
    source_name: str,
    checksum: str,
    now: datetime,
    parse: Parse,
) -> ImportReport:
    """Create or revise the plan from `parsed`; flushes, never commits."""
    created = plan is None
    if plan is None:
        plan = Plan(source_name=source_name, imported_at=now)
        session.add(plan)
    _plan_fields(plan, parsed, source_name=source_name, checksum=checksum, now=now)
    session.flush()
    report = _report(plan, parsed)
    report.plan_created = created
    sections = _sync_sections(session, plan, parsed)
    agencies = _AgencyBook(session, now=now)
    agencies.prepare(a for item in parsed.items for a in item.agencies)
    existing = {
        item.number: item for item in session.scalars(select(Item).where(Item.plan_id == plan.id))
    }
    held = _responsibilities(session, [item.id for item in existing.values()])
    fresh: list[tuple[ParsedItem, int]] = []
    for position, parsed_item in enumerate(parsed.items):
        item = existing.get(parsed_item.number)
        section_id = sections[parsed_item.section] if parsed_item.section is not None else None
        if item is None:
            fresh.append((parsed_item, position))
            continue
        _revise(
            session,
            report,
            item,
            parsed_item,
            position=position,
            section_id=section_id,
            agencies=agencies,
            held=held.get(item.id, []),
            now=now,
            parse=parse,
        )
    _insert_new(session, plan, fresh, sections=sections, agencies=agencies, now=now, parse=parse)
    report.created = [p.number for p, _ in fresh]
    _withdraw(session, report, existing, {p.number for p in parsed.items}, now=now)
    _drop_surplus_sections(session, plan, len(parsed.sections))
    session.flush()
    report.new_agencies = agencies.created
    _finish(session, report, plan=plan, parsed=parsed, parse=parse)
    return report


def _plan_fields(
    plan: Plan, parsed: ParsedPlan, *, source_name: str, checksum: str, now: datetime
) -> None:
    plan.title = parsed.title
    plan.kind = parsed.kind
    plan.period_start = parsed.period_start
    plan.period_end = parsed.period_end
    plan.reference_date = parsed.period_start
    plan.signed_on = parsed.signed_on
    plan.source_name = source_name
    plan.checksum = checksum
    plan.timezone = PLAN_TIMEZONE
    plan.updated_at = now


def _report(plan: Plan, parsed: ParsedPlan) -> ImportReport:
    return ImportReport(
        source_name=plan.source_name, plan_id=plan.id, plan_title=plan.title, kind=str(parsed.kind)
    )


def _sync_sections(session: Session, plan: Plan, parsed: ParsedPlan) -> list[int]:
    """Section ids by position, updating the rows already there."""
    rows = {
        s.position: s for s in session.scalars(select(Section).where(Section.plan_id == plan.id))
    }
    for position, section in enumerate(parsed.sections):
        row = rows.get(position)
        if row is None:
            row = Section(plan_id=plan.id, position=position)
            session.add(row)
            rows[position] = row
        row.number, row.title = section.number, section.title
    session.flush()
    return [rows[p].id for p in range(len(parsed.sections))]


def _drop_surplus_sections(session: Session, plan: Plan, count: int) -> None:
    session.execute(delete(Section).where(Section.plan_id == plan.id, Section.position >= count))


class _AgencyBook:
    """Agency ids by normalised name, loaded once; the missing ones made in one batch."""

    def __init__(self, session: Session, *, now: datetime) -> None:
        self.session = session
        self.now = now
        self.created = 0
        self.ids: dict[str, int] = {}
        for agency_id, name in session.execute(select(Agency.id, Agency.name)):
            self.ids.setdefault(normalise_name(name), agency_id)
        for alias, agency_id in session.execute(select(AgencyAlias.alias, AgencyAlias.agency_id)):
            self.ids.setdefault(alias, agency_id)

    def prepare(self, wanted: Iterable[ParsedAgency]) -> None:
        """Create every agency in `wanted` not known yet, with its alias."""
        missing: dict[str, ParsedAgency] = {}
        for parsed in wanted:
            key = normalise_name(parsed.name)
            if key not in self.ids:
                missing.setdefault(key, parsed)
        if not missing:
            return
        rows = [
            {"name": p.name, "side": p.side, "timezone": TIMEZONES[p.side], "created_at": self.now}
            for p in missing.values()
        ]
        ids = _insert_returning_ids(self.session, Agency, rows)
        aliases = [{"agency_id": i, "alias": key} for i, key in zip(ids, missing, strict=True)]
        _insert(self.session, AgencyAlias, aliases)
        self.ids.update(zip(missing, ids, strict=True))
        self.created += len(ids)

    def get(self, parsed: ParsedAgency) -> int:
        return self.ids[normalise_name(parsed.name)]


def _insert(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """A Core executemany: the ORM's bulk path costs more per row than the database does."""
    session.connection().execute(insert(model.__table__), rows)


def _insert_returning_ids(
    session: Session, model: type[Base], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert `rows` and return their new ids in the same order (one batched statement)."""
    table = model.__table__
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.connection().execute(statement, rows).scalars())


def _responsibilities(session: Session, item_ids: list[int]) -> dict[int, list[Responsibility]]:
    held: dict[int, list[Responsibility]] = defaultdict(list)
    if item_ids:
        for row in session.scalars(
            select(Responsibility).where(Responsibility.item_id.in_(item_ids))
        ):
            held[row.item_id].append(row)
    return held


def _parse_fields(parse: DeadlineParse) -> dict[str, Any]:
    return {
        "recurrence": parse.recurrence,
        "tentative": parse.tentative,
        "undated": parse.undated,
        "due": [day.isoformat() for day in parse.due],
        "warnings": list(parse.warnings),
    }


def _window_rows(item_id: int, parse: DeadlineParse, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "item_id": item_id,
            "agency_id": None,
            "start": start,
            "end": end,
            "source": "plan",
            "created_at": now,
        }
        for start, end in parse.windows
    ]


def _insert_new(
    session: Session,
    plan: Plan,
    fresh: list[tuple[ParsedItem, int]],
    *,
    sections: list[int],
    agencies: _AgencyBook,
    now: datetime,
    parse: Parse,
) -> None:
    if not fresh:
        return
    rows = []
    for parsed_item, position in fresh:
        deadline = parse(parsed_item.deadline)
        rows.append(
            {
                "plan_id": plan.id,
                "section_id": sections[parsed_item.section]
                if parsed_item.section is not None
                else None,
                "number": parsed_item.number,
                "position": position,
                **_text_fields(parsed_item),
                **_parse_fields(deadline),
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = _insert_returning_ids(session, Item, rows)
    windows, duties, changes = [], [], []
    for item_id, (parsed_item, _) in zip(ids, fresh, strict=True):
        windows.extend(_window_rows(item_id, parse(parsed_item.deadline), now))
        for agency_id, (side, source) in _wanted(parsed_item, agencies).items():
            duties.append(
                {
                    "item_id": item_id,
                    "agency_id": agency_id,
                    "side": side,
                    "source": source,
                    "created_at": now,
                }
            )
        changes.append(
            {
                "item_id": item_id,
                "kind": "created",
                "detail": {"number": parsed_item.number},
                "created_at": now,
            }
        )
    for model, batch in ((Window, windows), (Responsibility, duties), (ItemChange, changes)):
        if batch:
            _insert(session, model, batch)


def _text_fields(parsed_item: ParsedItem) -> dict[str, Any]:
    return {
        "title": parsed_item.title,
        "place": parsed_item.place,
        "description": parsed_item.description,
        "goal": parsed_item.goal,
        "participants": parsed_item.participants,
        "deadline_text": parsed_item.deadline,
    }


def _wanted(parsed_item: ParsedItem, agencies: _AgencyBook) -> dict[int, tuple[str, str]]:
    """Agency id -> (side, source) for the bodies the document (or assignments) names."""
    wanted: dict[int, tuple[str, str]] = {}
    for parsed in parsed_item.agencies:
        wanted.setdefault(agencies.get(parsed), (str(parsed.side), parsed.source))
    return wanted


def _revise(
    session: Session,
    report: ImportReport,
    item: Item,
    parsed_item: ParsedItem,
    *,
    position: int,
    section_id: int | None,
    agencies: _AgencyBook,
    held: list[Responsibility],
    now: datetime,
    parse: Parse,
) -> None:
    """Bring an existing item in line with the document and record what changed."""
    changed: dict[str, list[Any]] = {}
    for name in _FIELDS:
        new = getattr(parsed_item, name)
        if getattr(item, name) != new:
            changed[name] = [getattr(item, name), new]
            setattr(item, name, new)
    if item.section_id != section_id:
        changed["section"] = [item.section_id, section_id]
        item.section_id = section_id
    item.position = position
    if item.deadline_text != parsed_item.deadline:
        changed["deadline"] = [item.deadline_text, parsed_item.deadline]
        _new_deadline(session, item, parsed_item.deadline, now=now, parse=parse)
    if names := _sync_responsibilities(
        session, item, held, _wanted(parsed_item, agencies), now=now
    ):
        changed["agencies"] = names
    if item.withdrawn_at is not None:
        item.withdrawn_at = None
        session.add(ItemChange(item_id=item.id, kind="restored", detail={}, created_at=now))
        report.restored.append(item.number)
    if changed:
        item.updated_at = now
        session.add(
            ItemChange(
                item_id=item.id,
                kind="updated",
                detail={"fields": _jsonable(changed)},
                created_at=now,
            )
        )
        report.updated.append(item.number)
    elif item.number not in report.restored:
        report.unchanged.append(item.number)


def _new_deadline(session: Session, item: Item, text: str, *, now: datetime, parse: Parse) -> None:
    deadline = parse(text)
    item.deadline_text = text
    for name, value in _parse_fields(deadline).items():
        setattr(item, name, value)
    session.execute(delete(Window).where(Window.item_id == item.id, Window.agency_id.is_(None)))
    session.expire(item, ["windows"])
    rows = _window_rows(item.id, deadline, now)
    if rows:
        _insert(session, Window, rows)


def _sync_responsibilities(
    session: Session,
    item: Item,
    held: list[Responsibility],
    wanted: dict[int, tuple[str, str]],
    *,
    now: datetime,
) -> list[list[int]]:
    """Add and remove the importer's responsibilities; returns [removed ids, added ids] or []."""
    have = {r.agency_id: r for r in held}
    removed = [r.agency_id for r in held if r.source in _IMPORTED and r.agency_id not in wanted]
    added = [agency_id for agency_id in wanted if agency_id not in have]
    for row in held:
        if row.agency_id in removed:
            session.delete(row)
    for agency_id in added:
        side, source = wanted[agency_id]
        session.add(
            Responsibility(
                item_id=item.id, agency_id=agency_id, side=side, source=source, created_at=now
            )
        )
    return [sorted(removed), sorted(added)] if removed or added else []


def _withdraw(
    session: Session,
    report: ImportReport,
    existing: dict[str, Item],
    present: set[str],
    *,
    now: datetime,
) -> None:
    for number, item in existing.items():
        if number in present or item.withdrawn_at is not None:
            continue
        item.withdrawn_at = now
        item.updated_at = now
        session.add(ItemChange(item_id=item.id, kind="withdrawn", detail={}, created_at=now))
        report.withdrawn.append(number)


def _jsonable(changed: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {
        k: [v.isoformat() if isinstance(v, date) else v for v in pair]
        for k, pair in changed.items()
    }


def _finish(
    session: Session, report: ImportReport, *, plan: Plan, parsed: ParsedPlan, parse: Parse
) -> None:
    """Counts and attention lists, read back from what the plan now holds."""
    report.sections = len(parsed.sections)
    report.items = len(parsed.items)
    numbers = {p.number for p in parsed.items}
    rows = session.execute(
        select(Item.number, Responsibility.agency_id)
        .join(Responsibility, Responsibility.item_id == Item.id)
        .where(Item.plan_id == plan.id, Item.withdrawn_at.is_(None))
    ).all()
    report.responsibilities = len(rows)
    report.agencies = len({agency_id for _, agency_id in rows})
    answered = {number for number, _ in rows}
    report.without_agency = [
        p.number for p in parsed.items if p.number not in answered and p.number in numbers
    ]
    for parsed_item in parsed.items:
        deadline = parse(parsed_item.deadline)
        if not deadline.windows or deadline.warnings:
            report.deadline_notes.append(
                DeadlineNote(
                    parsed_item.number,
                    parsed_item.deadline,
                    tuple(deadline.warnings),
                    deadline.undated,
                )
            )
    last = parsed.items[-1]
    if last.missing:
        report.truncated_item = last.number
        report.truncated_missing = [COLUMN_LABELS[k] for k in last.missing]
