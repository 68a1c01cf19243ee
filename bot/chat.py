"""What every handler shares: the one way to work off the event loop, local dates, long
replies, forgiving edits.

A handler reads Telegram's input, calls a use case of `scheduler.runtime` through
`off_loop` (a worker thread: the database, files and slow rendering never block the event
loop, which serves every chat), renders what it returns and sends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any, Concatenate, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session
from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.services import Services
from bot.telegram_sender import retry_after_seconds
from bot.updates import RecordingBot
from messages import render, split_message
from models.chats.contacts import deactivate_chat, move_chat
from scheduler.rules.policy import Policy
from scheduler.runtime.access import Refused
from scheduler.runtime.options import Options

_LOG = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")

#: A 429 on the edit that shows a recorded press is waited out only this long (seconds):
#: the handler holds its chat meanwhile, and the press is recorded whatever happens.
SHORT_RETRY_AFTER = 3.0


async def off_loop(work: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`work(*args, **kwargs)` in a worker thread: every handler's way to the database,
    to files and to slow rendering (the tests fail a session opened on the loop)."""
    return await asyncio.to_thread(work, *args, **kwargs)


def in_transaction(
    services: Services, use_case: Callable[Concatenate[Session, P], T]
) -> Callable[P, T]:
    """`use_case(session, …)` in a transaction of its own, committed when it returns and
    rolled back when it raises; for `off_loop`."""

    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with services.session_factory.begin() as session:
            return use_case(session, *args, **kwargs)

    return run


