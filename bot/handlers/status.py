"""Button presses: a reminder's status buttons (`st:`) and confirmations (`ok:`/`no:`).

The press is read here, done by `scheduler.runtime.presses` / `.confirmations` in a
worker thread, and shown: recorded first, answered after (the query may have expired,
Telegram keeps it about 15 s, and neither that nor a failed answer may lose the press).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from telegram import CallbackQuery, ForceReply, Message, Update
from telegram.ext import CallbackQueryHandler

from bot.chat import (
    answer_quietly,
    ask_after_recording,
    in_transaction,
    options_of,
    refuse,
    send_to_chat,
    show_recorded,
    transact,
    work_then_answer,
)
from bot.copies import show_copies
from bot.handlers import App
from bot.keyboards import asks_date, carries, markup, opened_from_list, reminder_keyboard_json
from bot.services import Services, SrokContext
from messages import render
from messages.buttons import (
    CONFIRM,
    DECLINE,
    REMINDER_STATUS,
    parse_confirmation,
    parse_status,
    pattern,
)
from messages.recorded import with_recorded
from models.chats.questions import COMMENT, NAME_DATE, NEW_DATE, attach_message
from models.statuses.contact import Recorded
from scheduler.runtime import confirmations, presses
from scheduler.runtime.copies import recorded_line
from scheduler.runtime.presses import Pressed

#: The template that asks each question a press opens.
ASKING = {
    COMMENT: "bot/ask_comment.j2",
    NEW_DATE: "bot/ask_date.j2",
    NAME_DATE: "bot/ask_named_date.j2",
}

#: What a press's data parses to.
K = TypeVar("K")


def pressed(update: Update) -> tuple[CallbackQuery, Message | None]:
    """The press and the message its button belongs to (None: too old to be shown)."""
    query = update.callback_query
    assert query is not None
    return query, query.message if isinstance(query.message, Message) else None


async def read_press(
    update: Update, parse: Callable[[str | None], K | None], *, carried: bool = False
) -> tuple[CallbackQuery, Message, K] | None:
    """The press, its message and its data as `parse` reads it; None when the press is
    answered here already: no message (too old: the spinner stopped), data not on that
    message when `carried` is asked (copied elsewhere: refused as foreign), data that
    does not parse (forged, or from a keyboard Srok never sent: refused as malformed)."""
    query, message = pressed(update)
    if message is None or (carried and not carries(message, query.data or "")):
        await answer_quietly(query)
        if message is not None:
            await refuse(None, message, "foreign")
        return None
    key = parse(query.data)
    if key is None:
        await refuse(query, message, "malformed")
        return None
    return query, message, key


async def on_status(update: Update, context: SrokContext) -> None:
    """`st:<reminder_id>:<code>`: record the status (or ask for a comment or a date)."""
    read = await read_press(update, parse_status)
    if read is None:
        return
    query, message, key = read
    services = context.services
    options = options_of(services)
    press = await work_then_answer(
        query,
        message,
        in_transaction(services, presses.press_reminder),
        now=services.clock(),
        policy=options.policy,
        timezone=options.timezone,
        key=key,
        chat_id=message.chat_id,
        user_id=query.from_user.id,
        message_id=message.message_id,
        update_id=update.update_id,
    )
    if press is None:
        return
    # The press was checked against this very message: it carries this reminder's
    # keyboard, built again here (as JSON: see `keyboard_json`).
    keyboard = reminder_keyboard_json(
        key.target, back=opened_from_list(message), name_date=asks_date(message)
    )
    await show_pressed(context, message, press, keyboard)


async def show_pressed(
    context: SrokContext, message: Message, press: Pressed, keyboard: Mapping[str, Any] | None
) -> None:
    """What a status press did, shown: the card says what was recorded, the other
    contacts' copies too, and the question the press opened is asked."""
    services = context.services
    if press.recorded is not None and press.recorded.replayed:
        return  # shown when it was first handled; a later press may have changed it since
    if press.recorded is not None:
        await show_press(message, services, press.recorded, keyboard)
        await show_copies(context.bot, press.copies)
    if press.asked is not None and press.question_id is not None:
        text = render(ASKING[press.asked], number=press.number, title=press.title)
        await ask_follow_up(message, services, press.question_id, text)


async def show_press(
    message: Message, services: Services, recorded: Recorded, keyboard: Mapping[str, Any] | None
) -> None:
    """The card edited to say what the press recorded («Отмечено: …», once)."""
    line = recorded_line(recorded, services.settings.srok_timezone)
    await show_recorded(message, with_recorded(message.text_html or "", line), keyboard)


async def ask_follow_up(message: Message, services: Services, question_id: int, text: str) -> None:
    """Ask for the comment or the date a press opened; the question remembers its message
    (a reply to it answers it)."""
    asked = await ask_after_recording(message, text, reply_markup=ForceReply())
    if asked is not None:
        await attach(services, question_id, asked.message_id)


async def attach(services: Services, question_id: int, message_id: int) -> None:
    """The question asked by message `message_id`: a reply to that message answers it."""
    await transact(services, attach_message, question_id=question_id, message_id=message_id)


async def on_confirmation(update: Update, context: SrokContext) -> None:
    """`ok:<question_id>` / `no:<question_id>`: apply or drop what the bot asked to confirm;
    applied first, answered after, as a status press."""
    read = await read_press(update, parse_confirmation)
    if read is None:
        return
    query, message, key = read
    services = context.services
    confirmed = await work_then_answer(
        query,
        message,
        in_transaction(services, confirmations.confirm),
        options_of(services),
        now=services.clock(),
        key=key,
        chat_id=message.chat_id,
        user_id=query.from_user.id,
        message_id=message.message_id,
    )
    if confirmed is None:
        return
    await show_recorded(message, confirmed.say.render())
    for notice in confirmed.notices:
        text = notice.say.render()
        await send_to_chat(context.bot, services, notice.chat_id, text, markup(notice.keyboard))
    await show_copies(context.bot, confirmed.copies)


async def on_other_button(update: Update, context: SrokContext) -> None:
    """Button data no handler knows (forged, or from an old keyboard): a polite refusal."""
    query, message = pressed(update)
    if message is None:
        await answer_quietly(query)
        return
    await refuse(query, message, "malformed")


def register(application: App) -> None:
    application.add_handler(CallbackQueryHandler(on_status, pattern=pattern(REMINDER_STATUS)))
    application.add_handler(
        CallbackQueryHandler(on_confirmation, pattern=pattern(CONFIRM, DECLINE))
    )
    # Any other data (forged, from an old keyboard) still gets a polite refusal.
    application.add_handler(CallbackQueryHandler(on_other_button))
