"""The demo's invented people: one contact per agency, a coordinator, their answers."""

from __future__ import annotations

import zlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import ReminderKind, Role, Status
from models.outbox import Reminder
from models.people import Agency, Contact
from models.statuses import record_report

#: The invented coordinator's chat.
COORDINATOR_CHAT = 1
#: Agency contacts' chats are this plus the agency id.
CONTACT_CHAT_BASE = 100_000


def invent_contacts(session: Session, *, now: datetime) -> dict[int, str]:
    """One active contact per agency and one coordinator; returns chat id -> who reads it."""
    names = {COORDINATOR_CHAT: "координатор плана"}
    session.add(
        Contact(
            user_id=COORDINATOR_CHAT,
            chat_id=COORDINATOR_CHAT,
            role=Role.COORDINATOR,
            name="Координатор",
            created_at=now,
        )
    )
    for agency in session.scalars(select(Agency).order_by(Agency.id)):
        chat_id = CONTACT_CHAT_BASE + agency.id
        session.add(
            Contact(
                user_id=chat_id,
                chat_id=chat_id,
                agency_id=agency.id,
                role=Role.CONTACT,
                name=f"Контакт ({agency.name})",
                created_at=now,
            )
        )
        names[chat_id] = f"{agency.name} [{agency.side.value}]"
    session.flush()
    return names


def simulated_answer(reminder: Reminder) -> Status | None:
    """How the invented contact answers a status request: most report on time, some late.

    Deterministic per item, agency and window, so every demo run tells the same story:
    7 in 10 answer «Выполнено» at once, 1 in 10 only after the repeat, 1 in 10 say «В
    работе» and stay there, 1 in 10 never answer (and are escalated).
    """
    key = f"{reminder.item_id}:{reminder.agency_id}:{reminder.window_start}"
    bucket = zlib.crc32(key.encode()) % 10
    if reminder.kind == ReminderKind.STATUS_REQUEST:
        return Status.DONE if bucket < 7 else Status.IN_PROGRESS if bucket == 8 else None
    if reminder.kind == ReminderKind.REPEAT:
        return Status.DONE if bucket == 7 else None
    return None


def answer_sent_reminders(
    session: Session, *, reminder_ids: list[int], now: datetime
) -> list[tuple[Reminder, Status]]:
    """Record the invented contacts' answers to the reminders just sent."""
    answers: list[tuple[Reminder, Status]] = []
    if not reminder_ids:
        return answers
    reminders = session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids)))
    for reminder in reminders:
        status = simulated_answer(reminder)
        if status is None or reminder.item_id is None or reminder.agency_id is None:
            continue
        record_report(
            session,
            item_id=reminder.item_id,
            agency_id=reminder.agency_id,
            status=status,
            comment=None,
            now=now,
            source="demo",
            author="демо-контакт",
            reminder_id=reminder.id,
        )
        answers.append((reminder, status))
    return answers


def next_pending_due(session: Session, *, after: datetime) -> datetime | None:
    """When the next pending reminder falls due after `after` (None when none is left)."""
    from sqlalchemy import func

    from models.base import ReminderState

    return session.scalar(
        select(func.min(Reminder.due_at)).where(
            Reminder.state == ReminderState.PENDING, Reminder.due_at > after
        )
    )
