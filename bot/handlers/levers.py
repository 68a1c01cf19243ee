"""A coordinator's levers: the `lv:` buttons on item and agency cards, postponement
requests and escalations, and the words a lever asked for.

Each press is checked and done in a worker thread (`scheduler.runtime.levers`); here it is
only translated from Telegram and back.
"""

from __future__ import annotations

import logging

from telegram import Bot, ForceReply, Message, Update, User
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.chat import (
    answer_quietly,
    deactivate,
    edit_text,
    local_today,
    off_loop,
    options_of,
    send_quietly,
    transact,
)
from bot.handlers import App
from bot.handlers.status import attach
from bot.keyboards import markup, markup_json
from bot.services import Services, SrokContext
from messages import render
from messages.buttons import pattern
from messages.levers import PREFIX, BadLeverDataError
from models.levers import LeverRefusedError
from scheduler.runtime.levers import LeverReply, Who, answer_coordinator, pull_lever

_LOG = logging.getLogger(__name__)


def who(user: User, chat_id: int) -> Who:
    """The user pressing or writing, as the history names them, and the chat."""
    name = " ".join(part for part in (user.first_name, user.last_name) if part)
    return Who(user.id, name or (user.username or str(user.id)), user.username, chat_id)


async def send_notices(bot: Bot, services: Services, reply: LeverReply) -> None:
    """Tell other chats (coordinators of a request, an agency of a decision)."""
    for notice in reply.notices:
        try:
            await bot.send_message(
                notice.chat_id, notice.say.render(), reply_markup=markup(notice.keyboard)
            )
        except Forbidden:
            await off_loop(deactivate, services, notice.chat_id)
        except BadRequest as exc:
            _LOG.warning("chat %s not told of a lever: %s", notice.chat_id, exc.message)


async def deliver(message: Message, services: Services, reply: LeverReply) -> None:
    """Send a lever's reply under `message` (or in its place), then its notices."""
    text = reply.say.render()
    if reply.edit:
        await edit_text(message, text, markup_json(reply.keyboard))
    else:
        keyboard = ForceReply() if reply.force_reply else markup(reply.keyboard)
        sent = await message.reply_text(text, reply_markup=keyboard)
        if reply.question_id is not None:
            await attach(services, reply.question_id, sent.message_id)
    await send_notices(message.get_bot(), services, reply)


def bot_username(context: SrokContext) -> str | None:
    """The bot's @name for invite links: from getMe, else TELEGRAM_BOT_USERNAME."""
    try:
        return context.bot.username or context.services.settings.telegram_bot_username
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
    now = services.clock()
    try:
        reply = await transact(
            services,
            pull_lever,
            options_of(services),
            data=query.data,
            who=who(query.from_user, message.chat_id),
            now=now,
            today=local_today(services, now),
            bot_username=bot_username(context),
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
    now = services.clock()
    try:
        reply = await transact(
            services,
            answer_coordinator,
            options_of(services),
            who=who(user, message.chat_id),
            text=message.text or "",
            now=now,
            today=local_today(services, now),
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


def register(application: App) -> None:
    """Before bot.handlers.status: its last handler takes any other button data. Words in
    groups share group 1 with bot.handlers.replies, whose handler takes private chats only."""
    application.add_handler(CallbackQueryHandler(on_lever, pattern=pattern(PREFIX)))
    application.add_handler(
        MessageHandler(filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND, on_group_words),
        group=1,
    )
