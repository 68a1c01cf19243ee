"""Finding a table's header by what its cells mean, not by where «№» stands.

A header row names at least two known columns, one of them the title, the deadline or
the combined place and date. A second header row under it («начала | окончания» under
«Срок», «от Смоленской области | от Могилевской области» under «Ответственные») refines
the columns above; the row of column numbers («1 | 2 | 3 | 4») under a header is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.importing.agencies import side_by_name
from models.importing.text import clean, join_lines
from models.importing.words import (
    DEADLINE_PART_WORDS,
    DEADLINE_PARTS,
    HEADER_ROLES,
    NUMBER_HEADERS,
)
from scheduler.rules.domain import Side

#: Roles of a header's anchor columns: a header names one of them.
_ANCHORS = ("title", "deadline", "place_and_date")
_SIDE_WORDS = re.compile(r"^(?:от\s|российск|белорусск|рф\b|рб\b|со\s+стороны)", re.IGNORECASE)
_COLUMN_NUMBER = re.compile(r"^\d{1,2}\.?$")


@dataclass
class Column:
    """One column: the header as printed, its role and the side a sub-header gives."""

    header: str
    role: str | None
    side: Side | None = None


@dataclass
class Header:
    """The columns, and the index of the first row after the header (and number row)."""

    columns: list[Column]
    body_start: int
    #: The header's rows as printed (one or two), to tell a header printed again.
    texts: list[list[str]] = field(default_factory=list)
    #: The index of the header's (first) row.
    row: int = 0

    def index(self, role: str) -> int | None:
        return next((i for i, c in enumerate(self.columns) if c.role == role), None)

    def repeats(self, texts: list[str]) -> bool:
        """True for a header row printed again (on each page): most of its filled cells
        say what the header's rows say in the same columns."""
        filled = [(i, t.casefold()) for i, t in enumerate(texts) if t]
        for printed in self.texts:
            same = sum(1 for i, t in filled if i < len(printed) and printed[i].casefold() == t)
            if filled and same * 2 > len(filled):
                return True
        return False


def column_role(header: str) -> str | None:
    """The role a header names, or None for an unknown column (see words.HEADER_ROLES)."""
    lowered = clean(header).lower().replace("ё", "е")
    if not lowered:
        return None
    if lowered.replace(" ", "").rstrip(".") in NUMBER_HEADERS or "п/п" in lowered:
        return "number"
    if lowered.startswith("№") or lowered.startswith("n "):
        return "number"
    for stem, role in HEADER_ROLES:
        if re.search(rf"(?<![а-яё]){re.escape(stem)}", lowered):
            if role == "deadline":
                return _deadline_part(lowered) or role
            return role
    return None


def _deadline_part(lowered: str) -> str | None:
    if found := DEADLINE_PART_WORDS.get(lowered.strip(" .:")):
        return found
    return next((role for stem, role in DEADLINE_PARTS if stem in lowered), None)


def is_header(cells: list[str]) -> bool:
    """A header row names two known columns, one of them an anchor (see _ANCHORS)."""
    roles = {_base(column_role(c)) for c in cells if len(c) <= _LONGEST} - {None, "other"}
    return len(roles) >= 2 and any(role in roles for role in _ANCHORS)


#: A header cell is a few words; a longer cell is an item's text that happens to hold
#: header words («Определение места и сроков проведения …»).
_LONGEST = 120


def _base(role: str | None) -> str | None:
    return "deadline" if role in ("deadline_start", "deadline_end") else role


def is_column_numbers(cells: list[str]) -> bool:
    """«1 | 2 | 3 | 4 | 5»: every filled cell a small number, counting up from 1."""
    filled = [clean(c).rstrip(".") for c in cells if clean(c)]
    if len(filled) < 2 or not all(_COLUMN_NUMBER.match(c + ".") for c in filled):
        return False
    values = [int(c) for c in filled]
    return values[0] == 1 and values == sorted(values) and len(set(values)) == len(values)


def find_header(rows: list[tuple[list[list[str]], set[int]]], *, limit: int = 15) -> Header | None:
    """The header among the first `limit` rows (each: cells, covered positions), or None."""
    for index, (cells, covered) in enumerate(rows[:limit]):
        texts = [join_lines(c) for c in cells]
        if not is_header(texts):
            continue
        top = _spread(texts, covered)
        columns = [Column(header=t, role=column_role(t)) for t in top]
        body = index + 1
        printed = [texts]
        if body < len(rows) and _is_sub_header(rows[body][0], columns):
            printed.append([join_lines(c) for c in rows[body][0]])
            _refine(columns, printed[-1])
            body += 1
        if body < len(rows) and is_column_numbers([join_lines(c) for c in rows[body][0]]):
            body += 1
        _settle_roles(columns)
        return Header(columns=columns, body_start=body, texts=printed, row=index)
    return None


def _spread(texts: list[str], covered: set[int]) -> list[str]:
    """A merged header cell's text over every column it covers."""
    out: list[str] = []
    for position, text in enumerate(texts):
        out.append(out[-1] if position in covered and out else text)
    return out


#: A numbered row («1. …», «I. …», «Раздел 2. …») under the header starts the body.
_NUMBERED = re.compile(r"^\s*(?:раздел\s+)?(?:\d+(?:\.\d+)*|[IVXLC]+)[.)]?\s+\S", re.IGNORECASE)
#: A second header row's lone cell is a short word («начала», «от Смоленской области»).
_SUB_HEADER_LONGEST = 40


def _is_sub_header(cells: list[list[str]], columns: list[Column]) -> bool:
    texts = [join_lines(c) for c in cells]
    filled = [(i, t) for i, t in enumerate(texts) if t]
    if not filled or is_column_numbers(texts):
        return False
    if any(_NUMBERED.match(text) for _, text in filled):
        return False  # «1. Мероприятия в сфере культуры»: a section row, not header words
    if len(filled) == 1 and len(filled[0][1]) > _SUB_HEADER_LONGEST:
        return False  # a lone long cell under the header is a section's title
    for position, text in filled:
        above = columns[position].role if position < len(columns) else None
        if column_role(text) is not None or _SIDE_WORDS.match(text):
            continue
        if _base(above) == "deadline" and _deadline_part(text.lower()):
            continue
        return False
    return True


def _refine(columns: list[Column], sub: list[str]) -> None:
    for position, text in enumerate(sub):
        if position >= len(columns) or not text:
            continue
        column = columns[position]
        part = _deadline_part(text.lower())
        if _base(column.role) == "deadline" and part:
            column.role = part
        elif column.role in ("agencies", "co_agencies") and _SIDE_WORDS.match(text):
            column.side = side_by_name(text) or _side_word(text)
        elif column.role is None or column.role == "other":
            column.role = column_role(text)
        column.header = f"{column.header} {text}".strip() if column.header != text else text


def _side_word(text: str) -> Side | None:
    lowered = text.lower()
    if "белорус" in lowered or "рб" in lowered.split():
        return Side.BY
    return Side.RU if ("российск" in lowered or "рф" in lowered.split()) else None


def _settle_roles(columns: list[Column]) -> None:
    """One title column (a second becomes the description); an unnamed first column holds
    the numbers; a side named in the header («Ответственные от Смоленской области»)."""
    seen_title = False
    for column in columns:
        if column.role == "title":
            if seen_title:
                column.role = "description"
            seen_title = True
        if column.role in ("agencies", "co_agencies") and column.side is None:
            column.side = side_by_name(column.header)
    if columns and not any(c.role == "number" for c in columns) and not columns[0].header:
        columns[0].role = "number"
