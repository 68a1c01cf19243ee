"""Fuzzy deadlines -> date windows: «II квартал 2026 года» -> 1 апреля – 30 июня 2026 г.

`parse_deadline(text, reference=…)` never raises: what it cannot read becomes a warning.
Vocabulary lives in `vocabulary.py` (data); the grammar in `tokens.py`, `grammar.py`,
`resolve.py` and `markers.py` (code); `fast.py` answers the commonest shapes early, exactly
as the grammar would (`parse_general` is the grammar alone, to check that against).
"""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

from scheduler.deadlines.engine import parse, parse_general
from scheduler.deadlines.resolve import OUTLOOK_YEARS, YEARS_AFTER, YEARS_BEFORE
from scheduler.deadlines.result import RECURRENCES, DeadlineParse

__all__ = [
    "OUTLOOK_YEARS",
    "RECURRENCES",
    "YEARS_AFTER",
    "YEARS_BEFORE",
    "DeadlineParse",
    "clear_cache",
    "parse",
    "parse_deadline",
    "parse_general",
]

logger = logging.getLogger(__name__)

# Plans repeat their deadlines («2026 – 2028 годы» ten times in the roadmap), re-imports and
# daily refreshes parse them again: results are immutable, so the same phrase, reference and
# period share one. The bench measures the engine both with and without this cache.
_cached = lru_cache(maxsize=8192)(parse)


def parse_deadline(
    text: str, *, reference: date, period: tuple[date, date] | None = None
) -> DeadlineParse:
    """The windows, recurrence, flags, due dates and warnings of one deadline phrase.

    `period` is the plan's (start, end): a recurring phrase gives one window per occurrence
    inside it; without it, its first occurrence on or after the reference.
    """
    if not isinstance(text, str):
        text = str(text)
    if period is not None:
        period = (period[0], period[1])  # a list or other sequence would not hash
    try:
        return _cached(text, reference, period)
    except Exception:  # the contract is «never raises»: one odd cell must not stop an import
        logger.exception("deadline engine failed on %r", text)
        return DeadlineParse(text, (), None, False, True, (), ("не удалось разобрать: " + text,))


def clear_cache() -> None:
    """Forget every remembered parse (for measurements)."""
    _cached.cache_clear()
