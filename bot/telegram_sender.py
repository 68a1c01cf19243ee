"""Sending over python-telegram-bot: Telegram's errors become the dispatcher's outcomes.

The sender never sleeps and never retries; `scheduler/runtime/dispatch.py` decides what an
outcome means for a reminder (RETRY_AFTER: due later; TEMPORARY: backoff;
FORBIDDEN: contact inactive; BAD_REQUEST: failed).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.http import AiohttpRequest
from scheduler.runtime.sending import Button, OutgoingMessage, SendOutcome, SendResult

__all__ = ["TelegramSender", "bot_api_urls", "build_bot", "result_of_error"]

log = logging.getLogger(__name__)

_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def bot_api_urls(api_root: str) -> tuple[str, str]:
    """PTB's `base_url` and `base_file_url` for a Bot API server root (DESIGN.md)."""
    root = api_root.rstrip("/")
    return root + "/bot", root + "/file/bot"


def build_bot(
    token: str,
    api_root: str,
    *,
    read_timeout: float = 10.0,
    connect_timeout: float = 5.0,
) -> Bot:
    """A `Bot` for `token` on the Bot API server at `api_root` (not yet initialized)."""
    base_url, base_file_url = bot_api_urls(api_root)
    return Bot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=AiohttpRequest(read_timeout=read_timeout, connect_timeout=connect_timeout),
        # A long poll must outlive its own `timeout`; PTB adds it to the read timeout.
        get_updates_request=AiohttpRequest(
            read_timeout=read_timeout, connect_timeout=connect_timeout, pool_size=1
        ),
    )


async def ask_username(token: str, api_root: str) -> str:
    """The bot's @username, from getMe; raises InvalidToken when the server rejects `token`."""
    async with build_bot(token, api_root) as bot:
        return bot.username


def keyboard_json(buttons: tuple[tuple[Button, ...], ...]) -> dict[str, Any] | None:
    """The inline keyboard for neutral buttons as Bot API JSON (None when there are none),
    for calls that take it as it is sent (an edit): PTB's `to_dict` of a five-button
    keyboard costs more than the rest of the edit."""
    rows = [
        [{"text": b.text, "callback_data": b.callback_data} for b in row] for row in buttons if row
    ]
    return {"inline_keyboard": rows} if rows else None


def keyboard(buttons: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """The same keyboard as PTB's object, for PTB's methods."""
    data = keyboard_json(buttons)
    return InlineKeyboardMarkup.de_json(data, None) if data else None


def retry_after_seconds(error: RetryAfter) -> float:
    """How long a 429 asks to wait, in seconds."""
    # A timedelta (PTB_TIMEDELTA, set in bot/__init__.py), or seconds where it is turned off.
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def result_of_error(error: TelegramError) -> SendResult:
    """The outcome for a Telegram error; errors that are not about one message propagate."""
    if isinstance(error, RetryAfter):
        seconds = retry_after_seconds(error)
        # Worded the same whichever shape PTB gives (its own message follows that shape).
        text = f"Flood control exceeded. Retry in {seconds:g} seconds"
        return SendResult(SendOutcome.RETRY_AFTER, retry_after=seconds, error=text)
    if isinstance(error, Forbidden):
        return SendResult(SendOutcome.FORBIDDEN, error=error.message)
    if isinstance(error, ChatMigrated):
        return SendResult(
            SendOutcome.BAD_REQUEST,
            error=f"chat migrated to {error.new_chat_id}",
            migrated_to=int(error.new_chat_id),
        )
    # BadRequest is a NetworkError in PTB: test it first.
    if isinstance(error, BadRequest):
        return SendResult(SendOutcome.BAD_REQUEST, error=error.message)
    if isinstance(error, NetworkError):  # TimedOut, dropped connections, 5xx
        return SendResult(SendOutcome.TEMPORARY, error=error.message or type(error).__name__)
    raise error  # InvalidToken, Conflict…: configuration, not this message


def _not_modified(error: TelegramError) -> bool:
    return isinstance(error, BadRequest) and "message is not modified" in error.message.lower()


class TelegramSender:
    """`scheduler.runtime.sending.Sender` (and `Editor`) over a python-telegram-bot `Bot`."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, message: OutgoingMessage) -> SendResult:
        """Send one HTML message with its buttons; one attempt, no sleeping."""
        try:
            sent = await self.bot.send_message(
                message.chat_id,
                message.text,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(message.buttons),
                link_preview_options=_NO_PREVIEW,
            )
        except TelegramError as error:
            result = result_of_error(error)
            log.info("send to %s: %s (%s)", message.chat_id, result.outcome.value, result.error)
            return result
        return SendResult(SendOutcome.SENT, message_id=sent.message_id)

    async def edit(
        self,
        chat_id: int,
        message_id: int,
        text: str,
        buttons: tuple[tuple[Button, ...], ...] = (),
    ) -> SendResult:
        """Replace a sent message's text and buttons; an edit that changes nothing is SENT."""
        try:
            await self.bot.edit_message_text(
                text,
                chat_id=chat_id,
                message_id=message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=keyboard(buttons),
                link_preview_options=_NO_PREVIEW,
            )
        except TelegramError as error:
            if _not_modified(error):
                return SendResult(SendOutcome.SENT, message_id=message_id)
            result = result_of_error(error)
            log.info("edit %s/%s: %s (%s)", chat_id, message_id, result.outcome.value, result.error)
            return result
        return SendResult(SendOutcome.SENT, message_id=message_id)
