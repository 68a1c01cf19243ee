"""Early exits for the commonest deadline shapes, read by one compiled pattern.

«март 2026 года», «II квартал 2026 года», «I полугодие 2027 г.», «2026 – 2028 годы»,
«в 2027 году», «в течение года»: a plan repeats these in most of its rows. Each shape here
gives exactly what the general grammar gives (a test runs both paths over the whole table,
another over generated phrases of these shapes); anything unusual — a year out of range, an
unknown word — returns None and the general path decides.
"""

from __future__ import annotations

import re
from datetime import date

from scheduler.rules.deadlines import vocabulary as vocab
from scheduler.rules.deadlines.resolve import YEARS_AFTER, YEARS_BEFORE, days_in
from scheduler.rules.deadlines.result import DeadlineParse, make_parse

_SHAPES = re.compile(
    r"(?P<month>[а-я]+) (?P<month_year>\d{4})(?: (?:года|г\.?))?"
    r"|(?P<quarter>iv|i{1,3}|[1-4]) квартал (?P<quarter_year>\d{4})(?: (?:года|г\.?))?"
    r"|(?P<half>i|ii|1|2) полугодие (?P<half_year>\d{4})(?: (?:года|г\.?))?"
    r"|(?P<first>\d{4}) ?- ?(?P<last>\d{4}) (?:годы|годов|гг\.?)"
    r"|(?:(?:в течение|в) )?(?P<year>\d{4})(?: (?:год|года|году|г\.?))?"
    r"|(?P<throughout>в течение (?:текущего )?года)"
)
_MONTHS = {form: month for month, forms in vocab.MONTH_FORMS.items() for form in forms}
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_HALVES = {"i": 1, "ii": 2, "1": 1, "2": 2}


def _window(text: str, first: date, last: date) -> DeadlineParse:
    return make_parse(text, ((first, last),), None, False, False, (), ())


def _in_range(reference: date, *years: int) -> bool:
    low, high = reference.year - YEARS_BEFORE, reference.year + YEARS_AFTER
    return all(low <= year <= high for year in years)


def fast_parse(text: str, normalised: str, reference: date) -> DeadlineParse | None:
    """The parse of a phrase of one of the common shapes, or None to use the grammar."""
    found = _SHAPES.fullmatch(normalised)
    if found is None:
        return None
    shape = found.lastgroup
    if shape == "month_year":
        month = _MONTHS.get(found["month"])
        year = int(found["month_year"])
        if month is None or not _in_range(reference, year):
            return None
        return _window(text, date(year, month, 1), date(year, month, days_in(year, month)))
    if shape == "quarter_year":
        quarter, year = _QUARTERS[found["quarter"]], int(found["quarter_year"])
        if not _in_range(reference, year):
            return None
        last_month = 3 * quarter
        last = date(year, last_month, days_in(year, last_month))
        return _window(text, date(year, last_month - 2, 1), last)
    if shape == "half_year":
        half, year = _HALVES[found["half"]], int(found["half_year"])
        if not _in_range(reference, year):
            return None
        return _window(text, date(year, 6 * half - 5, 1), date(year, 6 * half, 30 + (half == 2)))
    if shape == "year":
        year = int(found["year"])
        if not _in_range(reference, year):
            return None
        return _window(text, date(year, 1, 1), date(year, 12, 31))
    if shape == "last":
        first_year, last_year = int(found["first"]), int(found["last"])
        if first_year > last_year or not _in_range(reference, first_year, last_year):
            return None
        return _window(text, date(first_year, 1, 1), date(last_year, 12, 31))
    year = reference.year  # «в течение (текущего) года»: the reference year
    return _window(text, date(year, 1, 1), date(year, 12, 31))
