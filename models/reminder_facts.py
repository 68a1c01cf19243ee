"""What a reminder's text says: its item, agency and window, read in one short query."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.base import ReminderKind, ReminderState, Status
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
    #: For digests: counts of reminders by state and the agencies nobody can be told.
    counts: dict[str, int] = field(default_factory=dict)


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
    counts: dict[str, int] = {}
    if reminder.kind == ReminderKind.DIGEST:
        counts = reminder_counts(session)
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
        counts=counts,
    )


def reminder_counts(session: Session) -> dict[str, int]:
    """Reminders per state, every state present (zero when none)."""
    rows = session.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all()
    counts = {str(state.value): 0 for state in ReminderState}
    counts.update({str(ReminderState(state).value): n for state, n in rows})
    return counts
