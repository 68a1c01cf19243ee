"""Held-out rows for the deadline families of issue 13, written apart from the engine.

Each row is `pytest.param(phrase, reference, period, expected, id=...)`: the phrase as a
regional or intergovernmental plan prints it, the plan's reference date, the plan's period
(start, end) or None, and what a careful official means by it under the conventions of
DESIGN.md («Fuzzy deadlines -> windows») and the notes shared by the branches that read
these families. `expected` holds the exact windows (date order), the recurrence and both
flags; `due` and `warnings` are checked only where a row gives them (a warning is a
substring that must appear in one of the parse's warnings).

The id's prefix names the family of issue 13 (f01 … f14) or marks a control row (ctl) of
a form the engine read before the issue, kept here to catch regressions.

Until `parse_deadline` accepts the plan's `period`, the rows cannot be run as written and
the row test skips itself; the table's own consistency is checked either way.
"""

from __future__ import annotations

import calendar
import inspect
import re
from collections import Counter
from datetime import date

import pytest

from scheduler.rules.deadlines import parse_deadline

Window = tuple[date, date]

JAN25 = date(2025, 1, 1)
JAN26 = date(2026, 1, 1)
JAN27 = date(2027, 1, 1)
SEP25 = date(2025, 9, 1)  # an academic-year plan starting in September 2025
SEP26 = date(2026, 9, 1)  # an academic-year plan starting in September 2026
SEP27 = date(2027, 9, 1)
MAR26 = date(2026, 3, 1)  # «План работы на март 2026 года»
OCT26 = date(2026, 10, 1)  # «План мероприятий на октябрь 2026 года»
FEB27 = date(2027, 2, 1)  # «План работы на февраль 2027 года»

P2026_2028 = (date(2026, 1, 1), date(2028, 12, 31))
P2025_2027 = (date(2025, 1, 1), date(2027, 12, 31))


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def w(start: str, end: str | None = None) -> Window:
    """One window; a single ISO day is a one-day window."""
    return (d(start), d(end or start))


def want(
    *windows: Window,
    rec: str | None = None,
    tentative: bool = False,
    undated: bool = False,
    warn: str | None = None,
    due: tuple[str, ...] | None = None,
) -> dict[str, object]:
    expected: dict[str, object] = {
        "windows": list(windows),
        "recurrence": rec,
        "tentative": tentative,
        "undated": undated,
    }
    if warn is not None:
        expected["warnings"] = warn
    if due is not None:
        expected["due"] = [d(day) for day in due]
    return expected


