"""What is said: jinja2 templates in Russian and the helpers that format for them."""

from messages.formatting import (
    format_day,
    format_moment,
    format_window,
    format_windows,
    plural,
    status_label,
)
from messages.render import render, render_plain
from messages.split import (
    TELEGRAM_LIMIT,
    split_message,
    telegram_length,
    visible_length,
    visible_text,
)

__all__ = [
    "TELEGRAM_LIMIT",
    "format_day",
    "format_moment",
    "format_window",
    "format_windows",
    "plural",
    "render",
    "render_plain",
    "split_message",
    "status_label",
    "telegram_length",
    "visible_length",
    "visible_text",
]
