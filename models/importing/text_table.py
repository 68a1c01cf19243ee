"""The events-plan text layout: a table exported as text, each cell starting with a tab.

A line that starts with a tab opens a new cell (several tabs, several cells); a line
without one continues the cell before it, so cells may run over many lines. Rows are
told apart by the item number that opens each («1.»), section rows («В сфере …») by
coming between a complete row and the next number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.importing.errors import ImportFormatError
from models.importing.parsed import ParsedPlan
from models.importing.table import Row, column_key, is_header, is_number, read_table
from models.importing.text import clean, join_lines

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
    cells = _cells(lines)
    return bool(cells) and is_header([c.text for c in _header_cells(cells)])


def read_text_table(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in tab-separated `lines`; raises ImportFormatError when it is not one."""
    cells = _cells(lines)
    header = _header_cells(cells)
    if not is_header([c.text for c in header]):
        raise ImportFormatError(
            path_name, cells[0].line if cells else None, "нет строки заголовка таблицы"
        )
    first_tab = cells[0].line
    title_lines = [(n, t) for n, t in lines if n < first_tab and clean(t)]
    title = join_lines([t for _, t in title_lines])
    rows = _rows(cells[len(header) :], width=len(header))
    return read_table(
        path_name,
        title=title,
        title_line=title_lines[0][0] if title_lines else None,
        rows=rows,
        header=Row(line=header[0].line, cells=[c.lines for c in header]),
    )


def _cells(lines: list[Line]) -> list[_Cell]:
    cells: list[_Cell] = []
    for number, raw in lines:
        if raw.startswith("\t"):
            for part in raw.split("\t")[1:]:
                cells.append(_Cell(line=number, lines=[part]))
        elif cells:
            cells[-1].lines.append(raw)
    return cells


def _header_cells(cells: list[_Cell]) -> list[_Cell]:
    header: list[_Cell] = []
    for cell in cells[:16]:
        if is_number(cell.text) or column_key(cell.text) is None:
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
