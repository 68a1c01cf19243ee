"""`/remind <item>`: manual reminders, due now, for the agencies that still owe the item.

The rows go into the outbox like any other reminder and the dispatcher sends them; the
slot is the moment of the request, so each /remind makes its own reminders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.people import Agency, Contact, Responsibility
from models.schema.plans import Item
from models.schema.reminders import Reminder
from models.statuses.by_window import status_of_window, statuses_by_window
from models.statuses.reports import CLOSED, current_statuses
from models.statuses.windows import windows_by_item
from scheduler.rules.domain import DateWindow, ReminderKind, ReminderState, Role
from scheduler.rules.policy import dedup_key, relevant_window


@dataclass
class ManualResult:
    """What /remind did, by agency name."""

    reminded: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    without_contacts: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    reminder_ids: list[int] = field(default_factory=list)


def remind_item(session: Session, *, item_id: int, now: datetime, today: date) -> ManualResult:
    """Plan a MANUAL reminder due `now` for each open agency of the item that has a contact."""
    result = ManualResult()
    statuses = current_statuses(session, item_ids=[item_id])
    per_window = statuses_by_window(session, item_ids=[item_id])
    windows = windows_by_item(session, item_ids=[item_id]).get(item_id, {})
    for agency in _agencies(session, item_id):
        pair = (item_id, agency.id)
        window = relevant_window(list(windows.get(agency.id) or windows.get(None) or []), today)
        # A recurring item: closed is the reminded window's status, not another's.
        if status_of_window(per_window.get(pair), window, statuses.get(pair)) in CLOSED:
            result.closed.append(agency.name)
            continue
        if not _has_contact(session, agency.id):
            result.without_contacts.append(agency.name)
            continue
        reminder_id = add_manual_reminder(
            session, item_id=item_id, agency_id=agency.id, window=window, now=now
        )
        if reminder_id is None:
            result.already.append(agency.name)
            continue
        result.reminded.append(agency.name)
        result.reminder_ids.append(reminder_id)
    return result


def _agencies(session: Session, item_id: int) -> list[Agency]:
    live = select(Item.id).where(Item.id == item_id, Item.withdrawn_at.is_(None))
    return list(
        session.scalars(
            select(Agency)
            .join(Responsibility, Responsibility.agency_id == Agency.id)
            .where(Responsibility.item_id.in_(live))
            .order_by(Responsibility.side, Agency.name)
        )
    )


def _has_contact(session: Session, agency_id: int) -> bool:
    found = session.scalar(
        select(Contact.id)
        .where(
            Contact.agency_id == agency_id,
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
        .limit(1)
    )
    return found is not None


def add_manual_reminder(
    session: Session, *, item_id: int, agency_id: int, window: DateWindow | None, now: datetime
) -> int | None:
    """A MANUAL reminder due `now` for one agency of the item, about `window`; its id, or
    None when the same request (same second) made it already."""
    slot = now.strftime("%Y%m%dT%H%M%S")
    start, end = window if window is not None else (None, None)
    key = dedup_key(item_id, agency_id, ReminderKind.MANUAL, start, end, slot)
    if session.scalar(select(Reminder.id).where(Reminder.dedup_key == key)) is not None:
        return None
    reminder = Reminder(
        dedup_key=key,
        item_id=item_id,
        agency_id=agency_id,
        kind=ReminderKind.MANUAL,
        window_start=start,
        window_end=end,
        slot=slot,
        due_at=now,
        state=ReminderState.PENDING,
        created_at=now,
        updated_at=now,
    )
    session.add(reminder)
    session.flush()
    return reminder.id
