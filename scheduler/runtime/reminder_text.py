"""A reminder as its recipients read it: the text rendered from `messages/`, the buttons."""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date
from sqlalchemy.orm import Session

from messages import format_day, format_window, render, render_plain
from messages.buttons import back_to_list_data, open_card_data, status_rows
from messages.fit import render_fitted
from messages.formatting import LOCALE, distinct_labels
from messages.levers import escalation_keyboard
from messages.report_keys import detail_rows
from models.levers.people import agency_people
from models.outbox.deliveries import agencies_without_contacts
from models.outbox.facts import ReminderFacts, reminder_facts
from models.outbox.queue import COORDINATOR_KINDS
from models.reports.digest import build_digest
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderKind
from scheduler.runtime.sending import Button

#: Items one batched message lists at most: with titles cut near 120 characters, the
#: list fits one Telegram message, so the card can turn back into it by an edit.
BATCH_MAX = 12
#: Agencies without contacts a digest lists before «… и ещё N».
DIGEST_LIMIT = 15
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def status_buttons(reminder_id: int, *, name_date: bool = False) -> tuple[tuple[Button, ...], ...]:
    """The status keyboard of an agency reminder (`messages.buttons`; checked by the bot
    when pressed); `name_date`: a date request, which also offers «Назвать дату»."""
    rows = status_rows(reminder_id, name_date=name_date)
    return tuple(tuple(Button(label, data) for label, data in row) for row in rows)


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
        return digest_text(session, now=now), digest_buttons()
    if facts.kind == ReminderKind.ESCALATION:
        return escalation_content(session, facts)
    text = render_reminder(facts)
    if facts.kind in COORDINATOR_KINDS:
        return text, ()
    return text, status_buttons(facts.reminder_id, name_date=facts.kind == ReminderKind.ASK_DATE)


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
    """The weekly digest, with the agencies whose reminders found no active contact; one
    message (the lists shorten until it fits)."""
    return render_fitted(
        "reminders/digest.j2",
        limits=(DIGEST_LIMIT, 10, 5, 3, 1),
        digest=build_digest(session, now=now),
        silent=agencies_without_contacts(session),
    )


def digest_buttons() -> tuple[tuple[Button, ...], ...]:
    """«Все просроченные» / «По органам» «По разделам» under the digest."""
    return tuple(tuple(Button(label, data) for label, data in row) for row in detail_rows(None))


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


def card_button(facts: ReminderFacts, label: str | None = None) -> Button:
    """The button of a batched message that opens one item's card (`cd:<reminder_id>`);
    `label`: the item's number as the list shows it (see `batch_content`)."""
    text = render_plain(
        "reminders/batch_button.j2",
        back=False,
        number=label if label is not None else facts.item_number or "",
        title=facts.item_title or "",
    )
    return Button(text, open_card_data(facts.reminder_id))


def _number_key(number: str | None) -> tuple[tuple[int, str], ...]:
    """«1.10» after «1.9»: the parts of an item number, numbers compared as numbers."""
    parts = re.split(r"[.\s]+", number or "")
    return tuple((int(p), "") if p.isdigit() else (1 << 30, p) for p in parts if p)


def batch_order(facts: list[ReminderFacts]) -> list[ReminderFacts]:
    """The items of a batched message in the order it lists them: by plan, by number."""
    return sorted(facts, key=lambda f: (f.plan_title or "", _number_key(f.item_number)))


def batch_content(facts: list[ReminderFacts]) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """One message for several reminders due for one chat: a line and a button each."""
    ordered = batch_order(facts)
    # Two items listed with one number (two plans, or one person's two agencies) say which.
    labels = distinct_labels(
        [(f.item_number or "", f.plan_title or "", f.agency_name or "") for f in ordered]
    )
    lines = [
        {"index": index, "plan": f.plan_title or "", "facts": f, "label": label}
        for index, (f, label) in enumerate(zip(ordered, labels, strict=True), start=1)
    ]
    text = render("reminders/batch.j2", lines=lines)
    return text, tuple((card_button(f, label),) for f, label in zip(ordered, labels, strict=True))


def card_content(
    session: Session, *, reminder_id: int, now: datetime
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """An item's card opened from a batched message: the reminder as it would have gone
    alone, its status buttons, and a way back to the list."""
    text, buttons = reminder_content(session, reminder_id=reminder_id, now=now)
    return text, (*buttons, (back_button(reminder_id),))


def back_button(reminder_id: int) -> Button:
    """«← Все пункты на сегодня»: the card turns back into its batched message."""
    return Button(
        render_plain("reminders/batch_button.j2", back=True), back_to_list_data(reminder_id)
    )
