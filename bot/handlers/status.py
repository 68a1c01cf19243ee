"""Button presses: a reminder's status buttons (`st:`) and confirmations (`ok:`/`no:`)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from telegram import CallbackQuery, ForceReply, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.access import (
    COMMENT_CODE,
    NAME_DATE_CODE,
    STATUS_CODES,
    parse_question_data,
    parse_status_data,
    question_for_press,
    reminder_for_press,
)
from bot.chat import (
    answer_quietly,
    ask_after_recording,
    show_recorded,
    work_then_answer,
)
from bot.copies import CopyEdit, copy_edits, show_copies
from bot.handlers.confirm import Outcome, apply_confirmation
from bot.keyboards import asks_date, opened_from_list, reminder_keyboard_json
from bot.replanning import replan
from bot.services import Services, SrokContext
from messages import render
from messages.recorded import with_recorded
from models.chats.questions import COMMENT, NAME_DATE, NEW_DATE, attach_message, open_question
from models.statuses.contact import Recorded, report_status

#: The question each asking code opens, and the template that asks it.
_ASKS = {
    COMMENT_CODE: (COMMENT, "bot/ask_comment.j2"),
    "pp": (NEW_DATE, "bot/ask_date.j2"),
    NAME_DATE_CODE: (NAME_DATE, "bot/ask_named_date.j2"),
}


@dataclass(frozen=True)
class Press:
    """What a status press did: the report (None for «Комментарий»), the question asked."""

    reminder_id: int
    code: str
    number: str
    title: str
    recorded: Recorded | None
    question_id: int | None
    #: The other contacts' copies of the item's reminder, to show the answer on.
    copies: list[CopyEdit] = field(default_factory=list)


def _press(
    services: Services,
    data: str | None,
    chat_id: int,
    user_id: int,
    message_id: int,
    update_id: int,
) -> Press:
    """Check the press against the database and record it; raises Refused."""
    now = services.clock()
    reminder_id, code = parse_status_data(data)
    with services.session_factory.begin() as session:
        target, contact = reminder_for_press(
            session,
            reminder_id=reminder_id,
            chat_id=chat_id,
            user_id=user_id,
            message_id=message_id,
        )
        item_id, agency_id = target.item_id, target.agency_id
        number, title = target.number, target.title
        recorded, copies = None, []
        if code in STATUS_CODES:
            recorded = report_status(
                session,
                contact=contact,
                item_id=item_id,
                agency_id=agency_id,
                status=STATUS_CODES[code],
                now=now,
                source="button",
                reminder_id=reminder_id,
                message_id=message_id,
                update_id=update_id,
                window=target.window,
            )
            if recorded.moves_reminders:
                replan(
                    session,
                    settings=services.settings,
                    now=now,
                    item_id=item_id,
                    reason=str(recorded.status),
                )
            copies = copy_edits(
                session,
                recorded=recorded,
                chat_id=chat_id,
                now=now,
                timezone=services.settings.srok_timezone,
            )
        question_id = None
        if code in _ASKS and (recorded is None or recorded.new):
            question_id = open_question(
                session,
                contact_id=contact.id,
                chat_id=chat_id,
                kind=_ASKS[code][0],
                item_id=item_id,
                agency_id=agency_id,
                now=now,
                reminder_id=reminder_id,
            ).id
    return Press(reminder_id, code, number, title, recorded, question_id, copies)


def _pressed(update: Update) -> tuple[CallbackQuery, Message | None]:
    """The press and the message its button belongs to (None: too old to be shown)."""
    query = update.callback_query
    assert query is not None
    return query, query.message if isinstance(query.message, Message) else None


async def on_status(update: Update, context: SrokContext) -> None:
    """`st:<reminder_id>:<code>`: record the status (or ask for a comment or a date).

    Recorded first, answered after: the query may have expired (Telegram keeps it about
    15 s) or its answer may fail, and neither may lose the press.
    """
    query, message = _pressed(update)
    if message is None:
        await answer_quietly(query)
        return
    services = context.services
    press = await work_then_answer(
        query,
        message,
        _press,
        services,
        query.data,
        message.chat_id,
        query.from_user.id,
        message.message_id,
        update.update_id,
    )
    if press is None:
        return
    if press.recorded is not None and press.recorded.replayed:
        return  # shown when it was first handled; a later press may have changed it since
    if press.recorded is not None:
        # The press was checked against this very message: it carries this reminder's
        # keyboard, built again here (as JSON: see `keyboard_json`).
        keyboard = reminder_keyboard_json(
            press.reminder_id, back=opened_from_list(message), name_date=asks_date(message)
        )
        await show_press(message, services, press.recorded, keyboard)
        await show_copies(context.bot, press.copies)
    if press.question_id is not None:
        text = render(_ASKS[press.code][1], number=press.number, title=press.title)
        await ask_follow_up(message, services, press.question_id, text)


async def show_press(
    message: Message, services: Services, recorded: Recorded, keyboard: Mapping[str, Any]
) -> None:
    """The card edited to say what the press recorded («Отмечено: …», once)."""
    line = render(
        "bot/recorded.j2",
        status=recorded.status,
        author=recorded.author,
        at=recorded.at,
        timezone=services.settings.srok_timezone,
    )
    await show_recorded(message, with_recorded(message.text_html or "", line), keyboard)


async def ask_follow_up(message: Message, services: Services, question_id: int, text: str) -> None:
    """Ask for the comment or the date a press opened; the question remembers its message
    (a reply to it answers it)."""
    asked = await ask_after_recording(message, text, reply_markup=ForceReply())
    if asked is not None:
        await asyncio.to_thread(_attach, services, question_id, asked.message_id)


def _attach(services: Services, question_id: int, message_id: int) -> None:
    with services.session_factory.begin() as session:
        attach_message(session, question_id=question_id, message_id=message_id)


def _confirm(
    services: Services, data: str | None, chat_id: int, user_id: int, message_id: int
) -> Outcome:
    """Check a confirmation press against the database and apply it; raises Refused."""
    confirmed, question_id = parse_question_data(data)
    with services.session_factory.begin() as session:
        question, contact = question_for_press(
            session,
            question_id=question_id,
            chat_id=chat_id,
            user_id=user_id,
            message_id=message_id,
            now=services.clock(),
        )
        return apply_confirmation(
            session, services=services, question=question, contact=contact, confirmed=confirmed
        )


async def on_confirmation(update: Update, context: SrokContext) -> None:
    """`ok:<question_id>` / `no:<question_id>`: apply or drop what the bot asked to confirm;
    applied first, answered after, as a status press."""
    query, message = _pressed(update)
    if message is None:
        await answer_quietly(query)
        return
    services = context.services
    outcome = await work_then_answer(
        query,
        message,
        _confirm,
        services,
        query.data,
        message.chat_id,
        query.from_user.id,
        message.message_id,
    )
    if outcome is None:
        return
    await show_recorded(message, outcome.text)
    await outcome.notify(context.bot, services)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CallbackQueryHandler(on_status, pattern=r"^st:"))
    application.add_handler(CallbackQueryHandler(on_confirmation, pattern=r"^(ok|no):"))
    # Any other data (forged, from an old keyboard) still gets a polite refusal.
    application.add_handler(CallbackQueryHandler(on_status))
