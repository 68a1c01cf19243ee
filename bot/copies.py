"""Show one contact's answer on the copies the agency's other contacts got of the same
reminder («Отмечено: Выполнено — Иванов И.И., …»), so they are not left asking: sent
alone, in parts, or in a batched message (see `scheduler.runtime.reminder_text.copy_content`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.telegram_sender import keyboard_json
from bot.updates import RecordingBot
from messages import render
from models.outbox.copies import other_copies
from models.statuses.contact import Recorded
from scheduler.runtime.reminder_text import copy_content

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True)
class CopyEdit:
    chat_id: int
    message_id: int
    text: str
    markup: dict[str, Any] | None


def copy_edits(
    session: Session, *, recorded: Recorded, chat_id: int, now: datetime, timezone: str
) -> list[CopyEdit]:
    """The edits that show a new report on the other chats' copies (none for a repeat)."""
    if not recorded.new or recorded.status is None:
        return []
    line = render(
        "bot/recorded.j2",
        status=recorded.status,
        author=recorded.author,
        at=recorded.at,
        timezone=timezone,
    )
    edits = []
    copies = other_copies(
        session,
        item_id=recorded.item_id,
        agency_id=recorded.agency_id,
        chat_id=chat_id,
        window=recorded.window,
    )
    for copy in copies:
        shown = copy_content(
            session, copy=copy, now=now, recorded_line=line, author=recorded.author
        )
        if shown is not None:
            text, buttons = shown
            edits.append(CopyEdit(copy.chat_id, copy.message_id, text, keyboard_json(buttons)))
    return edits


async def show_copies(bot: Bot, edits: list[CopyEdit]) -> None:
    """Best effort: a copy deleted or a chat blocked is logged, the answer stands."""
    for edit in edits:
        try:
            if isinstance(bot, RecordingBot):
                await bot.edit_text(edit.chat_id, edit.message_id, edit.text, edit.markup)
                continue
            await bot.edit_message_text(
                edit.text,
                chat_id=edit.chat_id,
                message_id=edit.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=InlineKeyboardMarkup.de_json(edit.markup, bot)
                if edit.markup
                else None,
            )
        except TelegramError as exc:
            _LOG.warning("copy in chat %s not edited: %s", edit.chat_id, exc.message)
