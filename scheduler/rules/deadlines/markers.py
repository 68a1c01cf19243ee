"""Phrase-level markers: undated, tentative, recurrence, «throughout», the planning period."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scheduler.rules.deadlines import vocabulary as vocab
from scheduler.rules.deadlines.tokens import Token


def _any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    # Every marker starts a word: «\b» makes the scanner drop mid-word positions at once.
    return re.compile(r"\b(?:" + "|".join(f"(?:{pattern})" for pattern in patterns) + ")")


_UNDATED = _any(vocab.UNDATED_PATTERNS)
_EVENT = _any(vocab.EVENT_PATTERNS)
_TENTATIVE = _any(vocab.TENTATIVE_PATTERNS)
_THROUGHOUT = _any(vocab.THROUGHOUT_PATTERNS)
_PLANNING = re.compile(vocab.PLANNING_PERIOD_PATTERN)
_NEXT_YEAR = re.compile(vocab.NEXT_YEAR_PATTERN)
_RECURRENCE = [(re.compile(pattern), name) for pattern, name in vocab.RECURRENCE_PATTERNS]
_AFTER_PERIOD = re.compile(
    r"следующ\w*\s+за\s+отчетн\w*(?:\s+(квартал|кв\b|месяц|мес\b|полугоди|год))?"
    r"|месяц\w*,?\s+следующ\w*\s+(квартал|полугоди)"
    r"|след(?:ующего|\.)\s+(месяц|мес\b)"
)
#: «до 15 числа второго месяца, следующего за отчетным кварталом»: which month after it.
_MONTH_AFTER = re.compile(r"\b(перв|втор|трет)\w*\s+месяц\w*,?\s+следующ")
_MONTH_ORDINALS = {"перв": 1, "втор": 2, "трет": 3, "последн": -1}
#: «до 25 числа последнего месяца квартала»: a month inside the reported period.
_WEEKDAYS = re.compile(r"\b(" + "|".join(stem for stem, _ in vocab.WEEKDAY_STEMS) + r")")
_WEEKDAY_NUMBERS = dict(vocab.WEEKDAY_STEMS)
_MONTH_OF = re.compile(r"\b(перв|втор|трет|последн)\w*\s+месяц\w*\s+(квартал|полугоди)")
#: The reported period a phrase names («за отчетным кварталом») -> its recurrence name.
_NAMED_PERIODS = {
    "квартал": "quarterly",
    "кв": "quarterly",
    "месяц": "monthly",
    "мес": "monthly",
    "полугоди": "half_yearly",
    "год": "yearly",
}

#: Months a recurring period lasts, to find «the month following the reported one».
_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12, None: 12}


@dataclass(frozen=True, slots=True)
class Markers:
    """The flags a phrase's wording sets, independent of its dates."""

    undated: bool
    tentative: bool
    throughout: bool
    planning_period: bool
    recurrence: str | None
    after_period: bool
    period: str | None = None
    next_year: bool = False
    event: str = ""  # the event a deadline counts from («со дня утверждения»)
    month_of: int = 0  # «N числа последнего месяца квартала»: that month of the period
    weekdays: tuple[int, ...] = ()  # the days a weekly duty names («по вторникам»)
    months_after: int = 1  # the month after the reported period that «N числа» falls in


# One search tells most phrases (those with no marker at all) apart cheaply.
_ANY = _any(
    vocab.UNDATED_PATTERNS
    + vocab.TENTATIVE_PATTERNS
    + vocab.THROUGHOUT_PATTERNS
    + vocab.EVENT_PATTERNS
    + (vocab.PLANNING_PERIOD_PATTERN,)
    + tuple(pattern for pattern, _ in vocab.RECURRENCE_PATTERNS)
    + (_AFTER_PERIOD.pattern, _MONTH_OF.pattern)
)
NO_MARKERS = Markers(False, False, False, False, None, False)


def find_markers(normalised: str, tokens: list[Token]) -> Markers:
    """The markers in normalised text (`tokens` are its tokens)."""
    # Most deadlines are dates and prepositions only; those skip the marker search.
    inert, marking = vocab.INERT_WORDS, vocab.MARKER_UNIT_FORMS
    for kind, value, text in tokens:  # a plain loop: a generator's frame costs more here
        if (kind == "word" and value not in inert) or value == "times" or text in marking:
            break
    else:
        return NO_MARKERS
    if _ANY.search(normalised) is None:
        return NO_MARKERS
    recurrence = next((name for pattern, name in _RECURRENCE if pattern.search(normalised)), None)
    after = _AFTER_PERIOD.search(normalised)
    event = _EVENT.search(normalised)
    month_after = _MONTH_AFTER.search(normalised) if after is not None else None
    named = next((part for part in after.groups() if part), "") if after is not None else ""
    month_of = _MONTH_OF.search(normalised) if after is None else None
    if month_of is not None:
        named = month_of.group(2)
    return Markers(
        undated=_UNDATED.search(normalised) is not None,
        tentative=_TENTATIVE.search(normalised) is not None,
        throughout=_THROUGHOUT.search(normalised) is not None,
        planning_period=_PLANNING.search(normalised) is not None,
        recurrence=recurrence,
        after_period=after is not None or month_of is not None,
        period=_NAMED_PERIODS.get(named),
        next_year=_NEXT_YEAR.search(normalised) is not None,
        event=event.group(0) if event is not None else "",
        months_after=_MONTH_ORDINALS[month_after.group(1)] if month_after is not None else 1,
        month_of=_MONTH_ORDINALS[month_of.group(1)] if month_of is not None else 0,
        weekdays=_weekdays(normalised) if recurrence == "weekly" else (),
    )


def _weekdays(normalised: str) -> tuple[int, ...]:
    """The weekdays a weekly duty names, in week order."""
    return tuple(sorted({_WEEKDAY_NUMBERS[stem] for stem in _WEEKDAYS.findall(normalised)}))


def day_of_month_in(markers: Markers, reference: date) -> tuple[int, int]:
    """The (year, month) «N числа» means: the reference month, or the one after the period.

    «ежеквартально, до 10 числа месяца, следующего за отчетным» -> the month after the
    reference's quarter; a month-long period -> the month after the reference month.
    """
    if not markers.after_period:
        return reference.year, reference.month
    length = _PERIOD_MONTHS.get(markers.period or markers.recurrence, 12)
    period_end = ((reference.month - 1) // length + 1) * length
    if markers.month_of:  # a month of the period itself: its first … or last month
        month = period_end if markers.month_of == -1 else period_end - length + markers.month_of
        return reference.year, min(max(month, 1), 12)
    following = period_end + markers.months_after
    return reference.year + (following - 1) // 12, (following - 1) % 12 + 1