def _last(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_after(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _closing(year: int, month: int, after: int | None, day: int | None) -> date:
    """The last day of a reporting period ending in (year, month), or its deadline:
    day `day` of the `after`-th month following it."""
    if after is None or day is None:
        return date(year, month, _last(year, month))
    y, m = _month_after(year, month, after)
    return date(y, m, day)


def each_month(first: int, last: int, after: int | None = None, day: int | None = None):
    return [
        (date(y, m, 1), _closing(y, m, after, day))
        for y in range(first, last + 1)
        for m in range(1, 13)
    ]


def each_quarter(first: int, last: int, after: int | None = None, day: int | None = None):
    return [
        (date(y, q * 3 - 2, 1), _closing(y, q * 3, after, day))
        for y in range(first, last + 1)
        for q in range(1, 5)
    ]


def each_half(first: int, last: int, after: int, day: int):
    return [
        (date(y, h * 6 - 5, 1), _closing(y, h * 6, after, day))
        for y in range(first, last + 1)
        for h in (1, 2)
    ]


def each_year(first: int, last: int, start: tuple[int, int], end: tuple[int, int]):
    """One window a year, from (month, day) `start` to (month, day) `end` of that year."""
    return [(date(y, *start), date(y, *end)) for y in range(first, last + 1)]


# 1. Reporting periods with a deadline after them.
REPORTING = [
    pytest.param(
        "за III квартал – не позднее 20 октября",
        JAN26,
        None,
        want(w("2026-07-01", "2026-10-20")),
        id="f01-q3-by-20oct",
    ),
    pytest.param(
        "за I квартал 2026 г. — до 15 апреля 2026 г.",
        JAN26,
        None,
        want(w("2026-01-01", "2026-04-15")),
        id="f01-q1-2026-by-15apr",
    ),
    pytest.param(
        "за IV квартал 2026 года - не позднее 20 января 2027 года",
        JAN26,
        None,
        want(w("2026-10-01", "2027-01-20")),
        id="f01-q4-2026-by-20jan2027",
    ),
    pytest.param(
        "за 4 кв. – не позднее 25 января",
        JAN26,
        None,
        want(w("2026-10-01", "2027-01-25")),
        id="f01-q4-deadline-next-year",
    ),
    pytest.param(
        "ежеквартально, до 15-го числа второго месяца, следующего за отчётным кварталом",
        JAN26,
        None,
        want(w("2026-01-01", "2026-05-15"), rec="quarterly"),
        id="f01-quarterly-15th-second-month",
    ),
    pytest.param(
        "Ежеквартально, не позднее 20 числа месяца, следующего за отчетным кварталом",
        date(2026, 4, 1),
        None,
        want(w("2026-04-01", "2026-07-20"), rec="quarterly"),
        id="f01-quarterly-20th-ref-april",
    ),
    pytest.param(
        "не позднее 10 числа первого месяца следующего квартала",
        JAN26,
        None,
        want(w("2026-01-01", "2026-04-10")),
        id="f01-10th-first-month-next-quarter",
    ),
    pytest.param(
        "не позднее 5-го числа первого месяца,\nследующего за отчетным кварталом",
        date(2026, 7, 1),
        None,
        want(w("2026-07-01", "2026-10-05")),
        id="f01-5th-after-quarter-ref-july",
    ),
    pytest.param(
        "в срок до 20 января года, следующего за отчётным",
        JAN26,
        None,
        want(w("2026-01-01", "2027-01-20")),
        id="f01-20jan-next-year",
    ),
    pytest.param(
        "до 1 марта года, следующего за отчетным",
        JAN27,
        None,
        want(w("2027-01-01", "2028-03-01")),
        id="f01-1mar-next-year-ref-2027",
    ),
    pytest.param(
        "за 2026 год – до 1 февраля 2027 г.",
        JAN26,
        None,
        want(w("2026-01-01", "2027-02-01")),
        id="f01-year-2026-by-1feb2027",
    ),
    pytest.param(
        "за II квартал 2027 года —  не позднее 15 июля 2027 года",
        JAN26,
        None,
        want(w("2027-04-01", "2027-07-15")),
        id="f01-q2-2027-double-space",
    ),
    pytest.param(
        "по итогам III квартала – до 10 октября",
        JAN26,
        None,
        want(w("2026-07-01", "2026-10-10")),
        id="f01-po-itogam-q3",
    ),
    pytest.param(
        "за I кв. 2026 г. –\nне позднее 30.04.2026",
        JAN26,
        None,
        want(w("2026-01-01", "2026-04-30")),
        id="f01-q1-numeric-deadline-linebreak",
    ),
    pytest.param(
        "Ежеквартально до 20-го числа месяца, следующего за отчетным кварталом",
        JAN25,
        None,
        want(w("2025-01-01", "2025-04-20"), rec="quarterly"),
        id="f01-quarterly-20th-ref-2025",
    ),
    pytest.param(
        "за 1 полугодие — до 20 июля",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-20")),
        id="f01-h1-by-20jul",
    ),
    pytest.param(
        "Ежекв., до 20 числа мес., следующего за отчетным кв.",
        JAN26,
        None,
        want(w("2026-01-01", "2026-04-20"), rec="quarterly"),
        id="f01-abbreviated-quarterly-20th",
    ),
    pytest.param(
        "за 3 квартал 2026 г. - до 15.10.2026",
        JAN26,
        None,
        want(w("2026-07-01", "2026-10-15")),
        id="f01-arabic-q3-numeric-deadline",
    ),
    pytest.param(
        "ЗА II КВАРТАЛ 2026 ГОДА – ДО 20 ИЮЛЯ 2026 ГОДА",
        JAN26,
        None,
        want(w("2026-04-01", "2026-07-20")),
        id="f01-upper-case-q2",
    ),
]

# 2. Half-yearly duties.
HALF_YEARLY = [
    pytest.param(
        "два раза в год: до 15 января и до 15 июля",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-15"), w("2026-07-01", "2027-01-15"), rec="half_yearly"),
        id="f02-twice-15jan-15jul",
    ),
    pytest.param(
        "раз в полугодие, до 5 числа месяца, следующего за отчётным полугодием",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-05"), w("2026-07-01", "2027-01-05"), rec="half_yearly"),
        id="f02-per-half-5th",
    ),
    pytest.param(
        "2 раза в год (до 10 января, до 10 июля)",
        JAN27,
        None,
        want(w("2027-01-01", "2027-07-10"), w("2027-07-01", "2028-01-10"), rec="half_yearly"),
        id="f02-2-times-parens-ref-2027",
    ),
    pytest.param(
        "один раз в полугодие, не позднее 20 числа месяца, следующего за отчетным полугодием",
        JAN25,
        None,
        want(w("2025-01-01", "2025-07-20"), w("2025-07-01", "2026-01-20"), rec="half_yearly"),
        id="f02-once-per-half-20th-ref-2025",
    ),
    pytest.param(
        "два раза в год – до 1 февраля и до 1 августа",
        JAN26,
        None,
        want(w("2026-01-01", "2026-08-01"), w("2026-07-01", "2027-02-01"), rec="half_yearly"),
        id="f02-twice-1feb-1aug",
    ),
    pytest.param(
        "по полугодиям, до 25 июля и до 25 января",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-25"), w("2026-07-01", "2027-01-25"), rec="half_yearly"),
        id="f02-july-listed-first",
    ),
    pytest.param(
        "ежеполугодно, до 10-го числа месяца, следующего за отчетным полугодием",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-10"), w("2026-07-01", "2027-01-10"), rec="half_yearly"),
        id="f02-ezhepolugodno-10th",
    ),
    pytest.param(
        "2 раза в год: до 30 января, до 30 июля",
        date(2028, 1, 1),
        None,
        want(w("2028-01-01", "2028-07-30"), w("2028-07-01", "2029-01-30"), rec="half_yearly"),
        id="f02-30jan-30jul-ref-2028",
    ),
    pytest.param(
        "Раз в полугодие (до 5 июля и 5 января)",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-05"), w("2026-07-01", "2027-01-05"), rec="half_yearly"),
        id="f02-parens-5jul-5jan",
    ),
    pytest.param(
        "два раза в год:\nдо 20 января и до 20 июля",
        JAN26,
        None,
        want(w("2026-01-01", "2026-07-20"), w("2026-07-01", "2027-01-20"), rec="half_yearly"),
        id="f02-linebreak-20jan-20jul",
    ),
    pytest.param(
        "раз в полугодие, до 15 числа месяца, следующего за отчетным полугодием",
        JAN27,
        None,
        want(w("2027-01-01", "2027-07-15"), w("2027-07-01", "2028-01-15"), rec="half_yearly"),
        id="f02-per-half-15th-ref-2027",
    ),
    pytest.param(
        "два раза в год: до 15 января и до 15 июля",
        JAN26,
        P2026_2028,
        want(*each_half(2026, 2028, 1, 15), rec="half_yearly"),
        id="f02-period-twice-15jan-15jul",
    ),
    pytest.param(
        "раз в полугодие, до 5 числа месяца, следующего за отчётным полугодием",
        JAN25,
        P2025_2027,
        want(*each_half(2025, 2027, 1, 5), rec="half_yearly"),
        id="f02-period-per-half-5th",
    ),
    pytest.param(
        "ежеполугодно, до 10-го числа месяца, следующего за отчетным полугодием",
        JAN26,
        P2026_2028,
        want(*each_half(2026, 2028, 1, 10), rec="half_yearly"),
        id="f02-period-ezhepolugodno-10th",
    ),
]

# 3. Recurring duties over the plan's whole period (and without one: the first occurrence).
RECURRING = [
    pytest.param(
        "ежеквартально, до 10 числа месяца, следующего за отчетным кварталом",
        JAN26,
        P2026_2028,
        want(*each_quarter(2026, 2028, 1, 10), rec="quarterly"),
        id="f03-period-quarterly-10th",
    ),
    pytest.param(
        "ежеквартально",
        JAN26,
        P2026_2028,
        want(*each_quarter(2026, 2028), rec="quarterly"),
        id="f03-period-quarterly",
    ),
    pytest.param(
        "ежекв.",
        JAN26,
        P2026_2028,
        want(*each_quarter(2026, 2028), rec="quarterly"),
        id="f03-period-ezhekv-abbrev",
    ),
    pytest.param(
        "раз в квартал",
        JAN25,
        P2025_2027,
        want(*each_quarter(2025, 2027), rec="quarterly"),
        id="f03-period-once-a-quarter",
    ),
    pytest.param(
        "ежемесячно",
        JAN26,
        P2026_2028,
        want(*each_month(2026, 2028), rec="monthly"),
        id="f03-period-monthly",
    ),
    pytest.param(
        "ежемесячно, до 5 числа месяца, следующего за отчетным",
        JAN26,
        P2026_2028,
        want(*each_month(2026, 2028, 1, 5), rec="monthly"),
        id="f03-period-monthly-5th",
    ),
    pytest.param(
        "Ежемесячно, не позднее 3-го числа месяца, следующего за отчетным",
        JAN25,
        P2025_2027,
        want(*each_month(2025, 2027, 1, 3), rec="monthly"),
        id="f03-period-monthly-3rd-2025",
    ),
    pytest.param(
        "ежемесячно",
        MAR26,
        (MAR26, date(2026, 12, 31)),
        want(*each_month(2026, 2026)[2:], rec="monthly"),
        id="f03-period-monthly-march-december",
    ),
    pytest.param(
        "ежеквартально",
        JAN26,
        (JAN26, date(2026, 12, 31)),
        want(*each_quarter(2026, 2026), rec="quarterly"),
        id="f03-period-quarterly-one-year",
    ),
    pytest.param(
        "ежегодно, в мае",
        JAN26,
        P2026_2028,
        want(*each_year(2026, 2028, (5, 1), (5, 31)), rec="yearly"),
        id="f03-period-yearly-may",
    ),
    pytest.param(
        "ежегодно, в мае",
        SEP26,
        (SEP26, date(2028, 8, 31)),
        want(w("2027-05-01", "2027-05-31"), w("2028-05-01", "2028-05-31"), rec="yearly"),
        id="f03-period-yearly-may-academic",
    ),
    pytest.param(
        "Ежегодно (сентябрь)",
        JAN25,
        P2025_2027,
        want(*each_year(2025, 2027, (9, 1), (9, 30)), rec="yearly"),
        id="f03-period-yearly-september-parens",
    ),
    pytest.param(
        "ежегодно, в IV квартале",
        JAN25,
        P2025_2027,
        want(*each_year(2025, 2027, (10, 1), (12, 31)), rec="yearly"),
        id="f03-period-yearly-q4",
    ),
    pytest.param(
        "Ежегодно, май – июнь",
        JAN26,
        P2026_2028,
        want(*each_year(2026, 2028, (5, 1), (6, 30)), rec="yearly"),
        id="f03-period-yearly-may-june",
    ),
    pytest.param(
        "ежегодно, в первой декаде декабря",
        JAN26,
        P2026_2028,
        want(*each_year(2026, 2028, (12, 1), (12, 10)), rec="yearly"),
        id="f03-period-yearly-first-decade-december",
    ),
    pytest.param(
        "ежеквартально, до 15-го числа второго месяца, следующего за отчётным кварталом",
        JAN25,
        P2025_2027,
        want(*each_quarter(2025, 2027, 2, 15), rec="quarterly"),
        id="f03-period-quarterly-15th-second-month",
    ),
    pytest.param(
        "ежеквартально, не позднее 20 числа месяца, следующего за отчетным кварталом",
        JAN25,
        P2025_2027,
        want(*each_quarter(2025, 2027, 1, 20), rec="quarterly"),
        id="f03-period-quarterly-20th",
    ),
    pytest.param(
        "ежегодно, до 20 января года, следующего за отчётным",
        JAN26,
        P2026_2028,
        want(
            w("2026-01-01", "2027-01-20"),
            w("2027-01-01", "2028-01-20"),
            w("2028-01-01", "2029-01-20"),
            rec="yearly",
        ),
        id="f03-period-yearly-20jan-next-year",
    ),
    pytest.param(
        "ежегодно, в последнюю субботу июня",
        JAN26,
        P2026_2028,
        want(w("2026-06-27"), w("2027-06-26"), w("2028-06-24"), rec="yearly"),
        id="f03-period-yearly-last-saturday-june",
    ),
    pytest.param(
        "ежегодно в третье воскресенье августа",
        JAN26,
        P2026_2028,
        want(w("2026-08-16"), w("2027-08-15"), w("2028-08-20"), rec="yearly"),
        id="f03-period-yearly-third-sunday-august",
    ),
    pytest.param(
        "ежеквартально, в конце квартала",
        JAN26,
        P2026_2028,
        want(
            *[
                (date(y, m, 1), date(y, m, _last(y, m)))
                for y in (2026, 2027, 2028)
                for m in (3, 6, 9, 12)
            ],
            rec="quarterly",
        ),
        id="f03-period-quarterly-end-of-quarter",
    ),
    pytest.param(
        "ежегодно, в мае",
        JAN26,
        None,
        want(w("2026-05-01", "2026-05-31"), rec="yearly"),
        id="f03-no-period-yearly-may",
    ),
    pytest.param(
        "ЕЖЕГОДНО, В ОКТЯБРЕ",
        SEP26,
        None,
        want(w("2026-10-01", "2026-10-31"), rec="yearly"),
        id="f03-no-period-yearly-october-caps",
    ),
    pytest.param(
        "ежемесячно, до 5 числа след. мес.",
        JAN26,
        None,
        want(w("2026-01-01", "2026-02-05"), rec="monthly"),
        id="f03-no-period-monthly-abbreviated",
    ),
    pytest.param(
        "ежемесячно (до 10 числа месяца, следующего за отчетным)",
        JAN25,
        P2025_2027,
        want(*each_month(2025, 2027, 1, 10), rec="monthly"),
        id="f03-period-monthly-10th-parens",
    ),
]

# 4. Long and outlook periods.
LONG = [
    pytest.param(
        "на 2025 – 2027 годы и на период до 2035 года",
        JAN25,
        None,
        want(w("2025-01-01", "2035-12-31")),
        id="f04-2025-2027-and-to-2035",
    ),
    pytest.param(
        "в 2015 – 2040 годах",
        JAN26,
        None,
        want(w("2015-01-01", "2040-12-31")),
        id="f04-2015-2040",
    ),
    pytest.param(
        "2019-2045 годы",
        JAN26,
        None,
        want(w("2019-01-01", "2045-12-31")),
        id="f04-2019-2045",
    ),
    pytest.param(
        "на 2026–2030 годы и на перспективу до 2040 года",
        JAN26,
        None,
        want(w("2026-01-01", "2040-12-31")),
        id="f04-2026-2030-outlook-2040",
    ),
    pytest.param(
        "с 2018 по 2035 год",
        JAN26,
        None,
        want(w("2018-01-01", "2035-12-31")),
        id="f04-from-2018-to-2035",
    ),
    pytest.param(
        "на период до 2050 года",
        JAN26,
        None,
        want(w("2026-01-01", "2050-12-31")),
        id="f04-to-2050",
    ),
    pytest.param(
        "в 2016—2035 гг.",
        JAN26,
        None,
        want(w("2016-01-01", "2035-12-31")),
        id="f04-2016-2035-emdash",
    ),
    pytest.param(
        "2025 - 2030 годы и период до 2036 года",
        JAN25,
        None,
        want(w("2025-01-01", "2036-12-31")),
        id="f04-2025-2030-and-period-to-2036",
    ),
    pytest.param(
        "на 2024 – 2026 годы\nи на период до 2030 года",
        date(2024, 1, 1),
        None,
        want(w("2024-01-01", "2030-12-31")),
        id="f04-2024-2026-linebreak-to-2030",
    ),
    pytest.param(
        "2010 – 2030 гг.",
        JAN26,
        None,
        want(w("2010-01-01", "2030-12-31")),
        id="f04-2010-2030-abbrev",
    ),
    pytest.param(
        "в 2020-2045 годах",
        JAN26,
        None,
        want(w("2020-01-01", "2045-12-31")),
        id="f04-2020-2045",
    ),
    pytest.param(
        "на 2026 - 2028 годы и на период до 2040 г.",
        JAN26,
        P2026_2028,
        want(w("2026-01-01", "2040-12-31")),
        id="f04-with-period-to-2040",
    ),
    pytest.param(
        "2206 год",
        JAN26,
        None,
        want(undated=True, warn="2206"),
        id="f04-typo-2206-warns",
    ),
    pytest.param(
        "в 1026 году",
        JAN26,
        None,
        want(undated=True, warn="1026"),
        id="f04-typo-1026-warns",
    ),
]

# 5. Ranges with words or odd signs inside.
RANGES = [
    pytest.param(
        "с 14 сентября 2026 года (понедельник) по 20 сентября 2026 года (воскресенье)",
        JAN26,
        None,
        want(w("2026-09-14", "2026-09-20")),
        id="f05-weekdays-in-parens",
    ),
    pytest.param(
        "с 09.11.2026 года по 20.12.2026 года",
        JAN26,
        None,
        want(w("2026-11-09", "2026-12-20")),
        id="f05-numeric-with-goda",
    ),
    pytest.param(
        "5 июня--9 июня",
        JAN26,
        None,
        want(w("2026-06-05", "2026-06-09")),
        id="f05-double-hyphen",
    ),
    pytest.param(
        "2025 2027 годы",
        JAN25,
        None,
        want(w("2025-01-01", "2027-12-31")),
        id="f05-lost-dash-years",
    ),
    pytest.param(
        "03.- 07.11.25г.",
        JAN25,
        None,
        want(w("2025-11-03", "2025-11-07")),
        id="f05-dotted-day-range-two-digit-year",
    ),
    pytest.param(
        "с 5 октября 2026 г. (понедельник) по 9 октября 2026 г. (пятница)",
        JAN26,
        None,
        want(w("2026-10-05", "2026-10-09")),
        id="f05-g-weekdays-in-parens",
    ),
    pytest.param(
        "с 01.02.2027 г. по 28.02.2027 г.",
        JAN26,
        None,
        want(w("2027-02-01", "2027-02-28")),
        id="f05-numeric-with-g",
    ),
    pytest.param(
        "2026  2028 гг.",
        JAN26,
        None,
        want(w("2026-01-01", "2028-12-31")),
        id="f05-lost-dash-double-space",
    ),
    pytest.param(
        "10.- 14.03.2026 г.",
        JAN26,
        None,
        want(w("2026-03-10", "2026-03-14")),
        id="f05-dotted-day-range-four-digit-year",
    ),
    pytest.param(
        "с 1 июня (понедельник) по 5 июня (пятница)",
        JAN26,
        None,
        want(w("2026-06-01", "2026-06-05")),
        id="f05-weekdays-no-year",
    ),
    pytest.param(
        "18 мая-\n22 мая 2026 года",
        JAN26,
        None,
        want(w("2026-05-18", "2026-05-22")),
        id="f05-month-repeated-linebreak",
    ),
    pytest.param(
        "с 20.04.2026г. по 24.04.2026г.",
        JAN26,
        None,
        want(w("2026-04-20", "2026-04-24")),
        id="f05-numeric-g-no-space",
    ),
    pytest.param(
        "с 16 ноября 2026 года\nпо 20 ноября 2026 года",
        JAN26,
        None,
        want(w("2026-11-16", "2026-11-20")),
        id="f05-full-dates-linebreak",
    ),
    pytest.param(
        "3 августа -- 7 августа 2026 г.",
        JAN26,
        None,
        want(w("2026-08-03", "2026-08-07")),
        id="f05-spaced-double-hyphen",
    ),
    pytest.param(
        "с 14.09 по 18.09.2026",
        JAN26,
        None,
        want(w("2026-09-14", "2026-09-18")),
        id="f05-numeric-year-once",
    ),
]

# 6. Year rollover inside a list or a range.
ROLLOVER = [
    pytest.param(
        "ноябрь, февраль",
        SEP26,
        None,
        want(w("2026-11-01", "2026-11-30"), w("2027-02-01", "2027-02-28")),
        id="f06-november-february",
    ),
    pytest.param(
        "с 15 ноября по 10 февраля",
        SEP26,
        None,
        want(w("2026-11-15", "2027-02-10"), warn="год не указан — взят следующий"),
        id="f06-range-15nov-10feb",
    ),
    pytest.param(
        "октябрь, декабрь, март, май",
        SEP26,
        None,
        want(
            w("2026-10-01", "2026-10-31"),
            w("2026-12-01", "2026-12-31"),
            w("2027-03-01", "2027-03-31"),
            w("2027-05-01", "2027-05-31"),
        ),
        id="f06-four-months-academic-year",
    ),
    pytest.param(
        "с октября по март",
        SEP26,
        None,
        want(w("2026-10-01", "2027-03-31")),
        id="f06-october-to-march",
    ),
    pytest.param(
        "декабрь, январь, февраль",
        SEP26,
        None,
        want(
            w("2026-12-01", "2026-12-31"),
            w("2027-01-01", "2027-01-31"),
            w("2027-02-01", "2027-02-28"),
        ),
        id="f06-winter-months-list",
    ),
    pytest.param(
        "20 декабря, 15 января, 10 марта",
        SEP26,
        None,
        want(w("2026-12-20"), w("2027-01-15"), w("2027-03-10")),
        id="f06-days-list",
    ),
    pytest.param(
        "с 1 декабря по 28 февраля",
        SEP26,
        None,
        want(w("2026-12-01", "2027-02-28")),
        id="f06-range-1dec-28feb",
    ),
    pytest.param(
        "в ноябре, январе и апреле",
        SEP26,
        None,
        want(
            w("2026-11-01", "2026-11-30"),
            w("2027-01-01", "2027-01-31"),
            w("2027-04-01", "2027-04-30"),
        ),
        id="f06-prepositional-list",
    ),
    pytest.param(
        "25 октября – 5 марта",
        SEP26,
        None,
        want(w("2026-10-25", "2027-03-05")),
        id="f06-range-25oct-5mar",
    ),
    pytest.param(
        "октябрь, март",
        SEP25,
        None,
        want(w("2025-10-01", "2025-10-31"), w("2026-03-01", "2026-03-31")),
        id="f06-october-march-2025",
    ),
    pytest.param(
        "с 20 ноября по 15 января",
        SEP25,
        None,
        want(w("2025-11-20", "2026-01-15"), warn="год не указан — взят следующий"),
        id="f06-range-20nov-15jan-2025",
    ),
    pytest.param(
        "IV квартал, I квартал",
        SEP26,
        None,
        want(w("2026-10-01", "2026-12-31"), w("2027-01-01", "2027-03-31")),
        id="f06-quarters-list",
    ),
    pytest.param(
        "ноябрь; февраль; май",
        SEP26,
        None,
        want(
            w("2026-11-01", "2026-11-30"),
            w("2027-02-01", "2027-02-28"),
            w("2027-05-01", "2027-05-31"),
        ),
        id="f06-semicolon-list",
    ),
    pytest.param(
        "15.12 – 15.02",
        SEP26,
        None,
        want(w("2026-12-15", "2027-02-15")),
        id="f06-numeric-range",
    ),
    pytest.param(
        "30 декабря, 6 января",
        JAN26,
        None,
        want(w("2026-12-30"), w("2027-01-06")),
        id="f06-days-list-across-new-year",
    ),
    pytest.param(
        "с 20 декабря по 10 января 2027 г.",
        JAN26,
        None,
        want(w("2026-12-20", "2027-01-10")),
        id="f06-range-year-only-at-end",
    ),
    pytest.param(
        "Ноябрь, январь, март",
        SEP27,
        None,
        want(
            w("2027-11-01", "2027-11-30"),
            w("2028-01-01", "2028-01-31"),
            w("2028-03-01", "2028-03-31"),
        ),
        id="f06-november-january-march-2027",
    ),
]

# 7. Parts of a month, a quarter, a half-year or a year.
PARTS = [
    pytest.param(
        "в начале октября", JAN26, None, want(w("2026-10-01", "2026-10-10")), id="f07-start-oct"
    ),
    pytest.param(
        "в середине мая", JAN26, None, want(w("2026-05-11", "2026-05-20")), id="f07-middle-may"
    ),
    pytest.param(
        "в конце июня", JAN26, None, want(w("2026-06-21", "2026-06-30")), id="f07-end-june"
    ),
    pytest.param(
        "в первой декаде апреля",
        JAN26,
        None,
        want(w("2026-04-01", "2026-04-10")),
        id="f07-first-decade-april",
    ),
    pytest.param(
        "во второй декаде марта 2027 г.",
        JAN26,
        None,
        want(w("2027-03-11", "2027-03-20")),
        id="f07-second-decade-march-2027",
    ),
    pytest.param(
        "в последней декаде февраля 2028 года",
        JAN26,
        None,
        want(w("2028-02-21", "2028-02-29")),
        id="f07-last-decade-feb-leap",
    ),
    pytest.param(
        "в первой половине июля",
        JAN26,
        None,
        want(w("2026-07-01", "2026-07-15")),
        id="f07-first-half-july",
    ),
    pytest.param(
        "во второй половине ноября",
        JAN26,
        None,
        want(w("2026-11-16", "2026-11-30")),
        id="f07-second-half-november",
    ),
    pytest.param(
        "во второй половине февраля 2027 г.",
        JAN26,
        None,
        want(w("2027-02-16", "2027-02-28")),
        id="f07-second-half-february-2027",
    ),
    pytest.param(
        "не позднее середины марта",
        JAN26,
        None,
        want(w("2026-01-01", "2026-03-15")),
        id="f07-by-middle-march",
    ),
    pytest.param(
        "в конце III квартала",
        JAN26,
        None,
        want(w("2026-09-01", "2026-09-30")),
        id="f07-end-q3",
    ),
    pytest.param(
        "в начале II кв. 2027 г.",
        JAN26,
        None,
        want(w("2027-04-01", "2027-04-30")),
        id="f07-start-q2-2027",
    ),
    pytest.param(
        "в середине IV квартала",
        JAN26,
        None,
        want(w("2026-11-01", "2026-11-30")),
        id="f07-middle-q4",
    ),
    pytest.param(
        "в конце первого полугодия",
        JAN26,
        None,
        want(w("2026-06-01", "2026-06-30")),
        id="f07-end-h1",
    ),
    pytest.param(
        "в начале 2027 года",
        JAN26,
        None,
        want(w("2027-01-01", "2027-01-31")),
        id="f07-start-2027",
    ),
    pytest.param(
        "конец 2027 года", JAN26, None, want(w("2027-12-01", "2027-12-31")), id="f07-end-2027"
    ),
    pytest.param(
        "в середине 2027 года",
        JAN26,
        None,
        want(w("2027-06-01", "2027-07-31")),
        id="f07-middle-2027",
    ),
    pytest.param(
        "Конец августа", JAN26, None, want(w("2026-08-21", "2026-08-31")), id="f07-end-august-cap"
    ),
    pytest.param(
        "начало сентября",
        SEP26,
        None,
        want(w("2026-09-01", "2026-09-10")),
        id="f07-start-september-ref-september",
    ),
    pytest.param(
        "в середине января",
        SEP26,
        None,
        want(w("2027-01-11", "2027-01-20")),
        id="f07-middle-january-next-year",
    ),
    pytest.param(
        "третья декада\nсентября 2026 г.",
        JAN26,
        None,
        want(w("2026-09-21", "2026-09-30")),
        id="f07-third-decade-linebreak",
    ),
    pytest.param(
        "в конце декабря 2026г.",
        JAN26,
        None,
        want(w("2026-12-21", "2026-12-31")),
        id="f07-end-december-g-no-space",
    ),
    pytest.param(
        "в середине III квартала 2027 года",
        JAN26,
        None,
        want(w("2027-08-01", "2027-08-31")),
        id="f07-middle-q3-2027",
    ),
]

# 8. A weekday of a month.
WEEKDAYS = [
    pytest.param(
        "третье воскресенье августа",
        JAN26,
        None,
        want(w("2026-08-16")),
        id="f08-third-sunday-august",
    ),
    pytest.param(
        "в последнюю субботу июня",
        JAN26,
        None,
        want(w("2026-06-27")),
        id="f08-last-saturday-june",
    ),
    pytest.param(
        "в первый понедельник сентября",
        JAN26,
        None,
        want(w("2026-09-07")),
        id="f08-first-monday-september",
    ),
    pytest.param(
        "во второй вторник октября",
        JAN26,
        None,
        want(w("2026-10-13")),
        id="f08-second-tuesday-october",
    ),
    pytest.param(
        "в последнее воскресенье сентября 2027 года",
        JAN26,
        None,
        want(w("2027-09-26")),
        id="f08-last-sunday-september-2027",
    ),
    pytest.param(
        "в первую субботу декабря",
        JAN26,
        None,
        want(w("2026-12-05")),
        id="f08-first-saturday-december",
    ),
    pytest.param(
        "последняя пятница июля",
        JAN26,
        None,
        want(w("2026-07-31")),
        id="f08-last-friday-july-nominative",
    ),
    pytest.param(
        "вторую среду ноября",
        JAN26,
        None,
        want(w("2026-11-11")),
        id="f08-second-wednesday-november",
    ),
    pytest.param(
        "в четвертый четверг ноября",
        JAN26,
        None,
        want(w("2026-11-26")),
        id="f08-fourth-thursday-november",
    ),
    pytest.param(
        "в последний четверг мая 2028 г.",
        JAN26,
        None,
        want(w("2028-05-25")),
        id="f08-last-thursday-may-2028",
    ),
    pytest.param(
        "первое воскресенье марта",
        SEP26,
        None,
        want(w("2027-03-07")),
        id="f08-first-sunday-march-next-year",
    ),
    pytest.param(
        "Второе воскресенье августа (День строителя)",
        JAN26,
        None,
        want(w("2026-08-09")),
        id="f08-second-sunday-august-holiday-name",
    ),
    pytest.param(
        "в последнее воскресенье ноября",
        JAN26,
        None,
        want(w("2026-11-29")),
        id="f08-last-sunday-november",
    ),
    pytest.param(
        "ежегодно, в третье воскресенье июня",
        JAN26,
        None,
        want(w("2026-06-21"), rec="yearly"),
        id="f08-yearly-third-sunday-june-no-period",
    ),
]

# 9. Day numbers in a plan for one month.
MONTH_PLAN = [
    pytest.param("5 (четверг)", MAR26, None, want(w("2026-03-05")), id="f09-5-thursday"),
    pytest.param(
        "12, 19, 26",
        MAR26,
        None,
        want(w("2026-03-12"), w("2026-03-19"), w("2026-03-26")),
        id="f09-three-days",
    ),
    pytest.param("с 3 по 7", MAR26, None, want(w("2026-03-03", "2026-03-07")), id="f09-s-3-po-7"),
    pytest.param("3-4", MAR26, None, want(w("2026-03-03", "2026-03-04")), id="f09-3-4"),
    pytest.param("10 (вторник)", MAR26, None, want(w("2026-03-10")), id="f09-10-tuesday"),
    pytest.param("16–20", MAR26, None, want(w("2026-03-16", "2026-03-20")), id="f09-16-20-endash"),
    pytest.param(
        "11\n(среда)", MAR26, None, want(w("2026-03-11")), id="f09-11-wednesday-linebreak"
    ),
    pytest.param(
        "2, 9, 16, 23, 30",
        MAR26,
        None,
        want(w("2026-03-02"), w("2026-03-09"), w("2026-03-16"), w("2026-03-23"), w("2026-03-30")),
        id="f09-mondays",
    ),
    pytest.param("14 (среда)", OCT26, None, want(w("2026-10-14")), id="f09-october-14-wednesday"),
    pytest.param(
        "с 19 по 23", OCT26, None, want(w("2026-10-19", "2026-10-23")), id="f09-october-19-23"
    ),
    pytest.param(
        "27 - 28", OCT26, None, want(w("2026-10-27", "2026-10-28")), id="f09-october-27-28"
    ),
    pytest.param("26 (пятница)", FEB27, None, want(w("2027-02-26")), id="f09-february-26-friday"),
    pytest.param(
        "с 22 по 26", FEB27, None, want(w("2027-02-22", "2027-02-26")), id="f09-february-22-26"
    ),
    pytest.param(
        "5, 6 (четверг, пятница)",
        MAR26,
        None,
        want(w("2026-03-05"), w("2026-03-06")),
        id="f09-two-days-two-weekdays",
    ),
    pytest.param(
        "1–3, 15",
        OCT26,
        None,
        want(w("2026-10-01", "2026-10-03"), w("2026-10-15")),
        id="f09-range-and-day",
    ),
]

# 10. Days written as words.
WORD_DAYS = [
    pytest.param(
        "двадцать восьмого февраля", JAN26, None, want(w("2026-02-28")), id="f10-28-february"
    ),
    pytest.param(
        "с первого по пятое марта",
        JAN26,
        None,
        want(w("2026-03-01", "2026-03-05")),
        id="f10-first-to-fifth-march",
    ),
    pytest.param(
        "1-го – 3-го октября",
        JAN26,
        None,
        want(w("2026-10-01", "2026-10-03")),
        id="f10-1go-3go-october",
    ),
    pytest.param(
        "пятнадцатого мая 2027 года", JAN26, None, want(w("2027-05-15")), id="f10-15-may-2027"
    ),
    pytest.param(
        "с десятого по двадцатое июня",
        JAN26,
        None,
        want(w("2026-06-10", "2026-06-20")),
        id="f10-tenth-to-twentieth-june",
    ),
    pytest.param(
        "до тридцатого ноября",
        JAN26,
        None,
        want(w("2026-01-01", "2026-11-30")),
        id="f10-by-thirtieth-november",
    ),
    pytest.param("первого сентября", JAN26, None, want(w("2026-09-01")), id="f10-first-september"),
    pytest.param(
        "с 5-го по 9-е апреля",
        JAN26,
        None,
        want(w("2026-04-05", "2026-04-09")),
        id="f10-5go-9e-april",
    ),
    pytest.param(
        "двадцать пятое декабря",
        JAN26,
        None,
        want(w("2026-12-25")),
        id="f10-25-december-nominative",
    ),
    pytest.param(
        "тридцать первого августа 2026 г.", JAN26, None, want(w("2026-08-31")), id="f10-31-august"
    ),
    pytest.param(
        "с двадцать первого по двадцать пятое сентября",
        JAN26,
        None,
        want(w("2026-09-21", "2026-09-25")),
        id="f10-21-to-25-september",
    ),
    pytest.param(
        "к двадцатому января",
        SEP26,
        None,
        want(w("2026-09-01", "2027-01-20")),
        id="f10-by-20-january-next-year",
    ),
    pytest.param(
        "12-го — 14-го ноября",
        JAN26,
        None,
        want(w("2026-11-12", "2026-11-14")),
        id="f10-12go-14go-november-emdash",
    ),
    pytest.param(
        "второго – четвёртого июля",
        JAN26,
        None,
        want(w("2026-07-02", "2026-07-04")),
        id="f10-second-fourth-july-yo",
    ),
]

# 11. Days listed under month headings.
HEADINGS = [
    pytest.param(
        "в марте: 3-4, 10-11; в апреле: 7, 14",
        JAN26,
        None,
        want(
            w("2026-03-03", "2026-03-04"),
            w("2026-03-10", "2026-03-11"),
            w("2026-04-07"),
            w("2026-04-14"),
        ),
        id="f11-march-april",
    ),
    pytest.param(
        "январь: 15, 29; февраль: 12, 26",
        JAN26,
        None,
        want(w("2026-01-15"), w("2026-01-29"), w("2026-02-12"), w("2026-02-26")),
        id="f11-january-february-nominative",
    ),
    pytest.param(
        "Сентябрь: 7-11, 21-25",
        SEP26,
        None,
        want(w("2026-09-07", "2026-09-11"), w("2026-09-21", "2026-09-25")),
        id="f11-september-two-ranges",
    ),
    pytest.param(
        "октябрь: 6, 20;\nноябрь: 3, 17;\nдекабрь: 1, 15",
        SEP26,
        None,
        want(
            w("2026-10-06"),
            w("2026-10-20"),
            w("2026-11-03"),
            w("2026-11-17"),
            w("2026-12-01"),
            w("2026-12-15"),
        ),
        id="f11-three-headings-linebreaks",
    ),
    pytest.param(
        "в феврале: 24-25; в марте: 2-3",
        JAN27,
        None,
        want(w("2027-02-24", "2027-02-25"), w("2027-03-02", "2027-03-03")),
        id="f11-february-march-2027",
    ),
    pytest.param(
        "март: 2, 16, 30; апрель: 13, 27",
        JAN26,
        None,
        want(w("2026-03-02"), w("2026-03-16"), w("2026-03-30"), w("2026-04-13"), w("2026-04-27")),
        id="f11-march-april-fortnightly",
    ),
    pytest.param(
        "июнь: 1–5; июль: 6–10; август: 3–7",
        JAN26,
        None,
        want(
            w("2026-06-01", "2026-06-05"),
            w("2026-07-06", "2026-07-10"),
            w("2026-08-03", "2026-08-07"),
        ),
        id="f11-summer-weeks",
    ),
    pytest.param(
        "в ноябре: 12, 26; в январе: 14",
        SEP26,
        None,
        want(w("2026-11-12"), w("2026-11-26"), w("2027-01-14")),
        id="f11-rollover-to-january",
    ),
    pytest.param(
        "В МАРТЕ: 17, 24; В АПРЕЛЕ: 21",
        JAN26,
        None,
        want(w("2026-03-17"), w("2026-03-24"), w("2026-04-21")),
        id="f11-upper-case",
    ),
    pytest.param(
        "в сентябре: 14; в октябре: 12; в ноябре: 9",
        SEP26,
        None,
        want(w("2026-09-14"), w("2026-10-12"), w("2026-11-09")),
        id="f11-one-day-each",
    ),
    pytest.param(
        "в мае: 12 - 14, 26;  в июне: 9",
        JAN26,
        None,
        want(w("2026-05-12", "2026-05-14"), w("2026-05-26"), w("2026-06-09")),
        id="f11-spaced-range-double-space",
    ),
    pytest.param(
        "апрель: 6-10, 20-24; май: 18-22 2027 г.",
        JAN26,
        None,
        want(
            w("2027-04-06", "2027-04-10"),
            w("2027-04-20", "2027-04-24"),
            w("2027-05-18", "2027-05-22"),
        ),
        id="f11-year-at-the-end",
    ),
]

# 12. Anchored to an event Srok cannot know.
EVENT = "срок отсчитывается от события"
ANCHORED = [
    pytest.param(
        "в течение 30 дней со дня утверждения",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-30-days-from-approval",
    ),
    pytest.param(
        "за 10 дней до начала сезона",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-10-days-before-season",
    ),
    pytest.param(
        "до 20 числа месяца, следующего за месяцем поступления заявки",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-20th-after-application-month",
    ),
    pytest.param(
        "в течение отопительного периода",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-heating-season",
    ),
    pytest.param(
        "после завершения ремонта",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-after-repair",
    ),
    pytest.param(
        "в течение 10 рабочих дней после подписания соглашения",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-10-working-days-after-signing",
    ),
    pytest.param(
        "не позднее 5 дней со дня получения запроса",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-5-days-from-request",
    ),
    pytest.param(
        "в двухнедельный срок с момента поступления обращения",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-two-weeks-from-appeal",
    ),
    pytest.param(
        "в течение месяца после вступления в силу закона",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-month-after-law-in-force",
    ),
    pytest.param(
        "за 3 дня до проведения мероприятия",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-3-days-before-event",
    ),
    pytest.param(
        "в течение 3 месяцев со дня принятия постановления",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-3-months-from-resolution",
    ),
    pytest.param(
        "по завершении строительства объекта",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-after-construction",
    ),
    pytest.param(
        "не позднее 7 рабочих дней\nс даты заключения контракта",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-7-working-days-from-contract-linebreak",
    ),
    pytest.param(
        "В 10-дневный срок после получения уведомления",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-10-day-term-after-notice",
    ),
    pytest.param(
        "в течение 1 мес. со дня подписания",
        JAN26,
        None,
        want(undated=True, warn=EVENT),
        id="f12-one-month-abbrev-from-signing",
    ),
]

# 13. Relative to the reference.
RELATIVE = [
    pytest.param(
        "к началу будущего года",
        JAN26,
        None,
        want(w("2026-01-01", "2027-01-01")),
        id="f13-by-start-of-next-year",
    ),
    pytest.param(
        "к началу следующего года",
        SEP26,
        None,
        want(w("2026-09-01", "2027-01-01")),
        id="f13-by-start-of-next-year-ref-september",
    ),
    pytest.param(
        "на протяжении всего Года педагога и наставника",
        date(2023, 1, 1),
        None,
        want(w("2023-01-01", "2023-12-31")),
        id="f13-year-of-teacher",
    ),
    pytest.param(
        "в течение всего Года защитника Отечества",
        JAN25,
        None,
        want(w("2025-01-01", "2025-12-31")),
        id="f13-year-of-defender",
    ),
    pytest.param(
        "в текущем году", JAN26, None, want(w("2026-01-01", "2026-12-31")), id="f13-current-year"
    ),
    pytest.param(
        "В текущем году",
        SEP26,
        None,
        want(w("2026-01-01", "2026-12-31")),
        id="f13-current-year-ref-september",
    ),
    pytest.param(
        "не позднее конца текущего квартала",
        JAN26,
        None,
        want(w("2026-01-01", "2026-03-31")),
        id="f13-by-end-of-current-quarter",
    ),
    pytest.param(
        "не позднее конца текущего квартала",
        date(2026, 5, 15),
        None,
        want(w("2026-05-15", "2026-06-30")),
        id="f13-by-end-of-current-quarter-mid-may",
    ),
    pytest.param(
        "в следующем году", JAN26, None, want(w("2027-01-01", "2027-12-31")), id="f13-next-year"
    ),
    pytest.param(
        "в будущем году",
        SEP26,
        None,
        want(w("2027-01-01", "2027-12-31")),
        id="f13-next-year-budushchem",
    ),
    pytest.param(
        "до конца текущего года",
        MAR26,
        None,
        want(w("2026-03-01", "2026-12-31")),
        id="f13-by-end-of-current-year-ref-march",
    ),
    pytest.param(
        "в течение следующего года",
        SEP26,
        None,
        want(w("2027-01-01", "2027-12-31")),
        id="f13-during-next-year",
    ),
    pytest.param(
        "в следующем квартале",
        JAN26,
        None,
        want(w("2026-04-01", "2026-06-30")),
        id="f13-next-quarter",
    ),
    pytest.param(
        "в текущем квартале",
        date(2026, 4, 1),
        None,
        want(w("2026-04-01", "2026-06-30")),
        id="f13-current-quarter",
    ),
]

# 14. Tentative markers.
TENTATIVE = [
    pytest.param(
        "о сроках будет сообщено дополнительно",
        JAN26,
        None,
        want(tentative=True, undated=True),
        id="f14-will-be-announced",
    ),
    pytest.param(
        "Сроки будут определены позднее",
        JAN26,
        None,
        want(tentative=True, undated=True),
        id="f14-will-be-set-later",
    ),
    pytest.param(
        "дата будет объявлена",
        JAN26,
        None,
        want(tentative=True, undated=True),
        id="f14-date-will-be-announced",
    ),
    pytest.param("планируется", JAN26, None, want(tentative=True, undated=True), id="f14-planned"),
    pytest.param(
        "июнь 2026 г. (предварительно)",
        JAN26,
        None,
        want(w("2026-06-01", "2026-06-30"), tentative=True),
        id="f14-june-preliminary",
    ),
    pytest.param(
        "при наличии финансирования",
        JAN26,
        None,
        want(tentative=True, undated=True),
        id="f14-if-funded",
    ),
    pytest.param(
        "2027 год (при наличии финансирования)",
        JAN26,
        None,
        want(w("2027-01-01", "2027-12-31"), tentative=True),
        id="f14-2027-if-funded",
    ),
    pytest.param(
        "в случае проведения – сентябрь 2026 г.",
        JAN26,
        None,
        want(w("2026-09-01", "2026-09-30"), tentative=True),
        id="f14-if-held-september",
    ),
    pytest.param(
        "III квартал 2026 года (планируется)",
        JAN26,
        None,
        want(w("2026-07-01", "2026-09-30"), tentative=True),
        id="f14-q3-planned",
    ),
    pytest.param(
        "Планируется в октябре 2026 года",
        JAN26,
        None,
        want(w("2026-10-01", "2026-10-31"), tentative=True),
        id="f14-planned-october",
    ),
    pytest.param(
        "предварительно 12–14 ноября",
        JAN26,
        None,
        want(w("2026-11-12", "2026-11-14"), tentative=True),
        id="f14-preliminary-12-14-november",
    ),
    pytest.param(
        "О дате проведения будет сообщено дополнительно",
        JAN26,
        None,
        want(tentative=True, undated=True),
        id="f14-date-of-event-will-be-announced",
    ),
    pytest.param(
        "ПРЕДВАРИТЕЛЬНО: II КВАРТАЛ 2027 ГОДА",
        JAN26,
        None,
        want(w("2027-04-01", "2027-06-30"), tentative=True),
        id="f14-upper-case-q2-2027",
    ),
    pytest.param(
        "в случае проведения конкурса – IV квартал",
        JAN26,
        None,
        want(w("2026-10-01", "2026-12-31"), tentative=True),
        id="f14-if-contest-held-q4",
    ),
    pytest.param(
        "20–22 октября 2026 г.\n(при наличии финансирования)",
        JAN26,
        None,
        want(w("2026-10-20", "2026-10-22"), tentative=True),
        id="f14-days-if-funded-linebreak",
    ),
]

# Controls: forms the engine read before issue 13 (some with a period that must not change them).
CONTROLS = [
    pytest.param(
        "II квартал 2027 года", JAN26, None, want(w("2027-04-01", "2027-06-30")), id="ctl-q2-2027"
    ),
    pytest.param(
        "II квартал 2027 года",
        JAN26,
        P2026_2028,
        want(w("2027-04-01", "2027-06-30")),
        id="ctl-q2-2027-with-period",
    ),
    pytest.param(
        "до 1 июля 2027 г.", JAN26, None, want(w("2026-01-01", "2027-07-01")), id="ctl-by-1jul2027"
    ),
    pytest.param(
        "до 1 июля 2027г.",
        JAN26,
        P2026_2028,
        want(w("2026-01-01", "2027-07-01")),
        id="ctl-by-1jul2027-no-space-with-period",
    ),
    pytest.param(
        "март, июнь, сентябрь 2026 года",
        JAN26,
        None,
        want(
            w("2026-03-01", "2026-03-31"),
            w("2026-06-01", "2026-06-30"),
            w("2026-09-01", "2026-09-30"),
        ),
        id="ctl-three-months",
    ),
    pytest.param(
        "май – август 2026 г.",
        JAN26,
        None,
        want(w("2026-05-01", "2026-08-31")),
        id="ctl-may-august",
    ),
    pytest.param(
        "с 1 по 5 июня 2026 г.", JAN26, None, want(w("2026-06-01", "2026-06-05")), id="ctl-1-5-june"
    ),
    pytest.param(
        "I полугодие 2027 г.", JAN26, None, want(w("2027-01-01", "2027-06-30")), id="ctl-h1-2027"
    ),
    pytest.param(
        "2026 – 2028 годы",
        JAN26,
        P2026_2028,
        want(w("2026-01-01", "2028-12-31")),
        id="ctl-2026-2028-with-period",
    ),
    pytest.param(
        "в течение 2027 года",
        JAN26,
        None,
        want(w("2027-01-01", "2027-12-31")),
        id="ctl-during-2027",
    ),
    pytest.param(
        "не позднее 15 декабря 2026 г.",
        JAN26,
        None,
        want(w("2026-01-01", "2026-12-15")),
        id="ctl-by-15dec2026",
    ),
    pytest.param(
        "III-IV кварталы", JAN26, None, want(w("2026-07-01", "2026-12-31")), id="ctl-q3-q4"
    ),
    pytest.param(
        "апрель-май", JAN26, None, want(w("2026-04-01", "2026-05-31")), id="ctl-april-may"
    ),
    pytest.param("10.03.2026", JAN26, None, want(w("2026-03-10")), id="ctl-numeric-day"),
    pytest.param(
        "20-21 мая 2026 года", JAN26, None, want(w("2026-05-20", "2026-05-21")), id="ctl-20-21-may"
    ),
    pytest.param(
        "до конца мая", JAN26, None, want(w("2026-01-01", "2026-05-31")), id="ctl-by-end-of-may"
    ),
    pytest.param(
        "Дата проведения уточняется",
        JAN26,
        None,
        want(tentative=True, undated=True),
        id="ctl-date-to-be-specified",
    ),
    pytest.param(
        "ориентировочно III квартал 2027 г.",
        JAN26,
        None,
        want(w("2027-07-01", "2027-09-30"), tentative=True),
        id="ctl-approximately-q3-2027",
    ),
]

ROWS = (
    REPORTING
    + HALF_YEARLY
    + RECURRING
    + LONG
    + RANGES
    + ROLLOVER
    + PARTS
    + WEEKDAYS
    + MONTH_PLAN
    + WORD_DAYS
    + HEADINGS
    + ANCHORED
    + RELATIVE
    + TENTATIVE
    + CONTROLS
)

HAS_PERIOD = "period" in inspect.signature(parse_deadline).parameters


@pytest.mark.skipif(
    not HAS_PERIOD,
    reason="parse_deadline has no `period` parameter yet: these held-out rows of issue 13 "
    "wait for the engine that reads the families (branch deadlines13)",
)
@pytest.mark.parametrize(("phrase", "reference", "period", "expected"), ROWS)
def test_family_row(
    phrase: str,
    reference: date,
    period: tuple[date, date] | None,
    expected: dict[str, object],
) -> None:
    parsed = parse_deadline(phrase, reference=reference, period=period)  # type: ignore[call-arg]
    assert list(parsed.windows) == expected["windows"]
    assert parsed.recurrence == expected["recurrence"]
    assert parsed.tentative is expected["tentative"]
    assert parsed.undated is expected["undated"]
    if "due" in expected:
        assert list(parsed.due) == expected["due"]
    if "warnings" in expected:
        wanted = expected["warnings"]
        assert any(wanted in warning for warning in parsed.warnings), parsed.warnings


WEEKDAY_NAMES = {
    "понедельник": 0,
    "вторник": 1,
    "среда": 2,
    "четверг": 3,
    "пятница": 4,
    "суббота": 5,
    "воскресенье": 6,
}
RECURRENCE_NAMES = {None, "yearly", "half_yearly", "quarterly", "monthly", "weekly"}


def test_table_is_consistent() -> None:
    """The table itself: unique ids, a dozen rows a family, well-formed windows, weekdays in
    parentheses that match the days, and recurring windows whose periods lie in the plan's."""
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))
    families = Counter(row_id.split("-")[0] for row_id in ids)
    assert set(families) == {f"f{n:02d}" for n in range(1, 15)} | {"ctl"}
    assert all(count >= 12 for family, count in families.items() if family != "ctl"), families
    assert sum(1 for row in ROWS if row.values[2] is not None) >= 20
    for row in ROWS:
        phrase, reference, period, expected = row.values
        windows = expected["windows"]
        assert all(start <= end for start, end in windows), row.id
        assert windows == sorted(windows), row.id
        assert expected["recurrence"] in RECURRENCE_NAMES, row.id
        assert not (expected["undated"] and windows), row.id
        assert expected["undated"] or windows, row.id
        if period is not None:
            assert reference == period[0], row.id
            if expected["recurrence"] is not None:
                assert all(period[0] <= start <= period[1] for start, _ in windows), row.id
        named = [
            WEEKDAY_NAMES[word]
            for word in re.findall(r"[а-я]+", phrase.lower())
            if word in WEEKDAY_NAMES
        ]
        if named and "(" in phrase:
            days = [day for window in windows for day in dict.fromkeys(window)]
            assert [day.weekday() for day in days] == named, row.id


