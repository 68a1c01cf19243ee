"""Plain-text helpers every reader shares: cleaning lines, period and signing date."""

from __future__ import annotations

import re
from datetime import date

MONTHS_GENITIVE = {
    "января": 1,
    "февраля": 2,
    "марта": 3,
    "апреля": 4,
    "мая": 5,
    "июня": 6,
    "июля": 7,
    "августа": 8,
    "сентября": 9,
    "октября": 10,
    "ноября": 11,
    "декабря": 12,
}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}

# Word processors leave bookmarks and markup behind when a document becomes text.
_NOISE = re.compile(r"\[bookmark:[^\]]*\]|\[anchor:[^\]]*\]")
_MARKDOWN = re.compile(r"^\s*#{1,6}\s+|\*\*|__")
_DASH = r"[-–—]"

_FLAGS = re.IGNORECASE
_LEAD = r"(?:(?:на|в|во)\s+(?:период\s+)?)?"
_YEARS = re.compile(
    rf"{_LEAD}(\d{{4}})\s*(?:гг?\.?|год\w*)?\s*{_DASH}\s*(\d{{4}})\s*(?:год\w*|гг\.?)", _FLAGS
)
_PLANNED = re.compile(
    r"\bна\s+(\d{4})\s+год\s+и\s+(?:на\s+)?планов\w+\s+период\s+(\d{4})\s*(?:и|[-–—])\s*(\d{4})"
    r"\s+год\w*",
    _FLAGS,
)
_FROM_TO = re.compile(r"\bс\s+(\d{4})\s+(?:года?\s+)?по\s+(\d{4})\s+год\w*", _FLAGS)
_HALF = re.compile(rf"{_LEAD}\b(I|II|1|2)(?:-?е)?\s+полугоди\w*\s+(\d{{4}})(?:\s+год\w*)?", _FLAGS)
_QUARTER = re.compile(
    rf"{_LEAD}\b(I|II|III|IV|1|2|3|4)(?:-?й)?\s+квартал\w*\s+(\d{{4}})(?:\s+год\w*)?", _FLAGS
)
_MONTH_STEMS = (
    "янв",
    "фев",
    "мар",
    "апр",
    "ма[йяе]",
    "июн",
    "июл",
    "авг",
    "сен",
    "окт",
    "ноя",
    "дек",
)
_MONTH = re.compile(
    r"\b(?:на|в)\s+(" + "|".join(_MONTH_STEMS) + r")[а-яё]*\s+(?:месяц\w*\s+)?(\d{4})\s+год\w*",
    _FLAGS,
)
_YEAR = re.compile(r"\b(?:на|в)\s+(\d{4})\s+(?:год\w*|г\.)", _FLAGS)
_SIGNED = re.compile(
    r"Подписан\w*\b.{0,80}?\b(\d{1,2})\s+(" + "|".join(MONTHS_GENITIVE) + r")\s+(\d{4})",
    re.IGNORECASE | re.DOTALL,
)


def clean(text: str) -> str:
    """`text` without markup noise, with single spaces and no outer blanks."""
    if "[" in text:
        text = _NOISE.sub("", text)
    # str.split() also splits at no-break and figure spaces, which Word exports.
    return " ".join(text.split())


def strip_markdown(line: str) -> str:
    """A line without Markdown heading marks and bold/underline markers."""
    if "#" not in line and "*" not in line and "__" not in line:
        return line
    return _MARKDOWN.sub("", line).replace("**", "")


def join_lines(lines: list[str], *, cleaned: bool = False) -> str:
    """Lines of one paragraph as one text; a line ending in a hyphen or a slash joins
    without a space («жилищно-» + «коммунального»): plans break compound words there.
    `cleaned` says the lines went through clean() already."""
    out = ""
    for raw in lines:
        line = raw if cleaned else clean(raw)
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith(("-", "‐", "/")) and not out.endswith(" -"):
            out += line
        else:
            out += " " + line
    return out


def plan_period(title: str) -> tuple[date, date] | None:
    """The period a plan's title names: «на 2026 – 2028 годы», «на I полугодие 2026 года»."""
    found = find_period(title)
    return (found[0], found[1]) if found else None


def find_period(title: str) -> tuple[date, date, str] | None:
    """The period a title names and the words that name it, in any letter case:
    «на 2026 – 2028 годы», «В 2025 – 2027 ГОДАХ», «на IV квартал 2026 года», «на март
    2026 года», «на 2027 год»."""
    text = clean(title)
    if match := _PLANNED.search(text):
        first, last = int(match.group(1)), int(match.group(3))
        if first <= last:
            return date(first, 1, 1), date(last, 12, 31), match.group(0)
    if match := _YEARS.search(text) or _FROM_TO.search(text):
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last:
            return date(first, 1, 1), date(last, 12, 31), match.group(0)
    if match := _HALF.search(text):
        half, year = ROMAN[match.group(1).upper()], int(match.group(2))
        start, end = (date(year, 1, 1), date(year, 6, 30))
        if half == 2:
            start, end = date(year, 7, 1), date(year, 12, 31)
        return start, end, match.group(0)
    if match := _QUARTER.search(text):
        quarter, year = ROMAN[match.group(1).upper()], int(match.group(2))
        start, end = date(year, 3 * quarter - 2, 1), _month_end(year, 3 * quarter)
        return start, end, match.group(0)
    if match := _MONTH.search(text):
        stem = match.group(1).lower()
        month = next(i for i, s in enumerate(_MONTH_STEMS, 1) if re.fullmatch(s, stem))
        year = int(match.group(2))
        return date(year, month, 1), _month_end(year, month), match.group(0)
    if match := _YEAR.search(text):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31), match.group(0)
    return None


def _month_end(year: int, month: int) -> date:
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


def signing_date(text: str) -> date | None:
    """The date in «Подписано в г. Минске 26 июня 2026 года …», if the text has one."""
    match = _SIGNED.search(text)
    if not match:
        return None
    day, month, year = int(match.group(1)), MONTHS_GENITIVE[match.group(2).lower()], match.group(3)
    try:
        return date(int(year), month, day)
    except ValueError:
        return None


def normalise_title(title: str) -> str:
    """A title reduced for matching: lower case, «ё» as «е», single spaces, no quotes."""
    text = clean(title).lower().replace("ё", "е")
    return re.sub(r"[«»\"“”„'*]", "", text)
