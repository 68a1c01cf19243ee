"""The text above a plan's body: the approval stamp, the title, a preamble.

Official plans open with a stamp («УТВЕРЖДЕН постановлением … от 12 марта 2025 г.
№ 214», «Приложение № 2 к постановлению …»), then a title over one or several
paragraphs («ПЛАН» / «мероприятий по …» / «на 2026 – 2028 годы»), sometimes a
preamble. Each unit is one line with a flag saying whether a new paragraph opens there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from models.importing.parsed import Approval
from models.importing.text import MONTHS_GENITIVE, clean, find_period, join_lines, strip_markdown
from models.importing.words import ACT_FORMS, STAMP_STARTS

#: A line: its number, its text and whether it opens a paragraph.
Unit = tuple[int | None, str, bool]

_TITLE_WORDS = re.compile(
    r"^(?:план\w*|перечень|дорожн\w+ карт\w*|комплексн\w+ план|календарн\w+ план|график|"
    r"программ\w*|мероприятия|основные мероприятия)\b",
    re.IGNORECASE,
)
_BARE_TITLE = re.compile(r"^(?:план|перечень|график|программа|мероприятия)\W*$", re.IGNORECASE)
_CONTINUES = re.compile(r"^(?:(?:на|в|во|по|для|при|с|к|о|об|и)\s|[«\"(])")
_STAMP_TAIL = re.compile(r"^(?:от\s+[«\"]?\d|№\s*\d|N\s*\d|\d{1,2}\.\d{1,2}\.\d{2,4})", re.I)
_MONTHS = "|".join(MONTHS_GENITIVE)
_WORD_DATE = re.compile(rf"[«\"]?(\d{{1,2}})[»\"]?\s+({_MONTHS})\s+(\d{{4}})", re.IGNORECASE)
_DIGIT_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})\b")
_YEAR_ONLY = re.compile(r"\b(20\d\d)\s*(?:г\.|года?\b)")
_NUMBER = re.compile(r"(?:№|\bN)\s*(\d[\w\-/.]*\w|\d)")
_ACT = re.compile(r"\b(" + "|".join(stem for stem, _ in ACT_FORMS) + r")[а-яё]*", re.I)


@dataclass
class Front:
    """What stands above the body: title (and its first line), approval, skipped preamble."""

    title: str
    title_line: int | None
    approval: Approval | None


def read_front(units: list[Unit]) -> Front:
    """Stamp, title and preamble of `units` (the lines above a table or the first item)."""
    lines = [(n, clean(strip_markdown(t)), new) for n, t, new in units]
    lines = _from_last_stamp([u for u in lines if u[1]])
    stamp: list[str] = []
    index = 0
    while index < len(lines) and _in_stamp(lines, index, stamp):
        stamp.append(lines[index][1])
        index += 1
    title: list[str] = []
    first_line = None
    for number, text, new in lines[index:]:
        if title and new and _TITLE_WORDS.match(text) and not _TITLE_WORDS.match(title[0]):
            title = []  # a letterhead («Отдел культуры …») above the title proper
        if title and not _continues_title(title, text, new):
            break
        if not title:
            first_line = number
        title.append(text)
    if not title and stamp:
        # A stamp alone: the last paragraph of it is the best title there is.
        title, first_line = [stamp[-1]], lines[index - 1][0]
    return Front(
        title=join_lines(title, cleaned=True),
        title_line=first_line,
        approval=parse_approval(stamp) if stamp else None,
    )


def looks_like_title(text: str) -> bool:
    """A plan's title: it opens with «План», «Перечень», «Дорожная карта» … or names a
    period («… на 2026 – 2028 годы»)."""
    return bool(text) and (bool(_TITLE_WORDS.match(text)) or find_period(text) is not None)


def _from_last_stamp(lines: list[Unit]) -> list[Unit]:
    """A plan printed as the appendix of a decree: what stands above its own stamp
    («Приложение …», «УТВЕРЖДЕН …») is the decree, not the plan's title."""
    starts = [
        i
        for i, (_, text, new) in enumerate(lines)
        if i and new and text.lower().startswith(_STRONG_STAMP)
    ]
    if not starts or not any(_TITLE_WORDS.match(t) for _, t, _ in lines[starts[-1] :]):
        return lines
    return lines[starts[-1] :]


_STRONG_STAMP = ("утвержд", "приложение", "согласован")


def _in_stamp(lines: list[Unit], index: int, stamp: list[str]) -> bool:
    text = lines[index][1]
    lowered = text.lower()
    if lowered.startswith(STAMP_STARTS):
        return True
    if not stamp or _TITLE_WORDS.match(text) or (text.isupper() and len(text) > 3):
        return False
    if _STAMP_TAIL.match(text):
        return True
    # A stamp's body lines («Администрации Смоленской области») until its number or date.
    last = stamp[-1]
    return len(text) < 90 and not (_NUMBER.search(last) or _date(last))


def _continues_title(title: list[str], text: str, new: bool) -> bool:
    if len(text) > 300 or (text.endswith(":") and new):
        return False
    if not new:
        return True
    if _BARE_TITLE.match(title[-1]) or _CONTINUES.match(text) or text[0].islower():
        return True
    if find_period(" ".join(title)) is not None:
        return False  # the title named its period: a capitalised paragraph is a preamble
    if text.isupper() and all(t.isupper() for t in title):
        return True
    # A title broken into paragraphs before its period; a preamble is a long sentence.
    return len(text) < 200 and not title[-1].endswith((".", ":")) and not text.endswith((".", ":"))


def parse_approval(stamp: list[str]) -> Approval:
    """Act, number and date of a stamp; None where the stamp does not say."""
    text = join_lines(stamp, cleaned=True)
    act_match = _ACT.search(text)
    act = number = None
    when = _date(text)
    if act_match:
        tail = text[act_match.start() :]
        end = re.search(r"\s(?:от\s|№|N\s*\d|[«\"]?\d{1,2}[»\"]?[\s.](?:\d|[а-я]))", tail)
        words = (tail[: end.start()] if end else tail).strip(" ,.")
        first, _, rest = words.partition(" ")
        nominative = next(form for stem, form in ACT_FORMS if first.lower().startswith(stem))
        act = f"{nominative} {rest}".strip() if rest else nominative
        if found := _NUMBER.search(tail):
            number = found.group(1)
    elif found := _NUMBER.search(text):
        number = found.group(1)
    year = when.year if when else None
    if year is None and (blank := _YEAR_ONLY.search(text)):
        year = int(blank.group(1))
    return Approval(text=text, act=act, number=number, date=when, year=year)


def _date(text: str) -> date | None:
    if match := _WORD_DATE.search(text):
        day, month, year = int(match.group(1)), MONTHS_GENITIVE[match.group(2).lower()], match[3]
        return _safe_date(int(year), month, day)
    if match := _DIGIT_DATE.search(text):
        year = int(match.group(3))
        year = year + 2000 if year < 100 else year
        return _safe_date(year, int(match.group(2)), int(match.group(1)))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def units_of_lines(lines: list[tuple[int, str]]) -> list[Unit]:
    """Text lines as units: a line after a blank one opens a paragraph."""
    units: list[Unit] = []
    new = True
    for number, text in lines:
        if not clean(text):
            new = True
            continue
        units.append((number, text, new))
        new = False
    return units


def units_of_paragraphs(paragraphs: list[str]) -> list[Unit]:
    """Word paragraphs as units: each opens a paragraph; its line breaks do not."""
    units: list[Unit] = []
    for paragraph in paragraphs:
        for index, line in enumerate(paragraph.split("\n")):
            units.append((None, line, index == 0))
    return units
