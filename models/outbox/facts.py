"""What a reminder's text says: its item, agency and window, read in bulk."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.schema.people import Agency
from models.schema.plans import Item, Plan
from models.schema.reminders import Reminder
from models.statuses.by_window import status_of_window, statuses_by_window
from models.statuses.reports import current_statuses
from models.statuses.windows import windows_by_item
from scheduler.rules.domain import DateWindow, ReminderKind, Status


@dataclass(frozen=True)
class ReminderFacts:
    """The plain data a reminder template needs; no ORM object leaves the session."""

    reminder_id: int
    kind: ReminderKind
    item_number: str | None = None
    item_title: str | None = None
    deadline_text: str = ""
    plan_title: str | None = None
    agency_name: str | None = None
    window: tuple[date, date] | None = None
    #: Every window binding the agency (its own dates, else the printed ones), for
    #: reminders that are not about one window: asking for a date, a manual reminder.
    windows: tuple[tuple[date, date], ...] = ()
    status: Status = Status.PLANNED
    #: Who gave `status`, when a list shows it beside the item (a colleague's answer).
    status_by: str | None = None


def reminder_facts_many(
    session: Session, *, reminder_ids: Collection[int]
) -> dict[int, ReminderFacts]:
    """The facts of several reminders in two queries, by reminder id."""
    rows = session.execute(
        select(
            Reminder.id,
            Reminder.kind,
            Reminder.window_start,
            Reminder.window_end,
            Reminder.item_id,
            Reminder.agency_id,
            Item.number,
            Item.title,
            Item.deadline_text,
            # The short name from the import (the full title of a plan read before it).
            func.coalesce(Plan.short_name, Plan.title).label("plan_title"),
            Agency.name,
        )
        .outerjoin(Item, Item.id == Reminder.item_id)
        .outerjoin(Plan, Plan.id == Item.plan_id)
        .outerjoin(Agency, Agency.id == Reminder.agency_id)
        .where(Reminder.id.in_(list(reminder_ids)))
    ).all()
    item_ids = {row.item_id for row in rows if row.item_id is not None}
    statuses = current_statuses(session, item_ids=item_ids) if item_ids else {}
    windows = windows_by_item(session, item_ids=item_ids) if item_ids else {}
    # A recurring item's reminder speaks of its own window's status, not of another's.
    recurring = {
        row.item_id
        for row in rows
        if row.window_start is not None
        and len(_binding(windows.get(row.item_id, {}), row.agency_id)) > 1
    }
    per_window = statuses_by_window(session, item_ids=recurring) if recurring else {}
    return {
        row.id: ReminderFacts(
            reminder_id=row.id,
            kind=row.kind,
            item_number=row.number,
            item_title=row.title,
            deadline_text=row.deadline_text or "",
            plan_title=row.plan_title,
            agency_name=row.name,
            window=(row.window_start, row.window_end)
            if row.window_start is not None and row.window_end is not None
            else None,
            windows=_binding(windows.get(row.item_id, {}), row.agency_id),
            status=_status(row, statuses, per_window),
        )
        for row in rows
    }


def _status(
    row: Any,
    statuses: dict[tuple[int, int], Status],
    per_window: dict[tuple[int, int], list[tuple[DateWindow, Status]]],
) -> Status:
    """The agency's status: of the reminder's own window for a recurring item."""
    pair = (row.item_id, row.agency_id)
    window = (row.window_start, row.window_end)
    return status_of_window(per_window.get(pair), window, statuses.get(pair)) or Status.PLANNED


def _binding(
    by_agency: dict[int | None, list[tuple[date, date]]], agency_id: int | None
) -> tuple[tuple[date, date], ...]:
    """The agency's own windows when it named some, else the printed ones."""
    own = by_agency.get(agency_id) if agency_id is not None else None
    return tuple(own or by_agency.get(None) or ())


def reminder_facts(session: Session, *, reminder_id: int) -> ReminderFacts:
    """The facts of one reminder (item, plan, agency, window, the agency's status)."""
    return reminder_facts_many(session, reminder_ids=[reminder_id])[reminder_id]
