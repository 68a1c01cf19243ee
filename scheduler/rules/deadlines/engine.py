"""The engine: normalise, find markers, tokenize, read the grammar, resolve to dates."""

from __future__ import annotations

from datetime import date

from scheduler.rules.deadlines import fallback
from scheduler.rules.deadlines.fast import fast_parse
from scheduler.rules.deadlines.grammar import read
from scheduler.rules.deadlines.markers import Markers, day_of_month_in, find_markers
from scheduler.rules.deadlines.recurrence import Shape, over_period, weekly
from scheduler.rules.deadlines.resolve import YEARS_AFTER, YEARS_BEFORE, resolve
from scheduler.rules.deadlines.result import DeadlineParse, make_parse
from scheduler.rules.deadlines.tokens import Token, normalise, tokenize

Period = tuple[date, date]

#: Longest phrase quoted back in a warning.
_QUOTE = 80


def _quote(normalised: str) -> str:
    return normalised if len(normalised) <= _QUOTE else normalised[: _QUOTE - 1] + "…"


def _cover(windows: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """«на 2027 год и плановый период 2028 и 2029 годов» is one window over all the years."""
    return [(min(w[0] for w in windows), max(w[1] for w in windows))] if windows else []


def _reference_year(reference: date) -> tuple[date, date]:
    return date(reference.year, 1, 1), date(reference.year, 12, 31)


def _undated_windows(
    normalised: str, markers: Markers, reference: date, warnings: list[str], *, read: bool
) -> list[tuple[date, date]]:
    """Windows for a phrase with no dated group: throughout, fallback, or none.

    `read` says the grammar did find dates (all rejected, with warnings): then dateparser,
    which knows less, is not asked.
    """
    if markers.undated:
        return []
    if markers.throughout or markers.recurrence:
        return [_reference_year(reference)]
    if markers.tentative or read:
        return []
    day = fallback.single_date(normalised, reference=reference)
    low, high = reference.year - YEARS_BEFORE, reference.year + YEARS_AFTER
    if day is not None and low <= day.year <= high:
        warnings.append(f"дата прочитана приблизительно: {_quote(normalised)}")
        return [(day, day)]
    if not warnings:
        warnings.append(f"не удалось разобрать: {_quote(normalised)}")
    return []


def parse(text: str, reference: date, period: Period | None = None) -> DeadlineParse:
    """The windows, recurrence, flags, due dates and warnings of one phrase (no cache).

    `period` is the plan's (start, end): a recurring phrase gives a window per occurrence
    inside it (the early exits never recur, so they answer with or without it).
    """
    normalised = normalise(text)
    quick = fast_parse(text, normalised, reference)
    if quick is not None:
        return quick
    return _general(text, normalised, reference, period)


def parse_general(text: str, reference: date, period: Period | None = None) -> DeadlineParse:
    """`parse` without the early exits: the grammar alone (to check the exits against)."""
    return _general(text, normalise(text), reference, period)


def _general(
    text: str, normalised: str, reference: date, period: Period | None = None
) -> DeadlineParse:
    """The full grammar over normalised text, then the recurrence over the period."""
    tokens = tokenize(normalised)
    markers = find_markers(normalised, tokens)
    if markers.event:
        warning = f"срок отсчитывается от события: {markers.event}"
        return make_parse(text, (), markers.recurrence, markers.tentative, True, (), (warning,))
    parsed, shape = _once(text, normalised, tokens, markers, reference)
    if markers.recurrence is None or parsed.undated:
        return parsed
    if markers.recurrence == "weekly":
        return weekly(parsed, shape, period, markers.weekdays)
    return over_period(
        parsed,
        shape,
        period,
        reference=reference,
        again=lambda start: _once(text, normalised, tokens, markers, start)[0],
    )


def _once(
    text: str, normalised: str, tokens: list[Token], markers: Markers, reference: date
) -> tuple[DeadlineParse, Shape | None]:
    """One reading of the phrase against `reference`, and (for a recurring phrase) the shape
    of its dated groups that decides how it repeats."""
    reading = read(tokens, reference_year=reference.year, reference_month=reference.month)
    shape = Shape.of(reading.groups) if markers.recurrence is not None else None
    found = resolve(
        reading.groups,
        reference=reference,
        day_of_month_in=day_of_month_in(markers, reference),
        next_year=markers.next_year,
        bare_days=not reading.worded,
    )
    warnings = found.warnings
    if reading.leftovers or reading.two_digit_years:
        warnings = [f"не удалось разобрать: {piece}" for piece in reading.leftovers]
        warnings += [f"двузначный год: {year}" for year in reading.two_digit_years]
        warnings += found.warnings
    windows = found.windows
    if markers.planning_period:
        windows = _cover(windows)
    if not normalised:
        warnings.append("пустая формулировка срока")
    elif not windows:
        windows = _undated_windows(
            normalised, markers, reference, warnings, read=bool(reading.groups)
        )
    due = found.due
    parsed = make_parse(
        text,
        tuple(sorted(set(windows))) if len(windows) > 1 else tuple(windows),
        markers.recurrence,
        markers.tentative,
        not windows,
        tuple(sorted(set(due))) if len(due) > 1 else tuple(due),
        tuple(dict.fromkeys(warnings)) if warnings else (),
    )
    return parsed, shape
