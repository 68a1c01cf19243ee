"""A plan's short name for messages: «План мероприятий на 2026–2028 годы (Смоленская –
Могилёвская обл.)», made of the title's head, its period and the regions it names."""

from __future__ import annotations

import re
from datetime import date

from models.importing.text import clean
from models.importing.words import YO_SPELLINGS

_STOP = frozenset(
    {"по", "на", "в", "во", "о", "об", "для", "к", "с", "от", "при", "за", "и", "между"}
)
_PAIR = re.compile(
    r"\b([А-ЯЁ][а-яё]+?)(?:ской|ского)\s+и\s+([А-ЯЁ][а-яё]+?)(?:ской|ского|ских)\s+(?:област|облисполком)"
)
_REGION = re.compile(
    r"\b([А-ЯЁ][а-яё]+?)(?:ской|ского|ским|ская|скую|ском)\s+(?:област\w*|облисполком\w*|"
    r"областн\w+|края|крае|краем|район\w*)",
)
_ROMAN_HALF = {1: "I", 2: "II"}
MAX_LENGTH = 90
_MONTHS = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def short_name(title: str, period: tuple[date, date]) -> str:
    """The title's first words, the period and the regions, within MAX_LENGTH characters."""
    head = _head(title)
    name = f"{head} {_period_words(period)}".strip()
    regions = _regions(title)
    if regions:
        name += f" ({' – '.join(regions)} обл.)"
    return name if len(name) <= MAX_LENGTH else name[: MAX_LENGTH - 1].rstrip() + "…"


def _head(title: str) -> str:
    words: list[str] = []
    for word in clean(title).replace("(", " ( ").split():
        bare = word.strip("«»\"',.:;")
        if not bare or bare.lower() in _STOP or word == "(" or len(words) == 3:
            break
        words.append(bare)
    if not words:
        return "План"
    words = [w.lower() if w.isupper() and len(w) > 1 else w for w in words]
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _period_words(period: tuple[date, date]) -> str:
    start, end = period
    if start.year != end.year:
        return f"на {start.year}–{end.year} годы"
    if (start.month, end.month) == (1, 12):
        return f"на {start.year} год"
    if (start.month, end.month) in ((1, 6), (7, 12)):
        return f"на {_ROMAN_HALF[1 if start.month == 1 else 2]} полугодие {start.year} года"
    if end.month - start.month == 2 and start.month % 3 == 1:
        quarter = ("I", "II", "III", "IV")[start.month // 3]
        return f"на {quarter} квартал {start.year} года"
    if start.month == end.month:
        return f"на {_MONTHS[start.month - 1]} {start.year} года"
    return f"на {start.year} год"


def _regions(title: str) -> list[str]:
    text = clean(title)
    stems: list[tuple[int, str]] = []
    for match in _PAIR.finditer(text):
        stems += [(match.start(1), match.group(1)), (match.start(2), match.group(2))]
    stems += [(m.start(1), m.group(1)) for m in _REGION.finditer(text)]
    found: list[str] = []
    for _, stem in sorted(stems):
        name = YO_SPELLINGS.get(stem + "ская", stem + "ская")
        if name not in found:
            found.append(name)
    return found[:2]
