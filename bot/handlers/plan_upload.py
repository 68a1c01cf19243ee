"""A plan sent to the bot as a file: the document downloaded, previewed, and the `pu:`
buttons («Импортировать», «Отмена», the bodies of each section).

The work is done in a worker thread (`scheduler.runtime.uploads`); here it is only
translated from Telegram and back. A press is done first and answered after.
"""

from __future__ import annotations

import logging

from telegram import ForceReply, Message, Update, User
from telegram.error import BadRequest, TelegramError
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.chat import (
    answer_quietly,
    local_today,
    off_loop,
    options_of,
    send_quietly,
    transact,
)
from bot.handlers import App
from bot.handlers.levers import who
from bot.keyboards import markup
from bot.services import Services, SrokContext
from messages import render
from messages.buttons import pattern
from messages.plan_upload import PREFIX, BadUploadDataError, previews_parts
from models.chats.uploads import TELEGRAM_FILE_LIMIT
from models.importing import ImportFormatError
from models.levers import LeverRefusedError
from scheduler.runtime import uploads
from scheduler.runtime.uploads import Out

_LOG = logging.getLogger(__name__)


async def _send(message: Message, outs: list[Out]) -> None:
    for out in outs:
        keyboard = ForceReply() if out.force_reply else markup(out.keyboard)
        await message.reply_text(out.say.render(), reply_markup=keyboard)


async def _refuse(message: Message, reason: str) -> None:
    await send_quietly(message, render("plan_upload/refused.j2", reason=reason))


async def _bad_file(message: Message, error: ImportFormatError) -> None:
    await message.reply_text(render("plan_upload/bad_file.j2", error=str(error)))


async def on_document(update: Update, context: SrokContext) -> None:
    """A document in a private chat: a coordinator's plan file."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.document is None:
        return
    services = context.services
    options = options_of(services)
    sender = who(user, message.chat_id)
    try:
        await transact(services, uploads.check_sender, options, who=sender)
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
    now = services.clock()
    try:
        received = await off_loop(
            uploads.receive,
            services.session_factory,
            options,
            who=sender,
            file_name=document.file_name or "plan",
            content=content,
            now=now,
            today=local_today(services, now),
        )
    except LeverRefusedError as exc:
        await _refuse(message, exc.reason)
        return
    except ImportFormatError as exc:  # nothing was written
        await _bad_file(message, exc)
        return
    # Rendered off the loop too: a plan of some hundred items takes a while.
    parts = await off_loop(previews_parts, received.file_name, received.previews, received.changes)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.reply_text(
            part, reply_markup=markup(received.confirm_keyboard()) if last else None
        )


async def on_press(update: Update, context: SrokContext) -> None:
    """`pu:…`: checked against the database on every press, done first, answered after."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        await answer_quietly(query)
        return
    services = context.services
    try:
        outs = await transact(
            services,
            uploads.press_upload,
            options_of(services),
            data=query.data,
            who=who(query.from_user, message.chat_id),
            now=services.clock(),
        )
    except LeverRefusedError as exc:
        await answer_quietly(query)
        await _refuse(message, exc.reason)
        return
    except BadUploadDataError:
        await answer_quietly(query)
        await _refuse(message, "malformed")
        return
    except ImportFormatError as exc:  # rolled back: the file stays waiting
        await answer_quietly(query)
        await _bad_file(message, exc)
        return
    await answer_quietly(query)
    await _send(message, outs)


async def answer_plan_words(message: Message, user: User, services: Services) -> bool:
    """A body's name typed for a section of a sent plan; False when none was asked."""
    try:
        outs = await transact(
            services,
            uploads.answer_upload_words,
            options_of(services),
            who=who(user, message.chat_id),
            text=message.text or "",
            now=services.clock(),
        )
    except LeverRefusedError as exc:
        await _refuse(message, exc.reason)
        return True
    if outs is None:
        return False
    await _send(message, outs)
    return True


def register(application: App) -> None:
    """Before bot.handlers.status: its last handler takes any other button data."""
    application.add_handler(CallbackQueryHandler(on_press, pattern=pattern(PREFIX)))
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.Document.ALL, on_document)
    )
