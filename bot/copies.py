"""Show one contact's answer on the copies the agency's other contacts got of the same
reminder («Отмечено: Выполнено — Иванов И.И., …»), so they are not left asking. Which
copies, and how each now reads (sent alone, in parts, or in a batched message):
`scheduler.runtime.copies`; here they are edited."""

from __future__ import annotations

import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.telegram_sender import keyboard_json
from bot.updates import RecordingBot
from scheduler.runtime.copies import Copy

_LOG = logging.getLogger(__name__)


async def show_copies(bot: Bot, copies: list[Copy]) -> None:
    """Edit each copy to show what was recorded. Best effort: a copy deleted or a chat
    blocked is logged, the answer stands."""
    for copy in copies:
        markup = keyboard_json(copy.buttons)
        try:
            if isinstance(bot, RecordingBot):
                await bot.edit_text(copy.chat_id, copy.message_id, copy.text, markup)
                continue
            await bot.edit_message_text(
                copy.text,
                chat_id=copy.chat_id,
                message_id=copy.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup.de_json(markup, bot) if markup else None,
            )
        except TelegramError as exc:
            _LOG.warning("copy in chat %s not edited: %s", copy.chat_id, exc.message)
