"""What is in the database, in the stable JSON shapes of `srok items` and `srok agencies`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.people import Agency, Responsibility
from models.schema.plans import Item, Plan, Section, Window
from models.statuses.by_window import status_now, statuses_by_window
from models.statuses.reports import current_statuses, overall_status
from scheduler.rules.domain import Status


def list_items(
    session: Session, *, plan_id: int | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Every item (withdrawn ones flagged), by plan and position, with windows and agencies.

    Each agency has its `status` (its current or latest past window's on `today`; without
    `today`, its latest report's) and `windows_status` (each window's, see
    `models.statuses.by_window`); the item's `status` is the overall one of those."""
    query = (
        select(Item, Plan.title, Section.title)
        .join(Plan, Plan.id == Item.plan_id)
        .outerjoin(Section, Section.id == Item.section_id)
        .order_by(Item.plan_id, Item.position, Item.id)
    )
    if plan_id is not None:
        query = query.where(Item.plan_id == plan_id)
    rows = session.execute(query).all()
    ids = [item.id for item, _, _ in rows]
    windows = _windows(session, ids)
    agencies = _agencies(session, ids)
    statuses = current_statuses(session, item_ids=ids) if ids else {}
    per_window = statuses_by_window(session, item_ids=ids)
    out = []
    for item, plan_title, section_title in rows:
        held = agencies.get(item.id, [])
        shown = []
        current: list[Status] = []
        for agency, side in held:
            latest = statuses.get((item.id, agency.id), Status.PLANNED)
            windows_of = per_window.get((item.id, agency.id))
            now_status = latest if today is None else status_now(windows_of, today, latest)
            current.append(now_status)
            shown.append(
                {
                    "name": agency.name,
                    "side": str(side),
                    "status": str(now_status),
                    "windows_status": [
                        {"window": [s.isoformat(), e.isoformat()], "status": str(st)}
                        for (s, e), st in windows_of or []
                    ],
                }
            )
        status = overall_status(current)
        out.append(
            {
                "plan": item.plan_id,
                "plan_title": plan_title,
                "number": item.number,
                "section": section_title,
                "title": item.title,
                "deadline": item.deadline_text,
                "windows": windows.get(item.id, []),
                "agencies": shown,
                "status": str(status),
                "withdrawn": item.withdrawn_at is not None,
                "tentative": item.tentative,
                "undated": item.undated,
                "recurrence": item.recurrence,
                "due": list(item.due or []),
                "warnings": list(item.warnings or []),
            }
        )
    return out


def list_agencies(session: Session) -> list[dict[str, Any]]:
    """Every agency with its side, time zone and the numbers of its current items."""
    items: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(Responsibility.agency_id, Item.number)
        .join(Item, Item.id == Responsibility.item_id)
        .where(Item.withdrawn_at.is_(None))
        .order_by(Item.plan_id, Item.position)
    )
    for agency_id, number in rows:
        items[agency_id].append(number)
    agencies = session.scalars(select(Agency).order_by(Agency.side.desc(), Agency.name))
    return [
        {"name": a.name, "side": str(a.side), "timezone": a.timezone, "items": items.get(a.id, [])}
        for a in agencies
    ]


def _windows(session: Session, ids: list[int]) -> dict[int, list[list[str]]]:
    """The printed deadline's windows (agency_id IS NULL) per item, as ISO pairs."""
    found: dict[int, list[list[str]]] = defaultdict(list)
    if not ids:
        return found
    query = (
        select(Window.item_id, Window.start, Window.end)
        .where(Window.item_id.in_(ids), Window.agency_id.is_(None))
        .order_by(Window.item_id, Window.start)
    )
    for item_id, start, end in session.execute(query):
        found[item_id].append([start.isoformat(), end.isoformat()])
    return found


def _agencies(session: Session, ids: list[int]) -> dict[int, list[tuple[Agency, str]]]:
    found: dict[int, list[tuple[Agency, str]]] = defaultdict(list)
    if not ids:
        return found
    query = (
        select(Responsibility.item_id, Agency, Responsibility.side)
        .join(Agency, Agency.id == Responsibility.agency_id)
        .where(Responsibility.item_id.in_(ids))
        .order_by(Responsibility.item_id, Responsibility.side.desc(), Responsibility.id)
    )
    for item_id, agency, side in session.execute(query):
        found[item_id].append((agency, side))
    return found
