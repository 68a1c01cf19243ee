"""A batched message's buttons: open one item's card (`cd:`), back to the list (`ls:`).

The card is the batched message itself, edited: its status buttons then pass the same
check as on a reminder sent alone (the reminder was delivered as this very message).
"""

from __future__ import annotations

import re

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.access import Refused, reminder_for_press
from bot.chat import answer_quietly, edit_text, work_then_answer
from bot.services import Services, SrokContext
from bot.telegram_sender import keyboard_json
from models.outbox.deliveries import reminders_on_message
from models.outbox.facts import reminder_facts_many
from scheduler.runtime.reminder_text import batch_content, card_content
from scheduler.runtime.sending import Button

_CARD_DATA = re.compile(r"(cd|ls):(\d{1,18})")


def _view(
    services: Services, data: str | None, chat_id: int, user_id: int, message_id: int
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """Check the press against the database; the card, or the list, it asks for."""
    match = _CARD_DATA.fullmatch(data or "")
    if match is None:
        raise Refused("malformed")
    action, reminder_id = match.group(1), int(match.group(2))
    now = services.clock()
    with services.session_factory.begin() as session:
        reminder_for_press(
            session,
            reminder_id=reminder_id,
            chat_id=chat_id,
            user_id=user_id,
            message_id=message_id,
        )
        if action == "cd":
            return card_content(session, reminder_id=reminder_id, now=now)
        ids = reminders_on_message(session, chat_id=chat_id, message_id=message_id)
        facts = reminder_facts_many(session, reminder_ids=ids)
        return batch_content(list(facts.values()))


async def on_card(update: Update, context: SrokContext) -> None:
    """`cd:<reminder_id>` / `ls:<reminder_id>`: show an item's card, or the list again."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        await answer_quietly(query)
        return
    view = await work_then_answer(
        query,
        message,
        _view,
        context.services,
        query.data,
        message.chat_id,
        query.from_user.id,
        message.message_id,
    )
    if view is not None:
        text, buttons = view
        await edit_text(message, text, keyboard_json(buttons))


def register(application: Application) -> None:  # type: ignore[type-arg]
    # Before `status`: its last handler answers any other data with a refusal.
    application.add_handler(CallbackQueryHandler(on_card, pattern=r"^(cd|ls):"))
