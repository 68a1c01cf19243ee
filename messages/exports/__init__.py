"""Files for coordinators: an XLSX workbook, an iCalendar file, a timeline chart (PNG)."""

from messages.exports.chart import build_figure, chart_png, chart_rows
from messages.exports.ics import calendar_ics
from messages.exports.xlsx import workbook_xlsx

__all__ = ["build_figure", "calendar_ics", "chart_png", "chart_rows", "workbook_xlsx"]
