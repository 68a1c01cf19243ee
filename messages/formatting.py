"""Russian dates, windows, plurals and status labels, through babel."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol
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


#: Words a cut-short text must not end on: it would read as if something were missing.
_DANGLING = frozenset(
    [
        "и",
        "или",
        "а",
        "но",
        "в",
        "во",
        "на",
        "по",
        "о",
        "об",
        "от",
        "до",
        "для",
        "из",
        "к",
        "ко",
        "с",
        "со",
        "у",
        "за",
        "при",
        "под",
        "над",
        "без",
        "через",
        "между",
    ]
)
_YEAR_RANGE = re.compile(r"(\d{4})\s*[-–—]\s*(\d{4})")
#: The period a plan's title ends with: «на 2026 – 2028 годы», «на I полугодие 2026 года».
_PERIOD_TAIL = re.compile(
    r"^(?P<head>.*)\s(?P<tail>на\s+[^«»()]{0,40}\d{4}[^«»()\d]{0,12})$", re.IGNORECASE
)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _drop_dangling(words: list[str]) -> list[str]:
    while len(words) > 1 and (
        words[-1].lower().strip(",;:") in _DANGLING
        or words[-1] in ("-", "–", "—")
        or any(_opened(" ".join(words), a, b) for a, b in (("(", ")"), ("«", "»")))
    ):
        words = words[:-1]
    return words


def _opened(text: str, left: str, right: str) -> bool:
    return text.count(left) > text.count(right)


def short_text(text: str, limit: int = 120) -> str:
    """`text` on one line, cut at a word boundary near `limit` characters with «…»."""
    text = _one_line(text)
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    if " " not in head:  # one very long word: cut it
        return text[:limit] + "…"
    # The last word is cut mid-word or ends right at the limit: drop it.
    words = _drop_dangling(head.split(" ")[:-1])
    cut = " ".join(words).rstrip(",;:.–—- ")
    if len(cut) < limit // 4:  # little would be left: cut the words, not the text
        cut = text[:limit].rstrip()
    return cut + "…"


def plan_label(title: str, limit: int = 80) -> str:
    """A plan's name short enough for every message: «План мероприятий («Дорожная
    карта») … на 2026–2028 годы» instead of a 330-character title.

    The beginning of the title up to a word boundary, and the period it ends with.
    """
    title = _YEAR_RANGE.sub(r"\1–\2", _one_line(title))
    if len(title) <= limit:
        return title
    found = _PERIOD_TAIL.match(title)
    tail = found.group("tail") if found else ""
    head_text = found.group("head") if found else title
    room = max(limit - len(tail) - 3, limit // 2)
    words = head_text[: room + 1].split(" ")
    if len(head_text) > room and len(words) > 1:
        words = words[:-1]
    head = " ".join(_drop_dangling(words)).rstrip(",;:–—- ")
    if not tail:
        return head + "…"
    return f"{head} … {tail}"


#: What a label may add to a number to tell items apart, in characters.
LABEL_SUFFIX = 40


def distinct_labels(entries: Sequence[tuple[str, str, str]]) -> list[str]:
    """Item numbers as a list shows them, for entries (number, plan, agency): the number
    alone where it is listed once; where several share it, the number and what tells them
    apart — the plan's name («3 · План … на I полугодие 2026 года», its period kept), else
    the agency's, else both, else a count («3 · 2»)."""
    groups: dict[str, list[int]] = {}
    for index, (number, _, _) in enumerate(entries):
        groups.setdefault(number.strip().rstrip("."), []).append(index)
    labels = [number for number, _, _ in entries]
    pickers = (
        lambda e: plan_label(e[1], LABEL_SUFFIX),
        lambda e: short_text(e[2], LABEL_SUFFIX),
        lambda e: f"{plan_label(e[1], LABEL_SUFFIX // 2)}, {short_text(e[2], LABEL_SUFFIX // 2)}",
    )
    for indexes in groups.values():
        if len(indexes) < 2:
            continue
        for pick in pickers:
            shown = [pick(entries[i]) for i in indexes]
            if all(shown) and len(set(shown)) == len(shown):
                break
        else:
            shown = [str(n) for n in range(1, len(indexes) + 1)]
        for index, extra in zip(indexes, shown, strict=True):
            labels[index] = f"{entries[index][0]} · {extra}"
    return labels


class ListedItem(Protocol):
    """An item as a list shows it (`models.statuses.agency_items.AgencyItem`)."""

    @property
    def item_id(self) -> int: ...
    @property
    def agency_id(self) -> int | None: ...
    @property
    def number(self) -> str: ...
    @property
    def plan_short(self) -> str: ...
    @property
    def agency(self) -> str: ...


def item_labels(entries: Iterable[ListedItem]) -> dict[tuple[int, int | None], str]:
    """`distinct_labels` of listed items, by (item_id, agency_id)."""
    listed = list(entries)
    labels = distinct_labels([(e.number, e.plan_short, e.agency) for e in listed])
    return {(e.item_id, e.agency_id): label for e, label in zip(listed, labels, strict=True)}
