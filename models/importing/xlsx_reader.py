"""Excel workbooks (.xlsx): the sheet that holds a plan table, read with openpyxl.

Merged cells give their value once, in their first column and row; the columns they
span are `covered` and the rows below `vmerged`, as in a Word table. The rows above the
header are the stamp and the title. A workbook with plans on several sheets is refused
with their names (each should be imported as its own file); other sheets are ignored.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from models.importing.errors import ImportFormatError
from models.importing.front import read_front
from models.importing.header import find_header
from models.importing.parsed import ParsedPlan
from models.importing.source import Source
from models.importing.table import Row, read_table

#: Columns and rows past these are not read (a stray mark far off the table).
MAX_COLUMNS = 40


def read_xlsx(source: Source) -> ParsedPlan:
    """The plan on the one sheet that holds a plan table; ImportFormatError otherwise."""
    name = source.path.name
    try:
        workbook = load_workbook(io.BytesIO(source.data), data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFormatError(name, None, "повреждённая книга Excel (.xlsx)") from exc
    found: list[tuple[str, list[Row], int]] = []
    for sheet in workbook.worksheets:
        rows = sheet_rows(sheet)
        header = find_header(rows, limit=25)
        if header is not None:
            found.append((sheet.title, rows, header.row))
    if not found:
        raise ImportFormatError(name, None, "ни на одном листе книги нет таблицы плана")
    if len(found) > 1:
        names = ", ".join(f"«{title}»" for title, _, _ in found)
        why = f"в книге несколько планов (листы {names}): сохраните каждый лист отдельным файлом"
        raise ImportFormatError(name, None, why)
    _, rows, start = found[0]
    units = [(r.line, " ".join(" ".join(c) for c in r.cells if any(c)), True) for r in rows[:start]]
    front = read_front([u for u in units if u[1].strip()])
    return read_table(name, front=front, rows=rows[start:])


def sheet_rows(sheet: Any) -> list[Row]:
    """The sheet's rows by column, merged ranges marked as covered and vmerged."""
    width = min(sheet.max_column or 0, MAX_COLUMNS)
    rows: list[Row] = []
    for number, values in enumerate(sheet.iter_rows(max_col=width, values_only=True), start=1):
        cells = [_text(v).split("\n") if v is not None else [] for v in values]
        rows.append(Row(line=number, cells=cells))
    for merged in sheet.merged_cells.ranges:
        first_row, first_col = merged.min_row - 1, merged.min_col - 1
        for r in range(first_row, min(merged.max_row, len(rows))):
            for c in range(first_col, min(merged.max_col, width)):
                if r == first_row and c == first_col:
                    continue
                if c > first_col:
                    rows[r].covered.add(c)
                else:
                    rows[r].vmerged.add(c)
    return rows


def _text(value: object) -> str:
    if isinstance(value, datetime):
        value = value.date() if (value.hour, value.minute) == (0, 0) else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\r\n", "\n").replace("_x000D_", "")
