"""Russian dates, windows, plurals and status labels, through babel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime

LOCALE = Locale("ru")

STATUS_LABELS = {
    "planned": "Запланировано",
    "in_progress": "В работе",
    "done": "Выполнено",
    "postponed": "Перенос",
    "cancelled": "Отменено",
}

RECURRENCE_LABELS = {
    "yearly": "ежегодно",
    "half_yearly": "раз в полугодие",
    "quarterly": "ежеквартально",
    "monthly": "ежемесячно",
    "weekly": "еженедельно",
}


def recurrence_label(recurrence: str | None) -> str:
    """«ежегодно» for `yearly`; empty for a one-off deadline."""
    return RECURRENCE_LABELS.get(recurrence or "", recurrence or "")


def status_label(status: str | None) -> str:
    """«В работе» for `in_progress`; an item with no report is «Запланировано»."""
    return STATUS_LABELS.get(str(status or "planned"), str(status))


def format_day(day: date, *, with_year: bool = True) -> str:
    """«1 апреля 2026 г.» (or «1 апреля» without the year)."""
    if with_year:
        return format_date(day, "d MMMM y 'г.'", locale=LOCALE)
    return format_date(day, "d MMMM", locale=LOCALE)


def format_window(window: Sequence[date]) -> str:
    """An inclusive window in words: «1 апреля – 30 июня 2026 г.», «9–12 февраля 2026 г.»."""
    start, end = window[0], window[1]
    if start == end:
        return format_day(start)
    if start.year != end.year:
        return f"{format_day(start)} – {format_day(end)}"
    if start.month == end.month:
        return f"{start.day}–{format_day(end)}"
    return f"{format_day(start, with_year=False)} – {format_day(end)}"


def format_windows(windows: Iterable[Sequence[date]]) -> str:
    """Several windows joined by «; », or «дата не определена» when there are none."""
    parts = [format_window(w) for w in windows]
    return "; ".join(parts) if parts else "дата не определена"


def format_moment(moment: datetime, timezone: str = "Europe/Moscow") -> str:
    """«22 ноября 2026 г., 09:00» in the given time zone."""
    local = moment.astimezone(ZoneInfo(timezone))
    return format_datetime(local, "d MMMM y 'г.', HH:mm", locale=LOCALE)


def plural(n: int, one: str, few: str, many: str) -> str:
    """The word form for `n` by babel's Russian plural rules: 1 пункт, 2 пункта, 5 пунктов."""
    form = LOCALE.plural_form(abs(n))
    word = {"one": one, "few": few}.get(form, many)
    return f"{n} {word}"
