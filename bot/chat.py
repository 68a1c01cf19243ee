"""Small helpers every handler shares: local dates, long replies, forgiving edits."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from bot.services import Services
from bot.updates import RecordingBot
from messages import split_message

_LOG = logging.getLogger(__name__)


def local_today(services: Services) -> date:
    """Today in the plan's time zone (SROK_TIMEZONE)."""
    return services.clock().astimezone(ZoneInfo(services.settings.srok_timezone)).date()


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
