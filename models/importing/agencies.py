"""Responsible bodies as printed: rejoined across line breaks, split where a cell lists several.

A comma alone does not separate two bodies («Министерство жилищно-коммунального
хозяйства, энергетики и тарифной политики Смоленской области» is one); a comma does
when what follows starts a new name — a capital letter, a body's head written in lower
case («…, автономная некоммерческая организация «…»») or a list in the nominative
(«ДШИ, сельские библиотеки, районный Дом ремёсел»). Two names written one after the
other («МБУ «ЦКС» МБУ «ЦБС»») are two; a new line that starts a name starts a body.
Marks («по согласованию») and people («глава администрации Петров П.П.») are kept
apart from the names by bodies.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from models.importing.bodies import Body, read_body
from models.importing.parsed import ParsedAgency
from models.importing.text import clean, join_lines
from models.importing.words import BODY_ABBREVIATIONS, BODY_HEADS, NAME_ENDINGS
from scheduler.rules.domain import Side

TIMEZONES = {Side.RU: "Europe/Moscow", Side.BY: "Europe/Minsk"}

_BULLET = re.compile(r"^\s*(?:[-–—•·]|\d+[.)])\s+")
_BY_MARKERS = (
    "могилев",
    "исполком",
    "беларус",
    "белорус",
    "витебск",
    "минск",
    "гомел",
    "брест",
    "гродн",
)
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


_HEADS = tuple(sorted(BODY_HEADS, key=len, reverse=True))
_CAPITAL_HEADS = tuple(h[0].upper() + h[1:] for h in _HEADS)
_ABBREVIATION = re.compile(r"^([А-ЯЁ]{2,6})(?=[\s«\"]|$)")
_NOMINATIVE = re.compile(r"^[а-яё-]+(?:ый|ий|ая|яя|ое|ее|ые|ие)$")
_CONTINUING_END = re.compile(r"(?:^|\s)(?:и|по|при|с|со|в|во|на|для|к|о|об|из|от|за)$|[-‐(]$")
_GLUED = re.compile(
    r"(?:[»\")]|\b(?:"
    + "|".join(NAME_ENDINGS)
    + r"))(?=\s+(?:(?:"
    + "|".join(re.escape(h) for h in _CAPITAL_HEADS)
    + r")\b|(?:"
    + "|".join(sorted(BODY_ABBREVIATIONS, key=len, reverse=True))
    + r")[\s«\"]))"
)


def split_bodies(lines: list[str]) -> list[str]:
    """The names of the bodies listed in `lines` (one cell or one block), in order."""
    return [body.name for body in read_bodies(lines)]


def read_bodies(lines: list[str], doubts: list[str] | None = None) -> list[Body]:
    """The bodies in `lines` with their marks and people; a person on a line of their
    own belongs to the body before. `doubts` collects what a person should check."""
    bodies: list[Body] = []
    for group in _line_groups(lines):
        for part in _split_at_commas(join_lines(group, cleaned=True)):
            for piece in _split_glued(part):
                body = read_body(piece)
                if body is None:
                    continue
                orphan = not body.name or body.post_only
                if orphan and body.person and bodies and bodies[-1].person is None:
                    bodies[-1].person = body.person
                    continue
                if not body.name and body.person:
                    if bodies and bodies[-1].person is None:
                        bodies[-1].person = body.person
                    elif doubts is not None:
                        doubts.append(f"лицо «{body.person}» указано без органа")
                    continue
                if any(b.name == body.name for b in bodies):
                    continue
                if doubts is not None and _looks_like_two(body.name):
                    doubts.append(f"«{body.name}» — возможно, два органа")
                bodies.append(body)
    return bodies


def agencies_for(
    lines: list[str],
    *,
    default: Side | None,
    role: str = "lead",
    doubts: list[str] | None = None,
) -> list[ParsedAgency]:
    """The bodies in `lines`, each with its side: the name's own, else `default`, else RU."""
    found = []
    for body in read_bodies(lines, doubts):
        side = side_by_name(body.name) if default is None else default
        found.append(
            ParsedAgency(
                name=body.name, side=side or Side.RU, role=role, note=body.note, person=body.person
            )
        )
    return found


def _split_glued(text: str) -> list[str]:
    """Two names one after the other («МБУ «ЦКС» МБУ «ЦБС»»), cut after the first's end."""
    pieces: list[str] = []
    start = 0
    for match in _GLUED.finditer(text):
        before = text[start : match.end()]
        if before.count("«") > before.count("»"):
            continue
        pieces.append(before)
        start = match.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if p.strip()]


def _looks_like_two(name: str) -> bool:
    """A second capitalised head after «и» («Министерство … и Комитет …»)."""
    return bool(re.search(r"\sи\s+(?:" + "|".join(_CAPITAL_HEADS) + r")\b", name))


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
        if not groups or bullet is not None or _starts_new_line(groups[-1], line):
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _starts_new_line(group: list[str], line: str) -> bool:
    """A line opens a new body when it starts a name and the text before is complete."""
    previous = group[-1]
    text = " ".join(group)
    if text.count("«") > text.count("»") or _CONTINUING_END.search(previous):
        return False
    if previous.endswith(","):
        return False  # the comma decides (see _split_at_commas)
    complete = _complete(previous)
    if line.startswith(_CAPITAL_HEADS):
        return True
    if line.lower().startswith(_HEADS) or _ABBREVIATION.match(line):
        return complete
    return complete and line[0].isupper()


def _complete(text: str) -> bool:
    last = text.rstrip(" .;").split()[-1] if text.strip(" .;") else ""
    return (
        text.endswith(("»", ")", '"', ";", "."))
        or last.lower() in NAME_ENDINGS
        or bool(_ABBREVIATION.fullmatch(last))
    )


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
        elif (depth == 0 or char == ";") and _starts_name(text[start:i], text[i + 1 : i + 60]):
            parts.append(text[start:i])
            start = i + 1
            depth = 0
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _starts_name(before: str, rest: str) -> bool:
    rest = rest.lstrip()
    if not rest:
        return False
    if rest[0].isupper() or rest[0] in '«"':
        return True
    if rest.lower().startswith(_HEADS) or _complete(before.strip()):
        return True
    words = rest.split()
    first = words[0].strip(",;")
    if _NOMINATIVE.match(first):
        return True
    if first.endswith("ой") and len(words) > 1:
        return words[1][0].isupper() or words[1].startswith(_HEADS)
    # A list that began in lower case or with an abbreviation goes on as a list.
    head = before.strip()
    if not head:
        return False
    return bool(_ABBREVIATION.fullmatch(head)) or (
        head[0].islower() and not head.lower().startswith(_HEADS)
    )
