"""Tables exported as a stream of cells: the events-plan text layout, where each cell
starts with a tab, and legal-act site exports, where each cell ends with «|».

Tabs: a line that starts with a tab opens a new cell (several tabs, several cells); a
line without one continues the cell before it. Pipes: a line ending in «|» closes a
cell, lines before it belong to the same cell. Either way cells may run over many
lines. Rows are told apart by the item number that opens each («1.»), section rows
(«В сфере …») by coming between a complete row and the next number; the row of column
numbers («1», «2», «3» …) under the header is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.importing.errors import ImportFormatError
from models.importing.front import read_front, units_of_lines
from models.importing.header import is_column_numbers
from models.importing.parsed import ParsedPlan
from models.importing.table import Row, column_key, is_header, is_number, read_table
from models.importing.text import join_lines

Line = tuple[int, str]
_SECTION_LIKE = re.compile(r"^(В сфере|Раздел|Сотрудничество в сфере)\b", re.IGNORECASE)


@dataclass
class _Cell:
    line: int
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines(self.lines)


def has_tab_table(lines: list[Line]) -> bool:
    """True when tab-led cells open with a header row («№ п/п», «Наименование»…)."""
    cells = _tab_cells(lines)
    return bool(cells) and is_header([c.text for c in _header_cells(cells)])


def has_pipe_cells(lines: list[Line]) -> bool:
    """True when cells end in «|», one a line, and open with a header row."""
    pipes = [t for _, t in lines if "|" in t]
    if not pipes or sum(t.count("|") == 1 and t.rstrip().endswith("|") for t in pipes) < 0.8 * len(
        pipes
    ):
        return False
    cells = _pipe_cells(lines)
    return bool(cells) and is_header([c.text for c in _header_cells(cells)])


def read_text_table(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in tab-separated `lines`; raises ImportFormatError when it is not one."""
    return _read_cells(path_name, lines, _tab_cells(lines))


def read_pipe_cells(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in cells that end in «|»; raises ImportFormatError when it is not one."""
    return _read_cells(path_name, lines, _pipe_cells(lines))


def _read_cells(path_name: str, lines: list[Line], cells: list[_Cell]) -> ParsedPlan:
    header = _header_cells(cells)
    if not is_header([c.text for c in header]):
        raise ImportFormatError(
            path_name, cells[0].line if cells else None, "нет строки заголовка таблицы"
        )
    first = cells[0].line
    front = read_front(units_of_lines([(n, t) for n, t in lines if n < first]))
    rest = cells[len(header) :]
    numbers = [c.text for c in rest[: len(header)]]
    if len(numbers) == len(header) and is_column_numbers(numbers):
        rest = rest[len(header) :]
    rows = _rows(rest, width=len(header))
    head = Row(line=header[0].line, cells=[c.lines for c in header])
    return read_table(path_name, front=front, rows=[head, *rows])


def _tab_cells(lines: list[Line]) -> list[_Cell]:
    cells: list[_Cell] = []
    for number, raw in lines:
        if raw.startswith("\t"):
            for part in raw.split("\t")[1:]:
                cells.append(_Cell(line=number, lines=[part]))
        elif cells:
            cells[-1].lines.append(raw)
    return cells


def _pipe_cells(lines: list[Line]) -> list[_Cell]:
    """Cells closed by a «|» at a line's end; the lines before belong to the same cell.
    Text above the first cell (title, stamp) and below the last is not part of any."""
    cells: list[_Cell] = []
    pending: list[Line] = []
    for number, raw in lines:
        text = raw.rstrip()
        if text.endswith("|"):
            pending.append((number, text[:-1]))
            cells.append(_Cell(line=pending[0][0], lines=[t for _, t in pending]))
            pending = []
        elif cells:
            pending.append((number, raw))
    return cells


def _header_cells(cells: list[_Cell]) -> list[_Cell]:
    header: list[_Cell] = []
    for cell in cells[:16]:
        if is_number(cell.text) or (cell.text and column_key(cell.text) is None):
            break
        header.append(cell)
    return header


def _rows(cells: list[_Cell], *, width: int) -> list[Row]:
    rows: list[Row] = []
    current: list[_Cell] | None = None
    expected: str | None = None
    for cell in cells:
        text = cell.text
        complete = current is None or len(current) >= width
        if is_number(text) and (complete or text.rstrip(".") == expected):
            current = [cell]
            rows.append(Row(line=cell.line, cells=[]))
            expected = _next_number(text)
        elif text and (complete or _SECTION_LIKE.match(text)):
            rows.append(Row(line=cell.line, cells=[cell.lines]))
            current = None
            continue
        elif current is not None:
            current.append(cell)
        else:
            continue
        rows[-1].cells = [c.lines for c in current]
    return rows


def _next_number(text: str) -> str | None:
    number = text.strip().rstrip(".")
    return str(int(number) + 1) if number.isdigit() else None
