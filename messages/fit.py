"""Reports that fit one Telegram message: fewer lines per list until the text fits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from messages.render import render
from messages.split import TELEGRAM_LIMIT, split_message, telegram_length

T = TypeVar("T")
#: Lines per list tried in turn; the rest of each list is «… и ещё N», a button away.
LIMITS = (10, 8, 6, 4, 3, 2, 1)


def render_fitted(
    name: str, *, limits: Sequence[int] = LIMITS, room: int = TELEGRAM_LIMIT, **context: Any
) -> str:
    """Template `name` rendered with the largest `limit` whose text fits in `room` units.

    Should even the smallest limit not fit, the text is cut at a line boundary: one
    message is the promise, the buttons carry the rest.
    """
    text = ""
    for limit in limits:
        text = render(name, limit=limit, **context)
        if telegram_length(text) <= room:
            return text
    return split_message(text, room)[0]


def page_of(entries: Sequence[T], *, page: int, size: int) -> tuple[list[T], int, int]:
    """The entries of page `page` (clamped), the page number used and how many pages."""
    pages = max(1, -(-len(entries) // size))
    page = min(max(page, 0), pages - 1)
    return list(entries[page * size : (page + 1) * size]), page, pages
