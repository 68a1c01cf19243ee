"""Confirmations: what a contact's words would record is shown back for one tap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardMarkup

from bot.access import Refused
from bot.chat import send_to_chat
from bot.copies import CopyEdit, copy_edits, show_copies
from bot.handlers.levers import markup
from bot.keyboards import confirm_keyboard
from bot.levers import postponement_notices
from bot.replanning import replan
from bot.services import Services
from messages import format_windows, render
from messages.levers import Keyboard
from models.chats.questions import CONFIRM_STATUS, open_question, resolve
from models.outbox.deliveries import coordinator_chats
from models.schema.chats import PendingQuestion
from models.schema.people import Agency, Contact
from models.statuses.agency_items import item_heading
from models.statuses.contact import change_window, report_status
from models.statuses.reports import report_window
from models.statuses.windows import agency_windows, windows_by_item
from scheduler.rules.domain import Status


@dataclass
class Outcome:
    """The text that replaces the confirmation, and notices owed to coordinators."""

    text: str
    notices: list[tuple[int, str]] = field(default_factory=list)
    #: A postponement waiting for approval: (chat, text, «Согласовать» / «Отклонить»).
    requests: list[tuple[int, str, Keyboard]] = field(default_factory=list)
    #: The other contacts' copies of the item's reminder, to show the answer on.
    copies: list[CopyEdit] = field(default_factory=list)

    async def notify(self, bot: Bot, services: Services) -> None:
        """Send the notices and requests (see `send_to_chat`: blocked, refused, upgraded
        chats)."""
        sends = [(chat, text, None) for chat, text in self.notices]
        sends += [(chat, text, markup(rows)) for chat, text, rows in self.requests]
        for chat_id, text, keyboard in sends:
            await send_to_chat(bot, services, chat_id, text, keyboard)
        await show_copies(bot, self.copies)


def _windows(payload: dict[str, Any], key: str = "windows") -> list[tuple[date, date]]:
    return [(date.fromisoformat(s), date.fromisoformat(e)) for s, e in payload.get(key) or []]


def ask_confirmation(
    session: Session,
    *,
    contact: Contact,
    item_id: int,
    agency_id: int,
    status: Status | None,
    windows: list[tuple[date, date]],
    text: str,
    now: datetime,
    reminder_id: int | None = None,
    kind: str = CONFIRM_STATUS,
    named: bool = False,
) -> tuple[int, str, InlineKeyboardMarkup]:
    """Open a confirmation question; returns (question_id, its text, its keyboard).

    `named`: the windows are the date of an item that waited for one (not a «Перенос»).
    """
    binding = agency_windows(session, item_id=item_id, agency_id=agency_id)
    # A status of a recurring item is about one window: the replied reminder's, else the
    # current or latest past one; recorded for that window, and named.
    occurrence = (
        report_window(
            session, item_id=item_id, agency_id=agency_id, now=now, reminder_id=reminder_id
        )
        if status and len(binding) > 1
        else None
    )
    question = open_question(
        session,
        contact_id=contact.id,
        chat_id=contact.chat_id,
        kind=kind,
        item_id=item_id,
        agency_id=agency_id,
        now=now,
        reminder_id=reminder_id,
        payload={
            "status": str(status) if status else None,
            "windows": [[s.isoformat(), e.isoformat()] for s, e in windows],
            "text": text,
            "named": named,
            "occurrence": [[d.isoformat() for d in occurrence]] if occurrence else [],
        },
    )
    number, title = item_heading(session, item_id=item_id)
    shown = render(
        "bot/confirm.j2",
        number=number,
        title=title,
        status=status,
        windows=windows,
        comment=None,
        named=named,
        occurrence=occurrence,
    )
    return question.id, shown, confirm_keyboard(question.id)


def apply_confirmation(
    session: Session,
    *,
    services: Services,
    question: PendingQuestion,
    contact: Contact,
    confirmed: bool,
) -> Outcome:
    """Resolve the question; on «Да» record its status and new windows, re-plan, tell."""
    now = services.clock()
    if not resolve(session, question_id=question.id, now=now):
        raise Refused("stale")  # a second press raced the first
    if not confirmed:
        return Outcome(render("bot/declined.j2"))
    payload = question.payload or {}
    status = Status(payload["status"]) if payload.get("status") else None
    windows = _windows(payload)
    occurrence = next(iter(_windows(payload, "occurrence")), None)
    named = bool(payload.get("named"))
    item_id, agency_id = question.item_id, question.agency_id
    recorded = None
    if status is not None:
        recorded = report_status(
            session,
            contact=contact,
            item_id=item_id,
            agency_id=agency_id,
            status=status,
            now=now,
            source="text",
            reminder_id=question.reminder_id,
            window=occurrence,
        )
    notices: list[tuple[int, str]] = []
    copies = []
    if recorded is not None:
        copies = copy_edits(
            session,
            recorded=recorded,
            chat_id=question.chat_id,
            now=now,
            timezone=services.settings.srok_timezone,
        )
    if windows and services.settings.srok_postpone_approval and not named:
        # A request: the windows stay as they are until a coordinator approves it.
        binding = agency_windows(session, item_id=item_id, agency_id=agency_id)
        requests = postponement_notices(
            session,
            services,
            item_id=item_id,
            agency_id=agency_id,
            contact_id=contact.id,
            author=contact.name,
            windows=windows,
            text=str(payload.get("text", "")),
            binding=binding,
        )
        if recorded is not None and recorded.moves_reminders:
            replan(session, settings=services.settings, now=now, item_id=item_id, reason="перенос")
        text = render(
            "levers/requested.j2",
            number=item_heading(session, item_id=item_id)[0],
            windows=windows,
            author=contact.name,
            at=now,
            timezone=services.settings.srok_timezone,
        )
        return Outcome(text, requests=requests, copies=copies)
    if windows:
        printed = windows_by_item(session, item_ids=[item_id]).get(item_id, {}).get(None, [])
        change_window(
            session,
            contact=contact,
            item_id=item_id,
            agency_id=agency_id,
            windows=windows,
            text=str(payload.get("text", "")),
            now=now,
        )
        notices = _date_notices(session, services, question, contact, windows, printed, named)
    if windows or (recorded is not None and recorded.moves_reminders):
        reason = ("срок назван" if named else "перенос") if windows else str(status)
        replan(session, settings=services.settings, now=now, item_id=item_id, reason=reason)
    number, _ = item_heading(session, item_id=item_id)
    text = render(
        "bot/confirmed.j2",
        number=number,
        status=status,
        windows=windows,
        comment=None,
        author=contact.name,
        at=now,
        timezone=services.settings.srok_timezone,
        named=named,
        occurrence=occurrence,
    )
    return Outcome(text, notices, copies=copies)


def _date_notices(
    session: Session,
    services: Services,
    question: PendingQuestion,
    contact: Contact,
    windows: list[tuple[date, date]],
    printed: list[tuple[date, date]],
    named: bool = False,
) -> list[tuple[int, str]]:
    """What each coordinator chat is told about a confirmed «Перенос» (`named`: the date
    of an item that waited for one)."""
    agency = session.get(Agency, question.agency_id)
    number, title = item_heading(session, item_id=question.item_id)
    text = render(
        "bot/date_named.j2" if named else "bot/date_changed.j2",
        agency=agency.name if agency else "",
        number=number,
        title=title,
        windows=windows,
        printed=format_windows(printed),
        author=contact.name,
        at=services.clock(),
        timezone=services.settings.srok_timezone,
    )
    return [(chat_id, text) for _, chat_id in coordinator_chats(session)]
