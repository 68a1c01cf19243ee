"""Finding a table's header by what its cells mean, not by where «№» stands.

A header row names at least two known columns, one of them the title, the deadline or
the combined place and date. The header is a band of rows around it: a group row above
(«Сведения о мероприятии» over «№ | Наименование») and the rows under it that refine
its columns, at any depth («Сроки» over «2026 | 2027» over «начало | окончание»,
«Ответственные» over «от Смоленской области» over «исполнитель | соисполнитель»). A
column's labels are read top-down through merged cells and combined: the role from the
most specific label that names one, the start or end of a deadline, the side, the
period a sub-column stands for. The row of column numbers («1 | 2 | 3 | 4») under a
header is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

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
_DEADLINES = ("deadline", "deadline_start", "deadline_end")
_AGENCIES = ("agencies", "co_agencies")
_SIDE_WORDS = re.compile(r"^(?:от\s|российск|белорусск|рф\b|рб\b|со\s+стороны)", re.IGNORECASE)
_COLUMN_NUMBER = re.compile(r"^\d{1,2}\.?$")
_MONTH_STEMS = r"(?:янв|фев|мар|апр|ма[йя]|июн|июл|авг|сен|окт|ноя|дек)[а-яё]*\.?"
#: A sub-header naming the period its column stands for: a year, a quarter, a half-year,
#: a month («2026», «2026 год», «I кв.», «II квартал», «1 полугодие», «январь», «янв.»).
_PERIOD_LABEL = re.compile(
    r"^(?:(?:на|в)\s+)?(?:(?:20\d\d)\s*(?:г\.?|год[а-я]*)?|(?:I{1,3}|IV|[1-4])\s*(?:-?й\s*)?"
    rf"(?:квартал[а-я]*|кв\.?)|(?:I{{1,2}}|[12])\s*(?:-?е\s*)?полугоди[а-я]*|{_MONTH_STEMS})"
    r"(?:\s+(?:20\d\d)\s*(?:г\.?|год[а-я]*)?)?$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
#: The header band: at most this many rows (a group row, the role row, two levels under).
_BAND = 4
#: Group rows looked for above the row that names the roles.
_GROUPS_ABOVE = 2


class GridRow(Protocol):
    """A table row by grid column (see table.Row): cells, the columns a merged cell to
    their left spans (`covered`) and the cells merged down from the row above (`vmerged`)."""

    cells: list[list[str]]
    covered: set[int]
    vmerged: set[int]


@dataclass
class Column:
    """One column: the header as printed, its role, the side a sub-header gives and the
    period a sub-header names («2026», «I кв.»), which its cells' dates belong to."""

    header: str
    role: str | None
    side: Side | None = None
    qualifier: str | None = None


@dataclass
class Header:
    """The columns, and the index of the first row after the header (and number row)."""

    columns: list[Column]
    body_start: int
    #: The header's rows as printed (one or several), to tell a header printed again.
    texts: list[list[str]] = field(default_factory=list)
    #: The index of the header's first row.
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
    return "deadline" if role in _DEADLINES else role


def is_column_numbers(cells: list[str]) -> bool:
    """«1 | 2 | 3 | 4 | 5»: every filled cell a small number, counting up from 1."""
    filled = [clean(c).rstrip(".") for c in cells if clean(c)]
    if len(filled) < 2 or not all(_COLUMN_NUMBER.match(c + ".") for c in filled):
        return False
    values = [int(c) for c in filled]
    return values[0] == 1 and values == sorted(values) and len(set(values)) == len(values)


def find_header(rows: Sequence[GridRow], *, limit: int = 15) -> Header | None:
    """The header band among the first `limit` rows, or None."""
    for index, row in enumerate(rows[:limit]):
        if not is_header(_texts(row)):
            continue
        top = index
        while top > 0 and index - top < _GROUPS_ABOVE and _groups(rows[top - 1], rows[top]):
            top -= 1
        bottom = index + 1
        while (
            bottom < len(rows)
            and bottom - top < _BAND
            and _continues(rows[top:bottom], rows[bottom])
        ):
            bottom += 1
        band = rows[top:bottom]
        body = bottom
        if body < len(rows) and is_column_numbers(_texts(rows[body])):
            body += 1
        columns = _columns(band)
        _settle_roles(columns)
        return Header(columns=columns, body_start=body, texts=[_texts(r) for r in band], row=top)
    return None


