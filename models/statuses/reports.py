"""Status reports: append-only history per item and agency; the latest one counts."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models.db import core
from models.schema.plans import Item, Plan
from models.schema.reminders import Reminder
from models.schema.statuses import StatusReport
from models.statuses.by_window import window_of
from models.statuses.windows import agency_windows
from scheduler.rules.domain import DateWindow, Status

#: Statuses after which an agency owes nothing more for an item.
CLOSED = frozenset({Status.DONE, Status.CANCELLED})


#: Core, not the ORM unit of work: a report is appended on every press.
_INSERT_REPORT = insert(StatusReport.__table__)


def record_report(
    session: Session,
    *,
    item_id: int,
    agency_id: int,
    status: Status | None,
    comment: str | None,
    now: datetime,
    source: str,
    contact_id: int | None = None,
    author: str = "",
    reminder_id: int | None = None,
    telegram_message_id: int | None = None,
    update_id: int | None = None,
    window: DateWindow | None = None,
) -> None:
    """Append one report (a status, a comment, or both) about `window`: a reminder's own,
    the one a card showed; without one, see `report_window`."""
    if window is None:
        window = report_window(
            session, item_id=item_id, agency_id=agency_id, now=now, reminder_id=reminder_id
        )
    core(session).execute(
        _INSERT_REPORT,
        [
            {
                "item_id": item_id,
                "agency_id": agency_id,
                "status": status,
                "comment": comment,
                "contact_id": contact_id,
                "author": author,
                "source": source,
                "reminder_id": reminder_id,
                "telegram_message_id": telegram_message_id,
                "update_id": update_id,
                "window_start": window[0] if window else None,
                "window_end": window[1] if window else None,
                "created_at": now,
            }
        ],
    )


def report_window(
    session: Session,
    *,
    item_id: int,
    agency_id: int,
    now: datetime,
    reminder_id: int | None = None,
) -> DateWindow | None:
    """The window a report made at `now` without a window of its own is about: the window
    of the reminder it answers (a reply in words) while that still binds the agency, else
    the current or latest past one of its binding windows (None: the item has none)."""
    binding = agency_windows(session, item_id=item_id, agency_id=agency_id)
    if reminder_id is not None and len(binding) > 1:
        row = session.execute(
            select(Reminder.window_start, Reminder.window_end).where(Reminder.id == reminder_id)
        ).first()
        if row is not None and (row.window_start, row.window_end) in binding:
            return row.window_start, row.window_end
    return window_of(plan_day(session, item_id=item_id, now=now), binding)


def plan_day(session: Session, *, item_id: int, now: datetime) -> date:
    """The day `now` falls on in the item's plan (its time zone's calendar, as its windows
    are printed), not UTC's: at 01:30 in Moscow on 1 June, June's window has begun."""
    timezone = session.scalar(
        select(Plan.timezone).join(Item, Item.plan_id == Plan.id).where(Item.id == item_id)
    )
    return now.astimezone(ZoneInfo(timezone)).date() if timezone else now.date()


def current_statuses(
    session: Session, *, item_ids: Collection[int] | None = None
) -> dict[tuple[int, int], Status]:
    """The latest status per (item_id, agency_id); pairs with no status report are absent."""
    latest = select(func.max(StatusReport.id)).where(StatusReport.status.is_not(None))
    if item_ids is not None:
        latest = latest.where(StatusReport.item_id.in_(list(item_ids)))
    latest = latest.group_by(StatusReport.item_id, StatusReport.agency_id)
    rows = session.execute(
        select(StatusReport.item_id, StatusReport.agency_id, StatusReport.status).where(
            StatusReport.id.in_(latest)
        )
    )
    return {(item_id, agency_id): status for item_id, agency_id, status in rows}


def overall_status(statuses: Iterable[Status]) -> Status:
    """One item's status from its agencies' statuses (missing ones count as planned)."""
    values = list(statuses)
    if not values:
        return Status.PLANNED
    if all(s == Status.CANCELLED for s in values):
        return Status.CANCELLED
    if all(s in CLOSED for s in values):
        return Status.DONE
    if Status.POSTPONED in values:
        return Status.POSTPONED
    if any(s in {Status.IN_PROGRESS, Status.DONE} for s in values):
        return Status.IN_PROGRESS
    return Status.PLANNED


def history(session: Session, *, item_id: int, agency_id: int | None = None) -> list[StatusReport]:
    """Every report of an item (of one agency when given), oldest first."""
    query = select(StatusReport).where(StatusReport.item_id == item_id)
    if agency_id is not None:
        query = query.where(StatusReport.agency_id == agency_id)
    return list(session.scalars(query.order_by(StatusReport.id)))