WEEKDAY_STEMS = {
    "понедельник": 0,
    "вторник": 1,
    "сред": 2,
    "четверг": 3,
    "пятниц": 4,
    "суббот": 5,
    "воскресень": 6,
}
ORDINAL_STEMS = {"перв": 1, "втор": 2, "треть": 3, "четв": 4, "последн": -1}


def test_weekday_rows_name_their_days() -> None:
    """Each day of a «n-th weekday of a month» row is that weekday, in the n-th week."""
    rows = [
        row
        for row in ROWS
        if row.id.startswith("f08-") or re.match(r"f03-.*(saturday|sunday)", row.id)
    ]
    assert len(rows) >= 16
    for row in rows:
        words = re.findall(r"[а-яё]+", row.values[0].lower())
        (weekday,) = {
            n for word in words for stem, n in WEEKDAY_STEMS.items() if word.startswith(stem)
        }
        ordinal = next(
            n for word in words for stem, n in ORDINAL_STEMS.items() if word.startswith(stem)
        )
        for day, end in row.values[3]["windows"]:
            assert day == end and day.weekday() == weekday, row.id
            if ordinal > 0:
                assert 7 * (ordinal - 1) < day.day <= 7 * ordinal, row.id
            else:
                assert day.day > _last(day.year, day.month) - 7, row.id


@pytest.mark.parametrize(
    ("row_id", "count"),
    [
        ("f03-period-quarterly-10th", 12),
        ("f03-period-monthly", 36),
        ("f03-period-yearly-may", 3),
        ("f02-period-twice-15jan-15jul", 6),
        ("f03-period-monthly-march-december", 10),
    ],
)
def test_period_row_counts(row_id: str, count: int) -> None:
    (row,) = [row for row in ROWS if row.id == row_id]
    assert len(row.values[3]["windows"]) == count