def _texts(row: GridRow) -> list[str]:
    return [join_lines(c) for c in row.cells]


#: A numbered row («1. …», «I. …», «Раздел 2. …») under the header starts the body.
_NUMBERED = re.compile(r"^\s*(?:раздел\s+)?(?:\d+(?:\.\d+)*|[IVXLC]+)[.)]?\s+\S", re.IGNORECASE)
#: A lone sub-header cell is a short word («начала», «от Смоленской области»).
_SUB_HEADER_LONGEST = 40
#: Any cell of a header band is a few words.
_LABEL_LONGEST = 60
#: What the first words of a plan's title or stamp look like (never a group header).
_NOT_GROUP = re.compile(
    r"^(?:план|перечень|график|программ|утвержд|приложение|согласован|к\s+постановлени)",
    re.IGNORECASE,
)


def _groups(above: GridRow, below: GridRow) -> bool:
    """`above` groups the columns of the header row `below`: its cells are short labels
    and either several of them, one spanning some columns, or `below` continues cells of
    it merged down («№» and «Наименование» drawn over both rows)."""
    texts = _texts(above)
    filled = [(i, t) for i, t in enumerate(texts) if t]
    if not filled or any(len(t) > _LABEL_LONGEST or _NOT_GROUP.match(t) for _, t in filled):
        return False
    if any(_numbered(t) for _, t in filled):
        return False
    merged_down = any(i in below.vmerged for i, _ in filled)
    spanning = any(i + 1 in above.covered for i, _ in filled)
    return merged_down or (len(filled) >= 2 and spanning)


def _continues(band: Sequence[GridRow], row: GridRow) -> bool:
    """`row` under the header rows `band` is one more header row: sub-headers of the
    columns above (role words, sides, the start and end of a deadline, periods), cells
    under a group cell that spans several columns, or cells merged down from the band."""
    texts = _texts(row)
    filled = [(i, t) for i, t in enumerate(texts) if t]
    merged_down = bool(row.vmerged)
    if not filled:
        return len(row.vmerged) >= 2  # a tall header cell over an empty row
    if is_column_numbers(texts) or any(_numbered(t) for _, t in filled):
        return False  # «1. Мероприятия в сфере культуры»: a section row, not header words
    grid = _grid([*band, row])
    columns = [_column(_labels(grid[:-1], p)) for p in range(len(grid[0]))]
    number_at = next((i for i, c in enumerate(columns) if c.role == "number"), None)
    number = texts[number_at] if number_at is not None and number_at < len(texts) else ""
    if number and column_role(number) != "number":
        return False  # an item's number
    if len(filled) == 1:
        position, text = filled[0]
        above = columns[position].role if position < len(columns) else None
        if len(text) > _SUB_HEADER_LONGEST or not _header_word(text, above):
            return False  # a lone cell under the header is a section's title
    groups = _group_columns(band)
    for position, text in filled:
        above = columns[position].role if position < len(columns) else None
        if len(text) > _LABEL_LONGEST:
            return False
        if _header_word(text, above) or position in groups or merged_down:
            continue
        return False
    return True


def _numbered(text: str) -> bool:
    """«1. …», «I. …», «Раздел 2. …»; not a period («I кв.», «2026 год»)."""
    return bool(_NUMBERED.match(text)) and not _PERIOD_LABEL.match(text)


def _header_word(text: str, above: str | None) -> bool:
    if column_role(text) is not None or _SIDE_WORDS.match(text) or _PERIOD_LABEL.match(text):
        return True
    return _base(above) == "deadline" and _deadline_part(text.lower()) is not None


def _group_columns(band: Sequence[GridRow]) -> set[int]:
    """Columns under a band cell that spans several columns."""
    found: set[int] = set()
    for row in band:
        for position in row.covered:
            found |= {position, position - 1}
    return found


