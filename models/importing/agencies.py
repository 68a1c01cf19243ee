"""Responsible bodies as printed: rejoined across line breaks, split where a cell lists several.

A comma alone does not separate two bodies («Министерство жилищно-коммунального
хозяйства, энергетики и тарифной политики Смоленской области» is one); a comma does
when what follows starts a new name — a capital letter or an organisational form
written in lower case («…, автономная некоммерческая организация «…»»).
"""

from __future__ import annotations

import re
from functools import lru_cache

from models.base import Side
from models.importing.parsed import ParsedAgency
from models.importing.text import clean, join_lines

TIMEZONES = {Side.RU: "Europe/Moscow", Side.BY: "Europe/Minsk"}

# A body's name may start with one of these in lower case after a comma.
_LOWER_HEADS = (
    "автономн",
    "акционерн",
    "бюджетн",
    "государственн",
    "департамент",
    "казенн",
    "комитет",
    "министерств",
    "муниципальн",
    "некоммерческ",
    "областн",
    "общество",
    "общественн",
    "открыт",
    "публичн",
    "управлени",
    "учреждени",
    "федеральн",
)
# A line that starts with one of these starts a new body even without a comma before it;
# abbreviations such as «ОО» are left out because they also follow a name («… комитет ОО «БРСМ»»).
_LINE_HEADS = (
    "Министерство",
    "Комитет",
    "Главное управление",
    "Управление",
    "Департамент",
    "Агентство",
    "Администрация",
    "Правительство",
)
_BULLET = re.compile(r"^\s*(?:[-–—•·]|\d+[.)])\s+")
_BY_MARKERS = ("могилев", "облисполком", "беларус", "витебск", "минск", "гомел", "брест", "гродн")
_RU_MARKERS = ("смоленск", "российск", "москв", "брянск")
_QUOTES = re.compile(r"[«»\"“”„]")
_MARKS = re.compile(r"[«»,;]")


@lru_cache(maxsize=8192)
def normalise_name(name: str) -> str:
    """The alias key: lower case, «ё» as «е», single spaces, every quote mark as «"»."""
    text = clean(name).lower().replace("ё", "е")
    text = _QUOTES.sub('"', text)
    return re.sub(r"\s*-\s*(?=\w)", "-", text).strip(" ,;.")


def side_by_name(name: str) -> Side | None:
    """RU or BY as the name tells («Смоленской области», «Могилевского облисполкома»)."""
    lowered = name.lower().replace("ё", "е")
    by = min((lowered.find(m) for m in _BY_MARKERS if m in lowered), default=-1)
    ru = min((lowered.find(m) for m in _RU_MARKERS if m in lowered), default=-1)
    if by < 0 and ru < 0:
        return None
    if by < 0 or (ru >= 0 and ru < by):
        return Side.RU
    return Side.BY


def split_bodies(lines: list[str]) -> list[str]:
    """The names of the bodies listed in `lines` (one cell or one block), in order."""
    names: list[str] = []
    for group in _line_groups(lines):
        for name in _split_at_commas(join_lines(group, cleaned=True)):
            name = name.strip(" ,;.")
            if name and name not in names:
                names.append(name)
    return names


def agencies_for(lines: list[str], *, default: Side | None) -> list[ParsedAgency]:
    """The bodies in `lines`, each with its side: the name's own, else `default`, else RU."""
    found = []
    for name in split_bodies(lines):
        side = side_by_name(name) if default is None else default
        found.append(ParsedAgency(name=name, side=side or Side.RU))
    return found


def _line_groups(lines: list[str]) -> list[list[str]]:
    """Lines grouped into runs that belong to one name or one comma-separated list."""
    groups: list[list[str]] = []
    for raw in lines:
        line = clean(raw)
        if not line:
            continue
        bullet = _BULLET.match(line)
        if bullet:
            line = line[bullet.end() :]
        previous = groups[-1][-1] if groups else ""
        # Commas are left to _split_at_commas: a name may also break after its own comma.
        starts_new = (
            not groups
            or bullet is not None
            or (line.startswith(_LINE_HEADS) and not previous.endswith(("-", "‐")))
        )
        if starts_new:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _split_at_commas(text: str) -> list[str]:
    """`text` cut at the commas and semicolons (outside quotes) that start a new name."""
    if "," not in text and ";" not in text:
        return [text.strip()] if text.strip() else []
    parts: list[str] = []
    depth = 0
    start = 0
    for match in _MARKS.finditer(text):
        char, i = match.group(), match.start()
        if char == "«":
            depth += 1
        elif char == "»":
            depth = max(0, depth - 1)
        elif (depth == 0 or char == ";") and _starts_name(text[i + 1 : i + 40]):
            parts.append(text[start:i])
            start = i + 1
            depth = 0
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _starts_name(rest: str) -> bool:
    rest = rest.lstrip()
    if not rest:
        return False
    if rest[0].isupper() or rest[0] in '«"':
        return True
    return rest.lower().startswith(_LOWER_HEADS)
