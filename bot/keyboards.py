"""Inline keyboards: the (label, data) rows of `messages` as Telegram's markup, and what a
message's own buttons say about it.

The data and labels are built and parsed in one place, `messages.buttons` (a contact's
buttons), `messages.levers`, `messages.report_keys` and `messages.plan_upload`; here they
only become PTB objects or Bot API JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Message

from bot.telegram_sender import keyboard, keyboard_json
from messages.buttons import (
    MAX_CALLBACK_BYTES,
    Keyboard,
    addition_rows,
    card_item,
    card_status_rows,
    confirm_rows,
    is_back_to_list,
    is_name_date,
    status_rows,
)
from scheduler.rules.domain import DateWindow
from scheduler.runtime.reminder_text import back_button
from scheduler.runtime.sending import Button

__all__ = [
    "MAX_CALLBACK_BYTES",
    "addition_keyboard",
    "asks_date",
    "buttons",
    "card_of",
    "carries",
    "confirm_keyboard",
    "item_card_keyboard",
    "markup",
    "markup_json",
    "opened_from_list",
    "reminder_keyboard",
    "reminder_keyboard_json",
]


def buttons(rows: Keyboard) -> tuple[tuple[Button, ...], ...]:
    """(label, data) rows as the neutral buttons the senders take."""
    return tuple(tuple(Button(label, data) for label, data in row) for row in rows)


def markup(rows: Keyboard) -> InlineKeyboardMarkup | None:
    """(label, data) rows as an inline keyboard (None when there are none)."""
    return keyboard(buttons(rows))


def markup_json(rows: Keyboard) -> dict[str, Any] | None:
    """The same as Bot API JSON, for an edit (see `bot.telegram_sender.keyboard_json`)."""
    return keyboard_json(buttons(rows))


def reminder_keyboard(reminder_id: int) -> InlineKeyboardMarkup | None:
    """«В работе» «Выполнено» / «Перенос» «Отменено» «Комментарий», as reminders carry."""
    return markup(status_rows(reminder_id))


def reminder_keyboard_json(
    reminder_id: int, *, back: bool = False, name_date: bool = False
) -> dict[str, Any] | None:
    """`reminder_keyboard` as Bot API JSON; `back` adds the way back to the batched message
    the card was opened from, `name_date` «Назвать дату»."""
    rows = buttons(status_rows(reminder_id, name_date=name_date))
    if back:
        rows = (*rows, (back_button(reminder_id),))
    return keyboard_json(rows)


def confirm_keyboard(question_id: int) -> InlineKeyboardMarkup:
    """«Да, записать» / «Нет» for a pending confirmation."""
    keys = markup(confirm_rows(question_id))
    assert keys is not None
    return keys


def item_card_keyboard(item_id: int, window: DateWindow | None) -> InlineKeyboardMarkup:
    """A card opened from /my: the status buttons keyed by item and by the window the
    card shows (`mi:<item_id>:<code>:<yyyymmdd>`)."""
    keys = markup(card_status_rows(item_id, window[0] if window is not None else None))
    assert keys is not None
    return keys


def addition_keyboard(invite_id: int, proof: str) -> InlineKeyboardMarkup:
    """«Добавить» / «Нет» for an invite to another agency."""
    keys = markup(addition_rows(invite_id, proof))
    assert keys is not None
    return keys


def _any_data(message: Message, test: Callable[[str | None], bool]) -> bool:
    reply_markup = message.reply_markup
    rows = reply_markup.inline_keyboard if reply_markup is not None else ()
    return any(test(str(b.callback_data or "")) for row in rows for b in row)


def opened_from_list(message: Message) -> bool:
    """The message is an item's card opened from a batched message (it has the way back)."""
    return _any_data(message, is_back_to_list)


def asks_date(message: Message) -> bool:
    """The message is a date request: it carries «Назвать дату»."""
    return _any_data(message, is_name_date)


def carries(message: Message, data: str) -> bool:
    """The message carries a button with exactly this data (not copied onto another)."""
    return _any_data(message, lambda pressed: pressed == data)


def card_of(message: Message) -> int | None:
    """The item of a card opened from /my (its `mi:<item_id>:` buttons), if it is one."""
    reply_markup = message.reply_markup
    rows = reply_markup.inline_keyboard if reply_markup is not None else ()
    for row in rows:
        for b in row:
            item_id = card_item(str(b.callback_data or ""))
            if item_id is not None:
                return item_id
    return None
