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
_SEPARATOR = re.compile(r"^[:+]?[-=+]{3,}[:+]?$|^[─═┌┐└┘├┤┬┴┼╔╗╚╝╠╣╦╩╬\s]+$")
#: Box-drawing tables (legal-act systems' text export): «│» between cells.
_BOX = str.maketrans({"│": "|", "║": "|", "¦": "|"})
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _is_row(line: str, sep: str) -> bool:
    stripped = line.translate(_BOX).strip()
    if sep == "\t":
        return "\t" in line.strip("\r\n ") and not line.startswith("\t")
    return stripped.startswith(("|", "+-")) or stripped.count("|") >= 2


def _cells(line: str, sep: str) -> list[list[str]]:
    if sep == "\t":
        return [[part] for part in line.rstrip("\r\n").split("\t")]
    inner = line.translate(_BOX).strip().removeprefix("|").removesuffix("|")
    return [[strip_markdown(part) for part in _BR.split(cell)] for cell in inner.split("|")]


def _rows(lines: list[Line], sep: str) -> list[Row]:
    rows = []
    for number, raw in lines:
        if not _is_row(raw, sep) or _SEPARATOR.match(raw.strip()):
            continue
        cells = _cells(raw, sep)
        if all(_SEPARATOR.match(join_lines(c)) or not join_lines(c) for c in cells):
            continue
        rows.append(Row(line=number, cells=cells))
    return rows


def _header_at(rows: list[Row]) -> int | None:
    return next(
        (i for i, r in enumerate(rows[:5]) if is_header([join_lines(c) for c in r.cells])), None
    )


def has_pipe_table(lines: list[Line]) -> bool:
    """True when a pipe-table row among the first ones is a plan table header."""
    return _header_at(_rows(lines, "|")) is not None


def has_tsv_table(lines: list[Line]) -> bool:
    """True when a line of tab-separated cells among the first ones is a plan table header."""
    return _header_at(_rows(lines, "\t")) is not None


def read_pipe_table(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in a pipe table; raises ImportFormatError when it makes none."""
    return _read(path_name, lines, "|")


def read_tsv_table(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in one line per row, cells separated by tabs (a spreadsheet saved as text)."""
    return _read(path_name, lines, "\t")


def _read(path_name: str, lines: list[Line], sep: str) -> ParsedPlan:
    rows = _rows(lines, sep)
    start = _header_at(rows)
    if start is None:
        raise ImportFormatError(
            path_name, rows[0].line if rows else None, "нет строки заголовка таблицы"
        )
    first = rows[start].line or 0
    above = [(n, t) for n, t in lines if n < first and not _SEPARATOR.match(t.strip())]
    front = read_front(units_of_lines(above))
    return read_table(path_name, front=front, rows=rows[start:])