def _columns(band: Sequence[GridRow]) -> list[Column]:
    """Each column's labels, top-down through merged cells, combined into one column."""
    grid = _grid(band)
    return [_column(_labels(grid, position)) for position in range(len(grid[0]))]


def _grid(band: Sequence[GridRow]) -> list[list[str]]:
    """The band's labels by row and column, a merged cell's text over every column it
    covers. A text export loses the merge: a group label stands in its first column
    only, and is spread right over the empty cells whose columns have labels below."""
    width = max(len(r.cells) for r in band)
    grid = [_spread(_texts(r) + [""] * (width - len(r.cells)), r.covered) for r in band]
    for r in range(len(grid) - 1):
        for position in range(1, width):
            if grid[r][position] or position in band[r].vmerged or not grid[r][position - 1]:
                continue
            below = [grid[k][position] for k in range(r + 1, len(grid))]
            left_below = [grid[k][position - 1] for k in range(r + 1, len(grid))]
            if any(below) and any(left_below):
                grid[r][position] = grid[r][position - 1]
    return grid


def _labels(grid: list[list[str]], position: int) -> list[str]:
    labels: list[str] = []
    for row in grid:
        if row[position] and row[position] not in labels:
            labels.append(row[position])
    return labels


def _spread(texts: list[str], covered: set[int]) -> list[str]:
    """A merged header cell's text over every column it covers."""
    out: list[str] = []
    for position, text in enumerate(texts):
        out.append(out[-1] if position in covered and out else text)
    return out


def _column(labels: list[str]) -> Column:
    """One column from its labels, top-down: the most specific label naming a role wins,
    a start or end word under a deadline makes it one, a side word gives the side, a
    period under a deadline («2026», «I кв.») is what its cells' dates belong to."""
    role: str | None = None
    side: Side | None = None
    periods: list[str] = []
    for label in labels:
        lowered = label.lower()
        own = column_role(label)
        part = _deadline_part(lowered) if _base(role) == "deadline" else None
        if part is not None and own in (None, "deadline", part):
            role = part
        elif own in _AGENCIES and role in _AGENCIES:
            role = "co_agencies" if "co_agencies" in (own, role) else "agencies"
        elif (
            own is not None
            and (own != "other" or role is None)
            and not (_base(role) == "deadline" and _base(own) == "deadline")
        ):
            role = own
        if role in _AGENCIES and side is None:
            side = side_by_name(label) or (_side_word(label) if _SIDE_WORDS.match(label) else None)
        if _base(role) == "deadline" and _PERIOD_LABEL.match(label) and label != labels[0]:
            periods.append(label)
    qualifier = None
    if periods:
        # «Срок исполнения (2026 год)» over «I кв. | II кв.»: the year may stand above.
        years = [
            y
            for label in labels
            if _base(column_role(label)) == "deadline"
            for y in _YEAR.findall(label)
        ]
        qualifier = _qualifier([*years[-1:], *periods])
    return Column(header=" ".join(labels), role=role, side=side, qualifier=qualifier)


def _qualifier(periods: list[str]) -> str | None:
    """«2026 год» over «I кв.» -> «I кв. 2026»: the finer period first, then the year."""
    years: list[str] = []
    finer: list[str] = []
    for period in periods:
        if year := _YEAR.search(period):
            years.append(year.group(1))
        rest = re.sub(r"^(?:на|в)\s+", "", period, flags=re.IGNORECASE)
        rest = _YEAR_WORDS.sub("", rest).strip(" ,")
        if rest:
            finer.append(rest)
    text = " ".join([*finer, *years[-1:]])
    return text or None


_YEAR_WORDS = re.compile(r"(?<!\d)20\d\d(?!\d)\s*(?:год[а-я]*|г\.?)?", re.IGNORECASE)


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
        if column.role in _AGENCIES and column.side is None:
            column.side = side_by_name(column.header)
    if columns and not any(c.role == "number" for c in columns) and not columns[0].header:
        columns[0].role = "number"
