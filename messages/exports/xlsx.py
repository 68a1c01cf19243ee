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
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from messages.formatting import format_windows, status_label
from models.reports.exports import ExportData, ExportItem, ExportPlan
from scheduler.rules.domain import Side

#: Column title and width (in characters) of a plan sheet: narrow enough that a landscape
#: A4 page fitted to the width still prints legible text; long cells wrap.
PLAN_COLUMNS = (
    ("№", 6),
    ("Раздел", 20),
    ("Мероприятие", 48),
    ("Ответственные (РФ)", 30),
    ("Ответственные (РБ)", 30),
    ("Срок по плану", 18),
    ("Окна", 22),
    ("Статус", 15),
    ("Статус по органам", 34),
    ("Последний комментарий", 28),
    ("Дата последнего отчёта", 15),
    ("Просрочено", 12),
)
HISTORY_COLUMNS = (
    ("План", 40),
    ("№", 7),
    ("Орган", 48),
    ("Статус", 16),
    ("Комментарий", 48),
    ("Автор", 24),
    ("Источник", 16),
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
#: Where a report came from, as the history sheet says it (the stored codes are English).
SOURCE_LABELS = {
    "button": "кнопка",
    "text": "ответ текстом",
    "coordinator": "координатор",
    "cli": "командная строка",
    "demo": "демонстрация",
    "import": "импорт",
}
#: Row height per wrapped line, in points, for the default 11-point font, and its padding.
LINE_POINTS = 15.0
ROW_PADDING = 3.0
#: Characters that fit in one unit of column width (one, to be safe: Cyrillic letters are
#: about as wide as the digit «0» Excel measures widths by; LibreOffice fits a few more).
CHARS_PER_WIDTH = 1.0
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def workbook_xlsx(data: ExportData, *, timezone: str = "Europe/Moscow") -> bytes:
    """The workbook as XLSX bytes."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    used: set[str] = set()
    for plan in data.plans:
        sheet = book.create_sheet(_sheet_title(plan, used))
        _fill_plan(sheet, plan)
        _print_setup(sheet, PLAN_COLUMNS)
    history = book.create_sheet(HISTORY_SHEET)
    _fill_history(history, data, ZoneInfo(timezone))
    _print_setup(history, HISTORY_COLUMNS)
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


def _print_setup(sheet: Worksheet, columns: tuple[tuple[str, int], ...]) -> None:
    """Landscape A4, every column on the page's width, the header on every page, and each
    row as tall as its most wrapped cell (neither Excel nor LibreOffice grows a row whose
    text wraps on opening a file, so the height is written down)."""
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.5
    widths = [width for _, width in columns]
    for number, row in enumerate(sheet.iter_rows(min_row=1, max_row=sheet.max_row), start=1):
        lines = max((_wrapped_lines(c.value, widths[i]) for i, c in enumerate(row)), default=1)
        sheet.row_dimensions[number].height = lines * LINE_POINTS + ROW_PADDING


def _wrapped_lines(value: object, width: int) -> int:
    """How many lines `value` takes in a wrapped cell `width` characters wide."""
    if value is None or value == "":
        return 1
    if isinstance(value, datetime):
        return 1
    room = max(1, int(width * CHARS_PER_WIDTH) - 1)
    return max(1, sum(_line_count(line, room) for line in str(value).split("\n")))


def _line_count(line: str, room: int) -> int:
    """Lines one paragraph takes when wrapped between words at `room` characters (a word
    longer than that breaks inside)."""
    count, length = 1, 0
    for word in line.split():
        if length and length + 1 + len(word) <= room:
            length += 1 + len(word)
            continue
        if length:
            count += 1
        extra, length = divmod(len(word), room)
        if length == 0 and extra:
            extra, length = extra - 1, room
        count += extra
    return count


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
                SOURCE_LABELS.get(row.source, row.source),
                _local(row.at, zone),
            ]
        )
        sheet.cell(row=sheet.max_row, column=8).number_format = "DD.MM.YYYY HH:MM"
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _filters(sheet, len(HISTORY_COLUMNS))
