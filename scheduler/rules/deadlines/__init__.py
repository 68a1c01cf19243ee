"""Fuzzy deadlines -> date windows: «II квартал 2026 года» -> 1 апреля – 30 июня 2026 г.

`parse_deadline(text, reference=…, period=None)` never raises: what it cannot read becomes
a warning. `reference` is the plan's start (or signing date), `period` the plan's (start,
end). Vocabulary lives in `vocabulary.py` (data); the grammar in `tokens.py`, `grammar.py`,
`resolve.py`, `markers.py` and `recurrence.py` (code); `fast.py` answers the commonest
shapes early, exactly as the grammar would (`parse_general` is the grammar alone, to check
that against).

Conventions (DESIGN.md «Fuzzy deadlines -> windows» and issue 13). Windows are inclusive
[start, end] date pairs in date order; `warnings` say what was assumed.

- A date without a year falls on or after the reference month. In a list or a range, a
  member earlier in the calendar than the one before it falls in the next year («ноябрь,
  февраль» from September: November, then February of the next year; «с 15 ноября по 10
  февраля»), with the warning «год не указан — взят следующий».
- Parts of a month: «в начале» 1–10, «в середине» 11–20, «в конце» 21–last day (warning
  «часть месяца: 21–30 июня»); «первая / вторая / третья (последняя) декада» 1–10, 11–20,
  21–last; «первая половина» 1–15, «вторая половина» 16–last. Of a quarter or half-year:
  its first month, its middle month(s), its last month; of a year: January, June–July,
  December. After a limit the part is one day: «до конца мая» [reference, 31 May],
  «не позднее середины марта» [reference, 15 March], «к началу будущего года»
  [reference, 1 January next year].
- Reporting periods: «за III квартал – не позднее 20 октября» is [1 July, 20 October];
  «до N числа (первого / второго) месяца, следующего за отчётным кварталом / полугодием /
  месяцем» closes the reference's period (with a recurrence and a period: each one) on that
  day; «года, следующего за отчётным» puts year-less dates in the next year. Such windows
  may overlap and may end after the period.
- Half-yearly: «два раза в год: до 15 января и до 15 июля» — each listed deadline closes
  the half-year before it ([1 Jan, 15 Jul], [1 Jul, 15 Jan next year]); without a period a
  half-yearly duty with deadlines gives the two half-years from the reference on.
- Recurrence over the period: with `period`, a recurring phrase gives one window per
  occurrence whose own period starts inside the plan's (12 quarters of «ежеквартально» in
  2026–2028, 36 months, 3 Mays of «ежегодно, в мае»); a phrase with no dates, or with
  years only, gives the calendar periods themselves; dated ones are read again from each
  occurrence's first day; a weekly duty gives each weekday it names («по вторникам»), or
  each week from Monday. Without a period: the first occurrence, as before.
- Spans of years and year-only limits may reach `OUTLOOK_YEARS` around the reference
  («в 2015 – 2040 годах», «на период до 2050 года»); other years `YEARS_BEFORE` /
  `YEARS_AFTER`; a year outside («2206») is a warning. «на 2025 – 2027 годы и на период до
  2035 года» is one window to the outer end.
- A weekday of a month: «третье воскресенье августа», «в последнюю субботу июня».
- Day numbers with no month («5 (четверг)», «12, 19, 26», «с 3 по 7») are days of the
  reference month (a monthly plan's first day); under a month heading («в марте: 3-4,
  10-11») days of that month. Days may be words («с первого по пятое марта»).
- Remarks of words only in parentheses («(понедельник)») do not break a range.
- Anchored to an event Srok cannot know («со дня утверждения», «за 10 дней до начала
  сезона», «в течение отопительного периода», «после завершения ремонта»): undated, no
  windows, the warning «срок отсчитывается от события: …».
- «в текущем году», «на протяжении всего года», «не позднее конца текущего квартала»,
  «в следующем квартале»: periods counted from the reference.
- Tentative markers («уточняется», «предварительно», «планируется», «будет сообщено
  дополнительно», «при наличии финансирования», «в случае проведения» …) set `tentative`
  and keep the windows that can be read; with none, the phrase is undated too.
"""

from __future__ import annotations

import logging
from datetime import date
from functools import lru_cache

from scheduler.rules.deadlines.engine import parse, parse_general
from scheduler.rules.deadlines.resolve import OUTLOOK_YEARS, YEARS_AFTER, YEARS_BEFORE
from scheduler.rules.deadlines.result import RECURRENCES, DeadlineParse

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
