"""dateparser, for one single date the grammar does not know; imported only when needed."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from scheduler.rules.deadlines.vocabulary import FALLBACK_HINT_PATTERN

#: Longer text is a sentence, not a date; dateparser would only guess.
MAX_FALLBACK_LENGTH = 60
_HINT = re.compile(FALLBACK_HINT_PATTERN)


_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@lru_cache(maxsize=16)
def _parser(reference: date, languages: tuple[str, ...]) -> Any:
    """A parser whose relative dates («завтра») count from `reference`, not from the clock."""
    # Imported lazily: dateparser costs a noticeable fraction of a second to import.
    from dateparser.date import DateDataParser

    base = datetime.combine(reference, time())  # dateparser wants a naive base
    return DateDataParser(
        languages=list(languages),
        settings={"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": base},
    )


def _languages(text: str) -> tuple[str, ...]:
    """Russian alone for Russian words: English cannot read them, and trying costs half."""
    if _CYRILLIC.search(text) is not None and _LATIN.search(text) is None:
        return ("ru",)
    return ("ru", "en")


def single_date(text: str, *, reference: date) -> date | None:
    """The one date dateparser reads in `text`, relative to `reference`, or None."""
    if len(text) > MAX_FALLBACK_LENGTH or _HINT.search(text) is None:
        return None
    try:
        found = _parser(reference, _languages(text)).get_date_data(text)
    except Exception:  # dateparser raises assorted errors on odd input; never let them out
        return None
    moment = found.date_obj if found is not None else None
    return moment.date() if moment is not None else None
