"""Words from a contact: a comment, an answer to the bot's question, a status in words,
and «О каком пункте?» (`ch:`) when the words fit several items.

What the words are about and what they would record is worked out by
`scheduler.runtime.answers` in a worker thread; here the text is read, the reply rendered
and sent, and its question attached to the message that asks it.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.chat import (
    in_transaction,
    local_today,
    options_of,
    refuse,
    show_recorded,
    transact,
    work_then_answer,
)
from bot.handlers import App
from bot.handlers.levers import answer_words
from bot.handlers.plan_upload import answer_plan_words
from bot.handlers.status import attach, read_press
from bot.keyboards import card_of, markup, markup_json
from bot.services import SrokContext
from messages.buttons import CHOICE, parse_choice, pattern
from scheduler.runtime import answers
from scheduler.runtime.access import Refused


def _words(message: Message) -> answers.Words:
    """The text and what it replies to (a /my card is known by its buttons)."""
    replied = message.reply_to_message
    return answers.Words(
        text=message.text or "",
        message_id=message.message_id,
        replied_to=replied.message_id if replied is not None else None,
        replied_card=card_of(replied) if replied is not None else None,
    )


async def on_text(update: Update, context: SrokContext) -> None:
    """Plain text in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    if await answer_words(message, user, services):
        return  # a coordinator answered a lever's question (a reason, a body's name)
    if await answer_plan_words(message, user, services):
        return  # a body's name for a section of a plan sent as a file
    now = services.clock()
    try:
        reply = await transact(
            services,
            answers.answer_words,
            options_of(services),
            now=now,
            today=local_today(services, now),
            chat_id=message.chat_id,
            user_id=user.id,
            words=_words(message),
        )
    except Refused as exc:
        await refuse(None, message, exc.reason)
        return
    sent = await message.reply_text(reply.say.render(), reply_markup=markup(reply.keyboard))
    if reply.question_id is not None:
        await attach(services, reply.question_id, sent.message_id)


async def on_choice(update: Update, context: SrokContext) -> None:
    """`ch:<question_id>:<item_id>`: the contact picked the item their words are about;
    the work first (the question the words lead to), the query answered after."""
    read = await read_press(update, parse_choice)
    if read is None:
        return
    query, message, key = read
    services = context.services
    now = services.clock()
    reply = await work_then_answer(
        query,
        message,
        in_transaction(services, answers.choose_item),
        now=now,
        today=local_today(services, now),
        key=key,
        chat_id=message.chat_id,
        user_id=query.from_user.id,
        message_id=message.message_id,
    )
    if reply is None:
        return
    shown = await show_recorded(message, reply.say.render(), markup_json(reply.keyboard))
    if reply.question_id is not None and shown:
        await attach(services, reply.question_id, message.message_id)


def register(application: App) -> None:
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
        group=1,
    )


def register_buttons(application: App) -> None:
    """«О каком пункте?» buttons; registered before status's catch-all of button data."""
    application.add_handler(CallbackQueryHandler(on_choice, pattern=pattern(CHOICE)))
