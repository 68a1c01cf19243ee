"""Recurring duties over the plan's period: one window per occurrence inside it.

«ежеквартально» over 2026–2028 is twelve quarters; «ежегодно, в мае» three Mays;
«ежеквартально, до 10 числа месяца, следующего за отчетным кварталом» each quarter from its
first day to the 10th of the month after it; «два раза в год: до 15 января и до 15 июля» each
half-year to the first listed deadline after it. Occurrences are those whose own period (the
month, quarter, half-year or year) starts inside the plan's period; a reporting deadline may
run past the period's end. Without a period a phrase keeps its first occurrence, except a
half-yearly duty with deadlines, which gives the two half-years from the reference on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from scheduler.rules.deadlines import vocabulary as vocab
from scheduler.rules.deadlines.resolve import days_in
from scheduler.rules.deadlines.result import DeadlineParse, make_parse
from scheduler.rules.deadlines.units import Group

#: Months one occurrence of each recurrence lasts (weekly duties are not expanded).
STEP_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
_DAY = timedelta(days=1)
#: More occurrences than this means a mistaken period (a century): keep the first one.
_MOST = 400


@dataclass(frozen=True, slots=True)
class Shape:
    """What a recurring phrase's dated groups are, read before they are resolved.

    `years_only`: no dated group, or years and spans of years only («ежегодно», «ежеквартально
    в течение 2026 года»): the occurrences are the calendar periods themselves, within the
    years written in digits or named («текущего года»: `dated`), if any. `closing`:
    two or more year-less deadlines («до 15 января и до 15 июля»), as (month, day): each
    closes the period before it. `limited`: some group is a deadline.
    """

    years_only: bool
    closing: tuple[tuple[int, int], ...]
    limited: bool
    dated: bool

    @staticmethod
    def of(groups: list[Group]) -> Shape:
        years_only = all(
            g.start.kind == "year"
            and (g.end is None or g.end.kind == "year")
            and not g.limit
            and not g.years
            and not g.onward
            for g in groups
        )
        closing: tuple[tuple[int, int], ...] = ()
        # «до 15 января и до 15 июля», «(до 5 июля и 5 января)»: the list shares its «до»
        deadlines = len(groups) >= 2 and any(g.limit for g in groups)
        if deadlines and all(_is_deadline_day(g) for g in groups):
            closing = tuple((g.start.month or 0, g.start.n) for g in groups)
        # «ежегодно, в течение года»: «года» alone is each occurrence's own year; a year in
        # digits or «текущего года» bounds the occurrences
        dated = any(
            g.years or g.start.text[:1].isdigit() or g.start.text in vocab.YEAR_DEIXIS
            for g in groups
        )
        return Shape(years_only, closing, any(g.limit for g in groups), dated)


def _is_deadline_day(group: Group) -> bool:
    start = group.start
    return (
        group.end is None and start.kind == "day" and start.year is None and start.month is not None
    )


def _month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def occurrences(step: int, start: date, end: date) -> list[tuple[date, date]]:
    """The calendar periods of `step` months (aligned: quarters start in January, April …)
    whose first day lies in [start, end]."""
    index = start.year * 12 + start.month - 1
    if start.day != 1:
        index += 1
    index += -index % step
    found: list[tuple[date, date]] = []
    while len(found) < _MOST:
        first = _month_start(index)
        if first > end:
            break
        found.append((first, _month_start(index + step) - _DAY))
        index += step
    return found


def _clipped(step: int, start: date) -> tuple[date, date]:
    """The occurrence under way at `start`, from `start` on: for a period too short to hold
    the first day of any occurrence («ежегодно» in a plan for March – December)."""
    index = start.year * 12 + start.month - 1
    index -= index % step
    return start, _month_start(index + step) - _DAY


def _next_day_after(month: int, day: int, after: date) -> date | None:
    """The first (month, day) strictly after `after`, within two years."""
    for year in (after.year, after.year + 1, after.year + 2):
        if 1 <= month <= 12 and 1 <= day <= days_in(year, month):
            found = date(year, month, day)
            if found > after:
                return found
    return None


def _with(
    parsed: DeadlineParse,
    windows: list[tuple[date, date]],
    *,
    due: tuple[date, ...] | None = None,
    warnings: tuple[str, ...] | None = None,
) -> DeadlineParse:
    """`parsed` with the windows of its occurrences (and their due dates and warnings)."""
    return make_parse(
        parsed.text,
        tuple(sorted(set(windows))),
        parsed.recurrence,
        parsed.tentative,
        not windows,
        parsed.due if due is None else due,
        parsed.warnings if warnings is None else warnings,
    )


def over_period(
    parsed: DeadlineParse,
    shape: Shape | None,
    period: tuple[date, date] | None,
    *,
    reference: date,
    again: Callable[[date], DeadlineParse],
) -> DeadlineParse:
    """The windows of a recurring phrase over `period`; `again(start)` reads the phrase
    against another reference (the start of one occurrence)."""
    recurrence = parsed.recurrence
    step = STEP_MONTHS.get(recurrence or "")
    if step is None or shape is None:
        return parsed
    closing = shape.closing if recurrence in ("half_yearly", "quarterly") else ()
    if period is None:
        if not closing and not (recurrence == "half_yearly" and shape.limited):
            return parsed
        # Without a plan's period, a half-yearly duty's two half-years from the reference on.
        year_on = reference.replace(year=reference.year + 1, day=min(reference.day, 28))
        period = (reference, year_on - _DAY)
    start, end = period
    if start > end:
        return parsed
    if closing:
        windows = []
        for first, last in occurrences(step, start, end):
            deadlines = [_next_day_after(m, d, last) for m, d in closing]
            known = [day for day in deadlines if day is not None]
            if known:
                windows.append((first, min(known)))
        # the listed deadlines are the windows' ends, not due dates of their own
        return _with(parsed, windows, due=()) if windows else parsed
    if shape.years_only:
        bounds = parsed.windows if shape.dated else (period,)
        found = occurrences(step, start, end) or [_clipped(step, start)]
        windows = [w for w in found if any(low <= w[0] <= high for low, high in bounds)]
        return _with(parsed, windows) if windows else parsed
    return _each_occurrence(parsed, step, start, end, again)


def weekly(
    parsed: DeadlineParse,
    shape: Shape | None,
    period: tuple[date, date] | None,
    weekdays: tuple[int, ...],
) -> DeadlineParse:
    """A weekly duty over `period`: each named weekday in it («по вторникам»), or each week
    from Monday to Sunday that starts in it; within the dates the phrase gives, if any."""
    if period is None or shape is None or period[0] > period[1]:
        return parsed
    start, end = period
    bounds = parsed.windows if shape.dated else (period,)
    low, high = max(start, min(w[0] for w in bounds)), min(end, max(w[1] for w in bounds))
    windows: list[tuple[date, date]] = []
    if weekdays:
        day = low
        while day <= high and len(windows) < 7 * _MOST:
            if day.weekday() in weekdays and any(a <= day <= b for a, b in bounds):
                windows.append((day, day))
            day += _DAY
    else:
        monday = low + timedelta(days=-low.weekday() % 7)
        while monday <= high and len(windows) < _MOST:
            if any(a <= monday <= b for a, b in bounds):
                windows.append((monday, monday + timedelta(days=6)))
            monday += timedelta(days=7)
    return _with(parsed, windows) if windows else parsed


def _each_occurrence(
    parsed: DeadlineParse,
    step: int,
    start: date,
    end: date,
    again: Callable[[date], DeadlineParse],
) -> DeadlineParse:
    """Read the phrase once per occurrence, against its first day; keep the windows that
    start inside the period."""
    references = [start] + [first for first, _ in occurrences(step, start, end) if first > start]
    windows: set[tuple[date, date]] = set()
    due: set[date] = set()
    warnings: dict[str, None] = {}
    for reference in references:
        found = again(reference)
        windows.update(window for window in found.windows if start <= window[0] <= end)
        due.update(day for day in found.due if start <= day)
        warnings.update(dict.fromkeys(found.warnings))
    if not windows:
        return parsed
    return _with(parsed, _innermost(windows), due=tuple(sorted(due)), warnings=tuple(warnings))


def _innermost(windows: set[tuple[date, date]]) -> list[tuple[date, date]]:
    """Drop a window that contains another: «ежегодно до 1 января» read from February runs to
    next January, which the next occurrence's own window already covers."""
    ordered = sorted(windows, key=lambda w: (w[1], -w[0].toordinal()))
    kept: list[tuple[date, date]] = []
    for window in ordered:  # by end, and for one end the latest start first
        if kept and window[0] <= kept[-1][0]:
            continue  # contains the window kept before it (an end no earlier, a start no later)
        kept.append(window)
    return kept
