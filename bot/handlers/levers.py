"""A coordinator's levers: the `lv:` buttons on item and agency cards, postponement
requests and escalations, and the words a lever asked for.

Each press is checked and done in a worker thread (`bot.lever_actions`); here it is only
translated from Telegram and back.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, ForceReply, InlineKeyboardMarkup, Message, Update, User
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.chat import answer_quietly, edit_text, send_quietly
from bot.levers import LeverReply, Who, answer_coordinator, pull_lever
from bot.services import Services, SrokContext
from bot.telegram_sender import keyboard_json
from messages import render
from messages.levers import BadLeverDataError, Keyboard
from models.chats.contacts import deactivate_chat
from models.chats.questions import attach_message
from models.levers import LeverRefusedError
from scheduler.runtime.sending import Button

_LOG = logging.getLogger(__name__)


def markup(rows: Keyboard) -> InlineKeyboardMarkup | None:
    """(label, data) rows as an inline keyboard (None when there are none)."""
    data = keyboard_json(tuple(tuple(Button(label, cb) for label, cb in row) for row in rows))
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def who(user: User, chat_id: int) -> Who:
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return Who(user.id, name or (user.username or str(user.id)), user.username, chat_id)


async def send_notices(bot: Bot, services: Services, reply: LeverReply) -> None:
    """Tell other chats (coordinators of a request, an agency of a decision)."""
    for chat_id, text, rows in reply.notices:
        try:
            await bot.send_message(chat_id, text, reply_markup=markup(rows))
        except Forbidden:
            with services.session_factory.begin() as session:
                deactivate_chat(session, chat_id=chat_id, reason="blocked")
        except BadRequest as exc:
            _LOG.warning("chat %s not told of a lever: %s", chat_id, exc.message)


async def deliver(message: Message, services: Services, reply: LeverReply) -> None:
    """Send a lever's reply under `message` (or in its place), then its notices."""
    if reply.edit:
        rows = tuple(tuple(Button(label, cb) for label, cb in row) for row in reply.keyboard)
        await edit_text(message, reply.text, keyboard_json(rows))
    else:
        keyboard = ForceReply() if reply.force_reply else markup(reply.keyboard)
        sent = await message.reply_text(reply.text, reply_markup=keyboard)
        if reply.question_id is not None:
            with services.session_factory.begin() as session:
                attach_message(session, question_id=reply.question_id, message_id=sent.message_id)
    await send_notices(message.get_bot(), services, reply)


def _bot_username(context: SrokContext) -> str | None:
    """The bot's @name for invite links: from getMe, else TELEGRAM_BOT_USERNAME."""
    try:
        return context.bot.username
    except RuntimeError:  # the bot was never initialised (no getMe yet)
        return context.services.settings.telegram_bot_username


async def on_lever(update: Update, context: SrokContext) -> None:
    """`lv:…`: a coordinator's lever, checked against the database on every press; pulled
    first, answered after (the query may have expired, and that must not lose the press)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if not isinstance(message, Message):
        await answer_quietly(query)
        return
    services = context.services
    pressing = who(query.from_user, message.chat_id)
    try:
        reply = await asyncio.to_thread(
            pull_lever, services, query.data, pressing, _bot_username(context)
        )
    except LeverRefusedError as exc:
        await answer_quietly(query)
        await send_quietly(message, render("levers/refused.j2", reason=exc.reason))
        return
    except BadLeverDataError:
        await answer_quietly(query)
        await send_quietly(message, render("levers/refused.j2", reason="malformed"))
        return
    await answer_quietly(query)
    await deliver(message, services, reply)


async def answer_words(message: Message, user: User, services: Services) -> bool:
    """A coordinator's words answering a lever's question; False when no lever asked."""
    try:
        reply = await asyncio.to_thread(
            answer_coordinator, services, who(user, message.chat_id), message.text or ""
        )
    except LeverRefusedError as exc:
        await send_quietly(message, render("levers/refused.j2", reason=exc.reason))
        return True
    if reply is None:
        return False
    await deliver(message, services, reply)
    return True


async def on_group_words(update: Update, context: SrokContext) -> None:
    """Words in a group: a coordinator's answer to a lever asked there, else nothing."""
    message, user = update.effective_message, update.effective_user
    if message is not None and user is not None:
        await answer_words(message, user, context.services)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Before bot.handlers.status: its last handler takes any other button data. Words in
    groups share group 1 with bot.handlers.replies, whose handler takes private chats only."""
    application.add_handler(CallbackQueryHandler(on_lever, pattern=r"^lv:"))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, on_group_words),
        group=1,
    )
