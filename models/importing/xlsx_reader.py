"""Excel workbooks (.xlsx): every sheet that holds a plan table, read with openpyxl.

Merged cells give their value once, in their first column and row; the columns they
span are `covered` and the rows below `vmerged`, as in a Word table. The rows above a
sheet's header are its stamp and title.

A workbook may hold several plans, one a sheet («2026», «2027», «План 2028»): each is
read as a plan of its own, with its own title, period, source name and checksum (see
ParsedPlan.sheet). Sheets without a plan header (a cover, a «Справочник») are skipped,
and so is a sheet whose table has no items (a template) when another sheet has a plan.
A cover sheet before the plans lends its title and stamp to a sheet that has none.
A sheet's title is its own title rows, else the workbook's title (with the sheet's name
when the workbook holds several plans), else the sheet's name, else the file's name; its
period comes from its own title, else the sheet's name, else the workbook's title (then
the approval, the deadlines or the import date, as for any plan: period.py).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from models.importing.errors import EmptyTableError, ImportFormatError
from models.importing.front import Front, looks_like_title, read_front
from models.importing.header import Header, find_header
from models.importing.parsed import Doubt, ParsedPlan
from models.importing.source import Source
from models.importing.table import Row, plan_kind, read_table

#: Columns and rows past these are not read (a stray mark far off the table).
MAX_COLUMNS = 40
#: A sheet's header is looked for among its first rows.
HEADER_ROWS = 25
#: Sheet names Excel and LibreOffice give by default: they say nothing of the plan.
_DEFAULT_NAME = re.compile(r"^(?:лист|sheet|list|таблица|table)\s*\d*$", re.IGNORECASE)


@dataclass
class _Sheet:
    title: str
    rows: list[Row]
    header: Header | None


def read_xlsx(source: Source) -> list[ParsedPlan]:
    """The plans on the sheets that hold one, in sheet order; ImportFormatError when
    no sheet holds one, or any plan sheet is broken (the whole workbook is refused)."""
    name = source.path.name
    try:
        workbook = load_workbook(io.BytesIO(source.data), data_only=True)
    except (InvalidFileException, KeyError, ValueError, OSError) as exc:
        raise ImportFormatError(name, None, "повреждённая книга Excel (.xlsx)") from exc
    sheets = []
    for worksheet in workbook.worksheets:
        rows = sheet_rows(worksheet)
        sheets.append(_Sheet(worksheet.title, rows, find_header(rows, limit=HEADER_ROWS)))
    tables = [s for s in sheets if s.header is not None]
    if not tables:
        raise ImportFormatError(name, None, "ни на одном листе книги нет таблицы плана")
    cover = _cover(sheets, workbook)
    read: list[tuple[_Sheet, Front, ParsedPlan]] = []
    empty: list[EmptyTableError] = []
    for sheet in tables:
        assert sheet.header is not None
        where = f"{name} [{sheet.title}]" if len(tables) > 1 else name
        front = read_front(_units(sheet.rows[: sheet.header.row]))
        try:
            plan = read_table(where, front=front, rows=sheet.rows[sheet.header.row :])
        except EmptyTableError as exc:
            empty.append(exc)
            continue
        read.append((sheet, front, plan))
    if not read:
        raise empty[0]
    several = len(read) > 1
    plans = []
    for sheet, front, plan in read:
        _name_plan(plan, sheet, front, cover, stem=source.path.stem, several=several)
        if several:
            plan.sheet = sheet.title
            plan.fingerprint = _fingerprint(sheet, cover)
        plans.append(plan)
    for error in empty:
        sheet_name = error.path.name.removeprefix(f"{name} [").removesuffix("]")
        plans[0].doubts.append(Doubt(None, f"лист «{sheet_name}»: таблица без пунктов, пропущен"))
    return plans


def _units(rows: list[Row]) -> list[tuple[int | None, str, bool]]:
    units = [(r.line, " ".join(" ".join(c) for c in r.cells if any(c)), True) for r in rows]
    return [u for u in units if u[1].strip()]


def _cover(sheets: list[_Sheet], workbook: Any) -> Front | None:
    """The workbook's own title and stamp: a sheet before the first plan sheet that has
    no table but a plan's title or stamp (a cover), else the file's «Title» property."""
    for sheet in sheets:
        if sheet.header is not None:
            break
        front = read_front(_units(sheet.rows[:HEADER_ROWS]))
        if looks_like_title(front.title):
            return front
        if front.approval is not None:  # a stamp alone: its last line is no title
            return Front(title="", title_line=None, approval=front.approval)
    title = (workbook.properties.title or "").strip()
    return Front(title=title, title_line=None, approval=None) if title else None


def _name_plan(
    plan: ParsedPlan, sheet: _Sheet, front: Front, cover: Front | None, *, stem: str, several: bool
) -> None:
    """The sheet's title, approval and the texts its period may come from (see above)."""
    book = cover.title if cover is not None else ""
    if front.title:
        title = front.title
    elif book:
        title = f"{book} ({sheet.title})" if several else book
    elif not _DEFAULT_NAME.match(sheet.title) and re.search(r"[^\W\d_]", sheet.title):
        title = sheet.title
    else:
        title = f"{stem} ({sheet.title})" if several else stem
    plan.title = title
    plan.kind = plan_kind(title)
    if plan.approval is None and cover is not None:
        plan.approval = cover.approval
    plan.period_texts = [("title", front.title), ("sheet", sheet.title), ("workbook", book)]


def _fingerprint(sheet: _Sheet, cover: Front | None) -> bytes:
    """What a sheet's plan is read from: its name and cells, and the workbook's title
    and stamp (a change on another sheet leaves this plan's checksum as it was)."""
    rows = [(r.cells, sorted(r.covered), sorted(r.vmerged)) for r in sheet.rows]
    lent = [cover.title, cover.approval.text if cover.approval else ""] if cover else []
    data = json.dumps([sheet.title, rows, lent], ensure_ascii=False).encode()
    return hashlib.sha256(data).digest()


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
