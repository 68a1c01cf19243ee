"""A reminder as its recipients read it: the text rendered from `messages/`, the buttons."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy.orm import Session

from messages import format_day, format_window, render
from messages.formatting import LOCALE
from messages.levers import escalation_keyboard
from models.base import ReminderKind
from models.deliveries import agencies_without_contacts
from models.digest import build_digest
from models.dispatch_queue import COORDINATOR_KINDS
from models.levers.people import agency_people
from models.outbox import Reminder
from models.reminder_facts import ReminderFacts, reminder_facts
from scheduler.sending import Button

#: Status buttons of a reminder: (label, code in `st:<reminder_id>:<code>`), two rows.
STATUS_BUTTON_ROWS: tuple[tuple[tuple[str, str], ...], ...] = (
    (("В работе", "ip"), ("Выполнено", "dn")),
    (("Перенос", "pp"), ("Отменено", "cn"), ("Комментарий", "cm")),
)
#: Agencies without contacts a digest lists before «… и ещё N».
DIGEST_LIMIT = 15
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def status_buttons(reminder_id: int) -> tuple[tuple[Button, ...], ...]:
    """The status keyboard of an agency reminder (callback data checked by the bot)."""
    return tuple(
        tuple(Button(label, f"st:{reminder_id}:{code}") for label, code in row)
        for row in STATUS_BUTTON_ROWS
    )


def describe_window(window: tuple[date, date] | None) -> str:
    """«II квартал 2026 г., 1 апреля – 30 июня»; a window with no name: its dates in words."""
    if window is None:
        return "дата не определена"
    start, end = window
    name = _period_name(start, end)
    if name is None:
        return format_window(window)
    return f"{name}, {format_day(start, with_year=False)} – {format_day(end, with_year=False)}"


def _window_words(facts: ReminderFacts) -> str:
    """The reminder's own window in words, else every window binding the agency."""
    if facts.window is not None or not facts.windows:
        return describe_window(facts.window)
    return "; ".join(describe_window(window) for window in facts.windows)


def _period_name(start: date, end: date) -> str | None:
    """The calendar period a window is exactly, if any (year, half, quarter, month)."""
    if start.year != end.year or start.day != 1 or _next_day(end).day != 1:
        return None
    months = end.month - start.month + 1
    year = f"{start.year} г."
    if months == 12:
        return year
    if months == 6 and start.month in (1, 7):
        return f"{_ROMAN[1 + start.month // 7]} полугодие {year}"
    if months == 3 and start.month % 3 == 1:
        return f"{_ROMAN[1 + start.month // 3]} квартал {year}"
    if months == 1:
        return f"{format_date(start, 'LLLL', locale=LOCALE)} {year}"
    return None


def _next_day(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def render_reminder(facts: ReminderFacts, *, extra: dict[str, object] | None = None) -> str:
    """The HTML text of a reminder of any kind but the digest."""
    return render(
        f"reminders/{facts.kind.value}.j2",
        facts=facts,
        window_words=_window_words(facts),
        with_agency=facts.kind in COORDINATOR_KINDS,
        **(extra or {}),
    )


def reminder_content(
    session: Session, *, reminder_id: int, now: datetime, facts: ReminderFacts | None = None
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """Text and buttons of one reminder; coordinators' kinds carry no status buttons.

    Pass `facts` when they were read in bulk; only a digest then reads the database.
    """
    facts = facts or reminder_facts(session, reminder_id=reminder_id)
    if facts.kind == ReminderKind.DIGEST:
        return digest_text(session, now=now), ()
    if facts.kind == ReminderKind.ESCALATION:
        return escalation_content(session, facts)
    text = render_reminder(facts)
    buttons = () if facts.kind in COORDINATOR_KINDS else status_buttons(facts.reminder_id)
    return text, buttons


def escalation_content(
    session: Session, facts: ReminderFacts
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """An escalation names the agency's contacts to call and carries the coordinator's
    levers («Напомнить ещё раз», «Снять с контроля»)."""
    reminder = session.get(Reminder, facts.reminder_id)
    if reminder is None or reminder.item_id is None or reminder.agency_id is None:
        return render_reminder(facts, extra={"people": []}), ()
    people = agency_people(session, agency_id=reminder.agency_id).people
    rows = escalation_keyboard(reminder.item_id, reminder.agency_id)
    buttons = tuple(tuple(Button(label, data) for label, data in row) for row in rows)
    return render_reminder(facts, extra={"people": people}), buttons


def digest_text(session: Session, *, now: datetime) -> str:
    """The weekly digest, with the agencies whose reminders found no active contact."""
    return render(
        "reminders/digest.j2",
        digest=build_digest(session, now=now),
        silent=agencies_without_contacts(session),
        limit=DIGEST_LIMIT,
    )


def problem_text(
    session: Session, *, reminder_id: int, blocked: bool, error: str, contact_name: str
) -> str:
    """The notice coordinators get when a contact blocked the bot or a message was refused."""
    facts = reminder_facts(session, reminder_id=reminder_id)
    return render(
        "reminders/delivery_problem.j2",
        facts=facts,
        blocked=blocked,
        error=error,
        contact_name=contact_name,
    )
