"""/my's buttons: an item's card (`mc:<item_id>`) and its status buttons
(`mi:<item_id>:<code>`), keyed by item: the press is checked against the message that
carries the very button pressed (`read_press(…, carried=True)`) and against the contact's own agency
(`scheduler.runtime.presses`, in a worker thread)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.chat import (
    in_transaction,
    local_today,
    options_of,
    work_then_answer,
)
from bot.handlers import App
from bot.handlers.status import read_press, show_pressed
from bot.keyboards import item_card_keyboard, markup_json
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


async def on_card(update: Update, context: SrokContext) -> None:
    """`mc:<item_id>`: the item's card, as a new message under /my's list."""
    read = await read_press(update, parse_my_card, carried=True)
    if read is None:
        return
    query, message, item_id = read
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
    read = await read_press(update, parse_card_status, carried=True)
    if read is None:
        return
    query, message, key = read
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
