"""A plan sent to the bot as a file: the document downloaded, previewed, and the `pu:`
buttons («Импортировать», «Отмена», the bodies of each section).

The work is done in a worker thread (bot.plan_uploads); here it is only translated from
Telegram and back. A press is done first and answered after.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import ForceReply, Message, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.chat import answer_quietly, send_quietly
from bot.handlers.levers import markup, who
from bot.plan_uploads import Out, answer_words, check_sender, press, receive
from bot.services import Services, SrokContext
from messages import render
from messages.plan_upload import BadUploadDataError
from models.chats.uploads import TELEGRAM_FILE_LIMIT
from models.levers import LeverRefusedError

_LOG = logging.getLogger(__name__)


async def _send(message: Message, outs: list[Out]) -> None:
    for out in outs:
        keyboard = ForceReply() if out.force_reply else markup(out.keyboard)
        await message.reply_text(out.text, reply_markup=keyboard)


async def _refuse(message: Message, reason: str) -> None:
    await send_quietly(message, render("plan_upload/refused.j2", reason=reason))


async def on_document(update: Update, context: SrokContext) -> None:
    """A document in a private chat: a coordinator's plan file."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    services = context.services
    sender = who(user, message.chat_id)
    try:
        await asyncio.to_thread(check_sender, services, sender)
    except LeverRefusedError as exc:
        await _refuse(message, exc.reason)  # a contact's file is not even downloaded
        return
    document = message.document
    if document.file_size is not None and document.file_size > TELEGRAM_FILE_LIMIT:
        await _refuse(message, "too_big")
        return
    try:
        file = await context.bot.get_file(document.file_id)
        content = bytes(await file.download_as_bytearray())
    except BadRequest as exc:
        too_big = "too big" in exc.message.lower()
        await _refuse(message, "too_big" if too_big else "not_downloaded")
        return
    except TelegramError as exc:
        _LOG.warning("plan file not downloaded in chat %s: %s", message.chat_id, exc)
        await _refuse(message, "not_downloaded")
        return
    name = document.file_name or "plan"
    try:
        outs = await asyncio.to_thread(receive, services, sender, name, content)
    except LeverRefusedError as exc:
        await _refuse(message, exc.reason)
        return
    await _send(message, outs)


async def on_press(update: Update, context: SrokContext) -> None:
    """`pu:…`: checked against the database on every press, done first, answered after."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        await answer_quietly(query)
        return
    pressing = who(query.from_user, message.chat_id)
    try:
        outs = await asyncio.to_thread(press, context.services, query.data, pressing)
    except LeverRefusedError as exc:
        await answer_quietly(query)
        await _refuse(message, exc.reason)
        return
    except BadUploadDataError:
        await answer_quietly(query)
        await _refuse(message, "malformed")
        return
    await answer_quietly(query)
    await _send(message, outs)


async def answer_plan_words(message: Message, user: User, services: Services) -> bool:
    """A body's name typed for a section of a sent plan; False when none was asked."""
    try:
        outs = await asyncio.to_thread(
            answer_words, services, who(user, message.chat_id), message.text or ""
        )
    except LeverRefusedError as exc:
        await _refuse(message, exc.reason)
        return True
    if outs is None:
        return False
    await _send(message, outs)
    return True


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Before bot.handlers.status: its last handler takes any other button data."""
    application.add_handler(CallbackQueryHandler(on_press, pattern=r"^pu:"))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document)
    )