async def transact(
    services: Services,
    use_case: Callable[Concatenate[Session, P], T],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`off_loop(in_transaction(services, use_case), …)`: a use case in its own
    transaction, in a worker thread."""
    return await off_loop(in_transaction(services, use_case), *args, **kwargs)


def options_of(services: Services) -> Options:
    """The settings the use cases read, as plain values."""
    settings = services.settings
    return Options(
        policy=Policy.from_settings(settings),
        timezone=settings.srok_timezone,
        coordinator_ids=tuple(settings.srok_coordinator_ids),
        postpone_approval=settings.srok_postpone_approval,
        invite_ttl=timedelta(days=settings.srok_invite_ttl_days),
    )


def local_today(services: Services, now: datetime | None = None) -> date:
    """Today in the plan's time zone (SROK_TIMEZONE), at `now` (default: the clock)."""
    moment = now if now is not None else services.clock()
    return moment.astimezone(ZoneInfo(services.settings.srok_timezone)).date()


async def reply_long(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message:
    """Reply with `text`, split under Telegram's limit at line boundaries, `markup` under
    the last part; the last part."""
    parts = split_message(text)
    sent = message
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        sent = await message.reply_text(part, reply_markup=markup if last else None)
    return sent


async def edit_text(message: Message, text: str, markup: Mapping[str, Any] | None = None) -> None:
    """Edit a bot message (`markup`: its keyboard as Bot API JSON, see `keyboard_json`);
    «message is not modified» (a repeated press) is not an error."""
    bot = message.get_bot()
    try:
        if isinstance(bot, RecordingBot):
            await bot.edit_text(message.chat_id, message.message_id, text, markup)
        else:
            keyboard = InlineKeyboardMarkup.de_json(dict(markup), bot) if markup else None
            await message.edit_text(text, parse_mode=ParseMode.HTML, reply_markup=keyboard)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def send_quietly(message: Message, text: str) -> Message | None:
    """Reply where a refusal or notice is useful but must not fail the handler."""
    try:
        return await message.reply_text(text)
    except (BadRequest, Forbidden) as exc:
        _LOG.warning("could not reply in chat %s: %s", message.chat_id, exc.message)
        return None


async def send_to_chat(
    bot: Bot,
    services: Services,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send to a bound chat (a coordinators' group, a contact): a group upgraded to a
    supergroup is followed to its new id (its bindings move there), a chat that blocked
    the bot is made inactive, a refused message is logged; the message, or None."""
    try:
        try:
            return await bot.send_message(chat_id, text, reply_markup=markup)
        except ChatMigrated as exc:
            new_chat_id = int(exc.new_chat_id)
            await off_loop(follow_migration, services, chat_id, new_chat_id)
            return await bot.send_message(new_chat_id, text, reply_markup=markup)
    except Forbidden:
        await off_loop(deactivate, services, chat_id)
    except (BadRequest, ChatMigrated) as exc:
        _LOG.warning("chat %s not told: %s", chat_id, exc.message)
    return None


def deactivate(services: Services, chat_id: int) -> None:
    """A chat that blocked the bot gets nothing more (run it `off_loop`)."""
    with services.session_factory.begin() as session:
        deactivate_chat(session, chat_id=chat_id, reason="blocked")


def follow_migration(services: Services, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: its bindings and pending deliveries move to the new id."""
    with services.session_factory.begin() as session:
        moved = move_chat(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
    _LOG.warning("chat %s became %s: %s binding(s) moved", old_chat_id, new_chat_id, moved)


async def answer_quietly(query: CallbackQuery, alert: str | None = None) -> None:
    """Stop the button's spinner (with `alert` shown, if given), best effort: Telegram
    expires a query after about 15 s, and by then the press is recorded anyway; a failed
    answer is logged, never fatal."""
    try:
        await query.answer(alert, show_alert=alert is not None)
    except TelegramError as exc:
        _LOG.warning("press %s not answered: %s", query.id, exc.message)


async def refuse(query: CallbackQuery | None, message: Message, reason: str) -> None:
    """A press (or words) refused: the spinner stopped, one polite line (bot/refused.j2)."""
    if query is not None:
        await answer_quietly(query)
    await send_quietly(message, render("bot/refused.j2", reason=reason))


async def work_then_answer(
    query: CallbackQuery,
    message: Message,
    work: Callable[P, T],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T | None:
    """A press's work (`work(*args, **kwargs)`, checked and recorded off the loop), then
    the query answered, best effort: the work first, so an expired or failed answer cannot
    lose it. A refusal gets one polite line (bot/refused.j2), and None is returned."""
    try:
        result = await off_loop(work, *args, **kwargs)
    except Refused as exc:
        await refuse(query, message, exc.reason)
        return None
    await answer_quietly(query)
    return result


async def _at_most_twice(call: Callable[[], Awaitable[T]], what: str, chat_id: int) -> T | None:
    """`call()`, tried once more after a 5xx, a dropped connection or a short 429 (waited
    out); None when it failed (logged). For what follows a recorded answer: it must not
    end in «Что-то пошло не так» (a 403 still reaches the error handler)."""
    for attempt in (1, 2):
        try:
            return await call()
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            _LOG.warning("%s in chat %s: 429, retry after %s s", what, chat_id, wait)
            if attempt == 2 or wait > SHORT_RETRY_AFTER:
                break
            await asyncio.sleep(wait)
        except BadRequest as exc:  # a NetworkError in PTB: the message itself is refused
            _LOG.warning("%s in chat %s refused: %s", what, chat_id, exc.message)
            break
        except NetworkError as exc:  # 5xx, timeouts, dropped connections
            _LOG.warning("%s in chat %s failed (try %s): %s", what, chat_id, attempt, exc)
    return None


async def show_recorded(
    message: Message, text: str, markup: Mapping[str, Any] | None = None
) -> bool:
    """Edit a bot message to show what was recorded; False when it could not be shown.

    A 5xx, a dropped connection or a short 429 gets one more try (after `retry_after`);
    if that fails too, one short message says the answer is recorded all the same.
    """

    async def edit() -> bool:
        await edit_text(message, text, markup)
        return True

    if await _at_most_twice(edit, "edit", message.chat_id):
        return True
    try:
        await message.reply_text(render("bot/recorded_not_shown.j2"))
    except TelegramError as exc:
        _LOG.warning("chat %s not told its answer is recorded: %s", message.chat_id, exc)
    return False


async def ask_after_recording(message: Message, text: str, **kwargs: Any) -> Message | None:
    """Ask a question (a comment, a date) once an answer is recorded; None when it could
    not be sent (the question stays open: words typed next still answer it)."""
    return await _at_most_twice(
        lambda: message.reply_text(text, **kwargs), "question", message.chat_id
    )
