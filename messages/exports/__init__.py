"""Files for coordinators: an XLSX workbook, an iCalendar file, a timeline chart (PNG).

The chart lives in `messages.exports.chart` and is imported only where it is drawn:
matplotlib takes seconds to import, and the bot should not pay that at start-up.
"""

from messages.exports.ics import calendar_ics
from messages.exports.xlsx import workbook_xlsx

__all__ = ["calendar_ics", "workbook_xlsx"]
