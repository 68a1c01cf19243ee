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

_YEARS = re.compile(rf"(\d{{4}})\s*{_DASH}\s*(\d{{4}})\s+год")
_HALF = re.compile(r"\b(I|II|1|2)(?:-?е)?\s+полугоди\w*\s+(\d{4})")
_QUARTER = re.compile(r"\b(I|II|III|IV|1|2|3|4)(?:-?й)?\s+квартал\w*\s+(\d{4})")
_YEAR = re.compile(r"\bна\s+(\d{4})\s+год")
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
    text = clean(title)
    if match := _YEARS.search(text):
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last:
            return date(first, 1, 1), date(last, 12, 31)
    if match := _HALF.search(text):
        half, year = ROMAN[match.group(1)], int(match.group(2))
        return (
            (date(year, 1, 1), date(year, 6, 30))
            if half == 1
            else (
                date(year, 7, 1),
                date(year, 12, 31),
            )
        )
    if match := _QUARTER.search(text):
        quarter, year = ROMAN[match.group(1)], int(match.group(2))
        start = date(year, 3 * quarter - 2, 1)
        end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
        return start, date.fromordinal(end.toordinal() - 1)
    if match := _YEAR.search(text):
        year = int(match.group(1))
        return date(year, 1, 1), date(year, 12, 31)
    return None


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
