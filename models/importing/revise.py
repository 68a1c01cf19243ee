"""Revising an item already in the database from its new printed version.

Windows parsed from the printed deadline (`agency_id IS NULL`) are replaced only when
the deadline text changed; an agency's own confirmed windows are never touched, and
a coordinator's reassignments stay.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.importing.parsed import ParsedItem
from models.importing.report import COLUMN_LABELS, ImportReport
from models.importing.rows import (
    AgencyBook,
    Duty,
    Parse,
    insert_rows,
    parse_fields,
    wanted_agencies,
    window_rows,
)
from models.schema.people import Responsibility
from models.schema.plans import Item, ItemChange, Window

#: Item fields a revision compares.
_FIELDS = ("title", "place", "description", "goal", "participants")
#: Responsibilities the importer owns; a coordinator's reassignment is left alone.
_IMPORTED = ("plan", "assignment")


def responsibilities_of(
    session: Session, *, item_ids: list[int]
) -> dict[int, list[Responsibility]]:
    """Every responsibility of the given items, by item id (one query)."""
    held: dict[int, list[Responsibility]] = defaultdict(list)
    if item_ids:
        for row in session.scalars(
            select(Responsibility).where(Responsibility.item_id.in_(item_ids))
        ):
            held[row.item_id].append(row)
    return held


def revise_item(
    session: Session,
    *,
    report: ImportReport,
    item: Item,
    parsed_item: ParsedItem,
    position: int,
    section_id: int | None,
    section_moved: bool,
    agencies: AgencyBook,
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
    if section_moved:
        changed["section"] = [item.section_id, section_id]
    item.section_id = section_id
    item.position = position
    if item.deadline_text != parsed_item.deadline:
        changed["deadline"] = [item.deadline_text, parsed_item.deadline]
        _new_deadline(session, item=item, text=parsed_item.deadline, now=now, parse=parse)
    wanted = wanted_agencies(parsed_item, agencies)
    if names := _sync_responsibilities(session, item=item, held=held, wanted=wanted, now=now):
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
        report.changed_fields[item.number] = [COLUMN_LABELS[name] for name in changed]
    elif item.number not in report.restored:
        report.unchanged.append(item.number)


def _new_deadline(session: Session, *, item: Item, text: str, now: datetime, parse: Parse) -> None:
    deadline = parse(text)
    item.deadline_text = text
    for name, value in parse_fields(deadline).items():
        setattr(item, name, value)
    session.execute(delete(Window).where(Window.item_id == item.id, Window.agency_id.is_(None)))
    session.expire(item, ["windows"])
    rows = window_rows(item.id, deadline, now)
    if rows:
        insert_rows(session, model=Window, rows=rows)


def _sync_responsibilities(
    session: Session,
    *,
    item: Item,
    held: list[Responsibility],
    wanted: dict[int, Duty],
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
        duty = wanted[agency_id]
        session.add(
            Responsibility(
                item_id=item.id,
                agency_id=agency_id,
                side=duty.side,
                source=duty.source,
                role=duty.role,
                note=duty.note,
                person=duty.person,
                created_at=now,
            )
        )
    for row in held:
        kept = wanted.get(row.agency_id)
        if kept is not None and row.source in _IMPORTED:
            row.role, row.note, row.person = kept.role, kept.note, kept.person
    return [sorted(removed), sorted(added)] if removed or added else []


def withdraw_missing(
    session: Session,
    *,
    report: ImportReport,
    existing: dict[str, Item],
    present: set[str],
    now: datetime,
) -> None:
    """Mark the items a revision no longer lists as withdrawn; their rows and history stay."""
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
