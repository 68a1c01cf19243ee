"""The XLSX export: one sheet per plan, and the full status history on a last sheet."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from messages.formatting import format_windows, status_label
from models.base import Side
from models.export_data import ExportData, ExportItem, ExportPlan

#: Column title and width (in characters) of a plan sheet.
PLAN_COLUMNS = (
    ("№", 7),
    ("Раздел", 28),
    ("Мероприятие", 60),
    ("Ответственные (РФ)", 40),
    ("Ответственные (РБ)", 40),
    ("Срок по плану", 28),
    ("Окна", 32),
    ("Статус", 16),
    ("Статус по органам", 48),
    ("Последний комментарий", 40),
    ("Дата последнего отчёта", 20),
    ("Просрочено", 12),
)
HISTORY_COLUMNS = (
    ("План", 40),
    ("№", 7),
    ("Орган", 48),
    ("Статус", 16),
    ("Комментарий", 48),
    ("Автор", 24),
    ("Источник", 12),
    ("Дата", 20),
)
HISTORY_SHEET = "История статусов"
STATUS_COLUMN = 8
REPORTED_COLUMN = 11
#: Fill colours by status (light, so black text stays readable).
STATUS_FILLS = {
    "planned": "FFFFFF",
    "in_progress": "FFF2CC",
    "done": "C6EFCE",
    "postponed": "FCE4D6",
    "cancelled": "D9D9D9",
}
OVERDUE_FILL = "FFC7CE"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def workbook_xlsx(data: ExportData, *, timezone: str = "Europe/Moscow") -> bytes:
    """The workbook as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    used: set[str] = set()
    for plan in data.plans:
        sheet = book.create_sheet(_sheet_title(plan, used))
        _fill_plan(sheet, plan)
    history = book.create_sheet(HISTORY_SHEET)
    _fill_history(history, data, ZoneInfo(timezone))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(plan: ExportPlan, used: set[str]) -> str:
    """At most 31 characters, none of []:*?/\\, unique within the workbook."""
    base = _SHEET_FORBIDDEN.sub(" ", f"{plan.id}. {plan.title}")[:31].strip()
    title, n = base, 2
    while title.lower() in used or title == HISTORY_SHEET:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _header(sheet: Worksheet, columns: Iterable[tuple[str, int]]) -> None:
    columns = list(columns)
    for index, (title, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _filters(sheet: Worksheet, columns: int) -> None:
    """Filters on the header over every filled row."""
    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{sheet.max_row}"


def _fill_plan(sheet: Worksheet, plan: ExportPlan) -> None:
    _header(sheet, PLAN_COLUMNS)
    for item in plan.items:
        sheet.append(_plan_row(item, plan.timezone))
        row = sheet.max_row
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=REPORTED_COLUMN).number_format = "DD.MM.YYYY HH:MM"
        status = sheet.cell(row=row, column=STATUS_COLUMN)
        status.fill = PatternFill("solid", fgColor=STATUS_FILLS[item.status.value])
        if item.overdue:
            late = sheet.cell(row=row, column=len(PLAN_COLUMNS))
            late.fill = PatternFill("solid", fgColor=OVERDUE_FILL)
            late.font = Font(bold=True, color="9C0006")
    _filters(sheet, len(PLAN_COLUMNS))


def _plan_row(item: ExportItem, timezone: str) -> list[object]:
    by_agency = "\n".join(
        f"{a.name}: {status_label(a.status)}"
        + (f" (свой срок: {format_windows(a.windows)})" if a.own_windows else "")
        for a in item.agencies
    )
    return [
        item.number,
        item.section,
        item.title,
        "\n".join(a.name for a in item.agencies_of(Side.RU)),
        "\n".join(a.name for a in item.agencies_of(Side.BY)),
        item.deadline_text + (" (предварительно)" if item.tentative else ""),
        format_windows(item.printed_windows),
        status_label(item.status),
        by_agency,
        item.last_comment or "",
        _local(item.last_report_at, ZoneInfo(timezone)),
        "да" if item.overdue else "",
    ]


def _local(moment: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Excel has no time zones: the local wall time, without its offset."""
    if moment is None:
        return None
    return moment.astimezone(zone).replace(tzinfo=None)


def _fill_history(sheet: Worksheet, data: ExportData, zone: ZoneInfo) -> None:
    _header(sheet, HISTORY_COLUMNS)
    for row in data.history:
        sheet.append(
            [
                row.plan,
                row.number,
                row.agency,
                status_label(row.status) if row.status else "комментарий",
                row.comment or "",
                row.author,
                row.source,
                _local(row.at, zone),
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = "DD.MM.YYYY HH:MM"
    _filters(sheet, len(HISTORY_COLUMNS))
