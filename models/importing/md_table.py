"""Plans exported as a pipe table: Markdown (`| № п/п | Наименование | … |`) or plain
text with «|» between cells, with or without a leading and a trailing «|».

A row is one line; a line break inside a cell is written `<br>`. Separator rows
(`|---|---|`, `+----+----+`) are skipped; the text above the table is the stamp and title.
"""

from __future__ import annotations

import re

from models.importing.errors import ImportFormatError
from models.importing.front import read_front, units_of_lines
from models.importing.parsed import ParsedPlan
from models.importing.table import Row, is_header, read_table
from models.importing.text import join_lines, strip_markdown

Line = tuple[int, str]
_SEPARATOR = re.compile(r"^[:+]?[-=+]{3,}[:+]?$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _is_row(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(("|", "+-")) or stripped.count("|") >= 2


def _cells(line: str) -> list[list[str]]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    return [[strip_markdown(part) for part in _BR.split(cell)] for cell in inner.split("|")]


def _rows(lines: list[Line]) -> list[Row]:
    rows = []
    for number, raw in lines:
        if not _is_row(raw):
            continue
        cells = _cells(raw)
        if all(_SEPARATOR.match(join_lines(c)) or not join_lines(c) for c in cells):
            continue
        rows.append(Row(line=number, cells=cells))
    return rows


def has_pipe_table(lines: list[Line]) -> bool:
    """True when a pipe-table row among the first ones is a plan table header."""
    return any(is_header([join_lines(c) for c in row.cells]) for row in _rows(lines)[:5])


def read_pipe_table(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in a Markdown pipe table; raises ImportFormatError when it makes none."""
    rows = _rows(lines)
    start = next(
        (i for i, r in enumerate(rows[:5]) if is_header([join_lines(c) for c in r.cells])), None
    )
    if start is None:
        raise ImportFormatError(
            path_name, rows[0].line if rows else None, "нет строки заголовка таблицы"
        )
    first = rows[start].line or 0
    front = read_front(units_of_lines([(n, t) for n, t in lines if n < first]))
    return read_table(path_name, front=front, rows=rows[start:])
