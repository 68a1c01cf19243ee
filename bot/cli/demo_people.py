"""The demo's invented people: one contact per agency, a coordinator, their answers."""

from __future__ import annotations

import zlib
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.people import Agency, Contact
from models.schema.plans import Item
from models.schema.reminders import Reminder
from models.statuses.answer_targets import match_items
from models.statuses.reports import record_report
from models.statuses.windows import set_agency_windows
from scheduler.rules.answers import read_answer
from scheduler.rules.domain import ReminderKind, Role, Status

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
            # An answer to a reminder is about its window.
            window=(reminder.window_start, reminder.window_end)
            if reminder.window_start is not None and reminder.window_end is not None
            else None,
        )
        answers.append((reminder, status))
    return answers


def next_pending_due(session: Session, *, after: datetime) -> datetime | None:
    """When the next pending reminder falls due after `after` (None when none is left)."""
    from sqlalchemy import func

    from scheduler.rules.domain import ReminderState

    return session.scalar(
        select(func.min(Reminder.due_at)).where(
            Reminder.state == ReminderState.PENDING, Reminder.due_at > after
        )
    )


#: Months in the genitive, for the dates the invented contacts name («10–12 октября»).
_GENITIVE = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip


def date_reply_text(day: date) -> str:
    """What an invented contact answers to «Назовите, пожалуйста, дату» on `day`: a
    three-day event two months on, in words («10–12 октября 2026 г.»)."""
    month = (day.month + 1) % 12 + 1
    year = day.year + (1 if month < day.month else 0)
    return f"10–12 {_GENITIVE[month - 1]} {year} г."


def answer_date_requests(
    session: Session, *, reminder_ids: list[int], today: date, now: datetime
) -> list[tuple[Reminder, str, list[tuple[date, date]]]]:
    """The invented contacts name the date a date request asks for: the words are read by
    the deadline engine and become the agency's window (no «Перенос»)."""
    answered: list[tuple[Reminder, str, list[tuple[date, date]]]] = []
    if not reminder_ids:
        return answered
    for reminder in session.scalars(select(Reminder).where(Reminder.id.in_(reminder_ids))):
        if reminder.item_id is None or reminder.agency_id is None:
            continue
        text = date_reply_text(today)
        windows = list(read_answer(text, reference=today).windows)
        if not windows:
            continue
        set_agency_windows(
            session,
            item_id=reminder.item_id,
            agency_id=reminder.agency_id,
            windows=windows,
            now=now,
            text=text,
        )
        answered.append((reminder, text, windows))
    return answered


def in_words(session: Session, *, reminder: Reminder, status: Status, today: date) -> str | None:
    """Some invented contacts write their answer without «reply» («по п. 13 выполнено»):
    the words, when they find this very item among the agency's; else None."""
    key = f"words:{reminder.item_id}:{reminder.agency_id}:{reminder.window_start}"
    if status != Status.DONE or reminder.agency_id is None or zlib.crc32(key.encode()) % 4:
        return None
    item = session.get(Item, reminder.item_id)
    if item is None:
        return None
    text = f"по п. {item.number} выполнено"
    match = match_items(session, agency_id=reminder.agency_id, text=text, today=today)
    if [entry.item_id for entry in match.items] != [reminder.item_id]:
        return None
    return text
