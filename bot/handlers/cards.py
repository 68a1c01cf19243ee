"""A batched message's buttons: open one item's card (`cd:`), back to the list (`ls:`).

The card is the batched message itself, edited: its status buttons then pass the same
check as on a reminder sent alone (the reminder was delivered as this very message).
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.chat import edit_text, in_transaction, work_then_answer
from bot.handlers import App
from bot.handlers.status import read_press
from bot.services import SrokContext
from bot.telegram_sender import keyboard_json
from messages.buttons import BACK_TO_LIST, OPEN_CARD, parse_batch, pattern
from scheduler.runtime import presses


async def on_card(update: Update, context: SrokContext) -> None:
    """`cd:<reminder_id>` / `ls:<reminder_id>`: show an item's card, or the list again."""
    read = await read_press(update, parse_batch)
    if read is None:
        return
    query, message, key = read
    services = context.services
    view = await work_then_answer(
        query,
        message,
        in_transaction(services, presses.batch_view),
        key=key,
        now=services.clock(),
        chat_id=message.chat_id,
        user_id=query.from_user.id,
        message_id=message.message_id,
    )
    if view is not None:
        text, buttons = view
        await edit_text(message, text, keyboard_json(buttons))


def register(application: App) -> None:
    # Before `status`: its last handler answers any other data with a refusal.
    application.add_handler(CallbackQueryHandler(on_card, pattern=pattern(OPEN_CARD, BACK_TO_LIST)))
