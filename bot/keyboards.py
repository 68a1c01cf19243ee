"""Inline keyboards of the bot's own questions; labels come from a template.

A reminder's status buttons (`st:<reminder_id>:<code>`) are built by the dispatcher
(`scheduler.runtime.reminder_text.status_buttons`); `reminder_keyboard` renders the same for
the bot and the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.telegram_sender import keyboard, keyboard_json
from messages import render_plain
from messages.formatting import item_labels
from models.chats.invites import Addition
from models.statuses.agency_items import AgencyItem
from scheduler.runtime.reminder_text import STATUS_BUTTON_ROWS, back_button, status_buttons

MAX_CALLBACK_BYTES = 64


def _labels() -> dict[str, str]:
    """`code: label` lines of bot/buttons.j2."""
    lines = render_plain("bot/buttons.j2").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def _button(label: str, data: str) -> InlineKeyboardButton:
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return InlineKeyboardButton(label, callback_data=data)


def reminder_keyboard(reminder_id: int) -> InlineKeyboardMarkup | None:
    """«В работе» «Выполнено» / «Перенос» «Отменено» «Комментарий», as reminders carry."""
    return keyboard(status_buttons(reminder_id))


def reminder_keyboard_json(
    reminder_id: int, *, back: bool = False, name_date: bool = False
) -> dict[str, Any] | None:
    """`reminder_keyboard` as Bot API JSON (see `keyboard_json`); `back` adds the way
    back to the batched message the card was opened from, `name_date` «Назвать дату»."""
    buttons = status_buttons(reminder_id, name_date=name_date)
    if back:
        buttons = (*buttons, (back_button(reminder_id),))
    return keyboard_json(buttons)


def opened_from_list(message: Message) -> bool:
    """The message is an item's card opened from a batched message (it has the way back)."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return any(str(b.callback_data or "").startswith("ls:") for row in rows for b in row)


def asks_date(message: Message) -> bool:
    """The message is a date request: it carries «Назвать дату» (`st:<id>:dt`)."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return any(str(b.callback_data or "").endswith(":dt") for row in rows for b in row)


def confirm_keyboard(question_id: int) -> InlineKeyboardMarkup:
    """«Да, записать» / «Нет» for a pending confirmation."""
    labels = _labels()
    return InlineKeyboardMarkup(
        [[_button(labels["ok"], f"ok:{question_id}"), _button(labels["no"], f"no:{question_id}")]]
    )


def choice_keyboard(question_id: int, items: Sequence[AgencyItem]) -> InlineKeyboardMarkup:
    """One button per candidate item: «п. 13 Продэкспо…» (`ch:<question_id>:<item_id>`);
    candidates sharing a number say their plan (or agency)."""
    label = _labels()["choose"]
    numbers = item_labels(items)
    return InlineKeyboardMarkup(
        [
            [
                _button(
                    label.format(label=numbers[(e.item_id, e.agency_id)], title=e.title[:40]),
                    f"ch:{question_id}:{e.item_id}",
                )
            ]
            for e in items
        ]
    )


#: /my offers at most this many card buttons (Telegram allows 100 on a message).
MY_MAX_BUTTONS = 96
MY_ROW = 4


def my_keyboard(items: Sequence[AgencyItem]) -> InlineKeyboardMarkup | None:
    """/my: one button per open item, «п. 13» (two items 3 of two plans: «п. 3 · План …»),
    opening its card (`mc:<item_id>`)."""
    label = _labels()["card"]
    numbers = item_labels(items)
    buttons = [
        _button(label.format(label=numbers[(e.item_id, e.agency_id)]), f"mc:{e.item_id}")
        for e in items[:MY_MAX_BUTTONS]
    ]
    rows = [buttons[i : i + MY_ROW] for i in range(0, len(buttons), MY_ROW)]
    return InlineKeyboardMarkup(rows) if rows else None


def item_card_keyboard(item_id: int) -> InlineKeyboardMarkup:
    """A card opened from /my: the status buttons keyed by item (`mi:<item_id>:<code>`),
    checked against the contact's agency when pressed."""
    return InlineKeyboardMarkup(
        [
            [_button(label, f"mi:{item_id}:{code}") for label, code in row]
            for row in STATUS_BUTTON_ROWS
        ]
    )


def card_item(message: Message) -> int | None:
    """The item of a card opened from /my (its `mi:<item_id>:` buttons), if it is one."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    for row in rows:
        for b in row:
            parts = str(b.callback_data or "").split(":")
            if len(parts) == 3 and parts[0] == "mi" and parts[1].isdigit():
                return int(parts[1])
    return None


def addition_keyboard(addition: Addition) -> InlineKeyboardMarkup:
    """«Добавить» / «Нет» for an invite to another agency (`ad:`/`an:<invite>:<proof>`)."""
    labels = _labels()
    tail = f"{addition.invite_id}:{addition.proof}"
    return InlineKeyboardMarkup(
        [[_button(labels["add"], f"ad:{tail}"), _button(labels["keep"], f"an:{tail}")]]
    )
