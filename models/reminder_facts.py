"""What a reminder's text says: its item, agency and window, read in one short query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from models.base import ReminderKind, Status
from models.outbox import Reminder
from models.people import Agency
from models.plan import Item, Plan
from models.statuses import current_statuses


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
    status: Status = Status.PLANNED


def reminder_facts(session: Session, *, reminder_id: int) -> ReminderFacts:
    """The facts of one reminder (item, plan, agency, window, the agency's status)."""
    reminder = session.get_one(Reminder, reminder_id)
    window = None
    if reminder.window_start is not None and reminder.window_end is not None:
        window = (reminder.window_start, reminder.window_end)
    item = session.get(Item, reminder.item_id) if reminder.item_id is not None else None
    plan = session.get(Plan, item.plan_id) if item is not None else None
    agency = session.get(Agency, reminder.agency_id) if reminder.agency_id is not None else None
    status = Status.PLANNED
    if item is not None and agency is not None:
        statuses = current_statuses(session, item_ids=[item.id])
        status = statuses.get((item.id, agency.id), Status.PLANNED)
    return ReminderFacts(
        reminder_id=reminder.id,
        kind=reminder.kind,
        item_number=item.number if item else None,
        item_title=item.title if item else None,
        deadline_text=item.deadline_text if item else "",
        plan_title=plan.title if plan else None,
        agency_name=agency.name if agency else None,
        window=window,
        status=status,
    )
