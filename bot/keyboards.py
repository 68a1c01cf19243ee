"""Inline keyboards; button labels come from templates, callback data stays under 64 bytes."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from messages import render_plain

#: Reminder buttons in display order: code -> template label key.
STATUS_BUTTONS = ("ip", "dn", "pp", "cn", "cm")
MAX_CALLBACK_BYTES = 64


def _labels() -> dict[str, str]:
    """`code: label` lines of bot/buttons.j2."""
    lines = render_plain("bot/buttons.j2").splitlines()
    return dict(line.split(": ", 1) for line in lines if ": " in line)


def _button(label: str, data: str) -> InlineKeyboardButton:
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return InlineKeyboardButton(label, callback_data=data)


def status_keyboard(reminder_id: int) -> InlineKeyboardMarkup:
    """«В работе» «Выполнено» / «Перенос» «Отменено» / «Комментарий»."""
    labels = _labels()
    buttons = [_button(labels[code], f"st:{reminder_id}:{code}") for code in STATUS_BUTTONS]
    return InlineKeyboardMarkup([buttons[0:2], buttons[2:4], buttons[4:5]])


def confirm_keyboard(question_id: int) -> InlineKeyboardMarkup:
    """«Да, записать» / «Нет» for a pending confirmation."""
    labels = _labels()
    return InlineKeyboardMarkup(
        [[_button(labels["ok"], f"ok:{question_id}"), _button(labels["no"], f"no:{question_id}")]]
    )
