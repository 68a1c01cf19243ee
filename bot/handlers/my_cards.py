"""/my's buttons: an item's card (`mc:<item_id>`) and its status buttons
(`mi:<item_id>:<code>`), keyed by item: the press is checked against the message that
carries the very button pressed (here) and against the contact's own agency
(`scheduler.runtime.presses`, in a worker thread)."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from bot.chat import (
    answer_quietly,
    in_transaction,
    local_today,
    options_of,
    refuse,
    work_then_answer,
)
from bot.handlers import App
from bot.handlers.status import pressed, show_pressed
from bot.keyboards import carries, item_card_keyboard, markup_json
from bot.services import SrokContext
from messages import render
from messages.buttons import (
    CARD_STATUS,
    MY_CARD,
    card_status_rows,
    parse_card_status,
    parse_my_card,
    pattern,
)
from scheduler.runtime import presses


def _carried(query_data: str | None, message: Message | None) -> bool:
    """The press is on the message that carries its button (not data copied elsewhere)."""
    return message is not None and carries(message, query_data or "")


async def on_card(update: Update, context: SrokContext) -> None:
    """`mc:<item_id>`: the item's card, as a new message under /my's list."""
    query, message = pressed(update)
    if message is None or not _carried(query.data, message):
        await answer_quietly(query)
        if message is not None:
            await refuse(None, message, "foreign")
        return
    item_id = parse_my_card(query.data)
    if item_id is None:
        await refuse(query, message, "malformed")
        return
    services = context.services
    entry = await work_then_answer(
        query,
        message,
        in_transaction(services, presses.open_card),
        today=local_today(services),
        item_id=item_id,
        chat_id=message.chat_id,
        user_id=query.from_user.id,
    )
    if entry is not None:
        text = render("bot/item_card.j2", entry=entry)
        await message.reply_text(text, reply_markup=item_card_keyboard(item_id, entry.window))


async def on_press(update: Update, context: SrokContext) -> None:
    """`mi:<item_id>:<code>` on a card from /my: recorded first, answered after."""
    query, message = pressed(update)
    if message is None or not _carried(query.data, message):
        await answer_quietly(query)
        if message is not None:
            await refuse(None, message, "foreign")
        return
    key = parse_card_status(query.data)
    if key is None:
        await refuse(query, message, "malformed")
        return
    services = context.services
    now = services.clock()
    options = options_of(services)
    press = await work_then_answer(
        query,
        message,
        in_transaction(services, presses.press_card),
        now=now,
        today=local_today(services, now),
        policy=options.policy,
        timezone=options.timezone,
        key=key,
        chat_id=message.chat_id,
        user_id=query.from_user.id,
        message_id=message.message_id,
        update_id=update.update_id,
    )
    if press is not None:
        keys = markup_json(card_status_rows(press.item_id, key.window_start))
        await show_pressed(context, message, press, keys)


def register(application: App) -> None:
    """Before `status`: its last handler answers any other data with a refusal."""
    application.add_handler(CallbackQueryHandler(on_card, pattern=pattern(MY_CARD)))
    application.add_handler(CallbackQueryHandler(on_press, pattern=pattern(CARD_STATUS)))
