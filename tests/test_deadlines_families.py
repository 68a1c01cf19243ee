"""The fourteen deadline families of issue 13, ten rows or more each, with variants.

Row format (DEADLINES conventions): `pytest.param(phrase, reference, period, expected)`;
`expected` has `windows` (a list of (start, end) dates), `recurrence`, `tentative`,
`undated`, and, when present, `due` (checked exactly) and `warnings` (a substring one of
them must contain). The conventions themselves are in `scheduler/rules/deadlines/__init__.py`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from scheduler.rules.deadlines import parse_deadline

D = date
R = D(2026, 1, 1)  # a plan starting in January
R9 = D(2026, 9, 1)  # a school-year plan
RM = D(2026, 3, 1)  # a plan for March 2026
P3 = (D(2026, 1, 1), D(2028, 12, 31))  # a three-year plan
P1 = (D(2026, 1, 1), D(2026, 12, 31))
ROLL = "год не указан — взят следующий"
EVENT = "срок отсчитывается от события"


def day(text: str) -> tuple[date, date]:
    one = date.fromisoformat(text)
    return one, one


def span(first: str, last: str) -> tuple[date, date]:
    return date.fromisoformat(first), date.fromisoformat(last)


def month(year: int, number: int) -> tuple[date, date]:
    following = date(year + number // 12, number % 12 + 1, 1)
    return date(year, number, 1), following - timedelta(days=1)


def months(first_year: int, last_year: int) -> list[tuple[date, date]]:
    return [month(y, m) for y in range(first_year, last_year + 1) for m in range(1, 13)]


def quarters(first_year: int, last_year: int, *, deadline: int | None = None, after: int = 1):
    """Each quarter, or with `deadline` each quarter through that day of the `after`-th month
    after it."""
    found = []
    for year in range(first_year, last_year + 1):
        for first in (1, 4, 7, 10):
            if deadline is None:
                found.append((date(year, first, 1), month(year, first + 2)[1]))
            else:
                index = year * 12 + first - 1 + 2 + after
                found.append((date(year, first, 1), date(index // 12, index % 12 + 1, deadline)))
    return found


def halves(first_year: int, last_year: int, deadline: tuple[int, int] | None, h1=None):
    """Each half-year through `deadline` (day, month after H2) and `h1` (day, month after H1)."""
    found = []
    for year in range(first_year, last_year + 1):
        found.append((date(year, 1, 1), date(year, h1[1], h1[0])))
        found.append((date(year, 7, 1), date(year + 1, deadline[1], deadline[0])))
    return found


def row(
    phrase: str,
    windows: list[tuple[date, date]] | tuple[date, date] | None = None,
    *,
    ref: date = R,
    period: tuple[date, date] | None = None,
    rec: str | None = None,
    tentative: bool = False,
    warning: str | None = None,
    due: tuple[date, ...] | None = None,
    id: str | None = None,
) -> Any:
    if isinstance(windows, tuple):
        windows = [windows]
    expected: dict[str, Any] = {
        "windows": windows or [],
        "recurrence": rec,
        "tentative": tentative,
        "undated": not windows,
    }
    if warning is not None:
        expected["warnings"] = warning
    if due is not None:
        expected["due"] = due
    return pytest.param(phrase, ref, period, expected, id=id or " ".join(phrase.split()))


REPORTING = [
    row("за III квартал – не позднее 20 октября", span("2026-07-01", "2026-10-20")),
    row("за II квартал — до 15 июля", span("2026-04-01", "2026-07-15")),
    row("за IV кв. - не позднее 20 января", span("2026-10-01", "2027-01-20")),
    row("за I полугодие – до 30 июля", span("2026-01-01", "2026-07-30")),
    row("за 2026 год – не позднее 1 марта 2027 г.", span("2026-01-01", "2027-03-01")),
    row("За III кв. 2026 г. -- до 20.10.2026", span("2026-07-01", "2026-10-20")),
    row(
        "ежеквартально, до 15-го числа второго месяца, следующего за отчётным кварталом",
        span("2026-01-01", "2026-05-15"),
        rec="quarterly",
    ),
    row(
        "ежеквартально, до 15-го числа второго месяца, следующего за отчётным кварталом",
        quarters(2026, 2028, deadline=15, after=2),
        period=P3,
        rec="quarterly",
        id="quarterly to the 15th of the second month, 2026-2028",
    ),
    row(
        "не позднее 10 числа первого месяца следующего квартала",
        span("2026-01-01", "2026-04-10"),
    ),
    row("в срок до 20 января года, следующего за отчётным", span("2026-01-01", "2027-01-20")),
    row(
        "Ежеквартально до 20 числа месяца,\nследующего за отчетным кварталом",
        quarters(2026, 2028, deadline=20),
        period=P3,
        rec="quarterly",
    ),
    row(
        "ежемесячно, не позднее 5 числа месяца, следующего за отчётным",
        [
            (first, date(first.year + first.month // 12, first.month % 12 + 1, 5))
            for first, _ in months(2026, 2026)
        ],
        period=P1,
        rec="monthly",
    ),
]

REPORTING += [
    row("по итогам II квартала — не позднее 15 июля", span("2026-04-01", "2026-07-15")),
    row(
        "в I полугодии: до 30 июня; во II полугодии: до 25 декабря",
        [span("2026-01-01", "2026-06-30"), span("2026-07-01", "2026-12-25")],
    ),
    row(
        "ежеквартально, до 25 числа последнего месяца квартала",
        [(first, last.replace(day=25)) for first, last in quarters(2026, 2028)],
        period=P3,
        rec="quarterly",
    ),
    row("до 10 числа второго месяца квартала", span("2026-01-01", "2026-02-10")),
]

HALF_YEARLY = [
    row(
        "два раза в год: до 15 января и до 15 июля",
        halves(2026, 2026, (15, 1), (15, 7)),
        rec="half_yearly",
    ),
    row(
        "два раза в год: до 15 января и до 15 июля",
        halves(2026, 2028, (15, 1), (15, 7)),
        period=P3,
        rec="half_yearly",
        id="twice a year over 2026-2028",
    ),
    row(
        "раз в полугодие, до 5 числа месяца, следующего за отчётным полугодием",
        halves(2026, 2026, (5, 1), (5, 7)),
        rec="half_yearly",
    ),
    row(
        "раз в полугодие, до 5 числа месяца, следующего за отчётным полугодием",
        halves(2026, 2028, (5, 1), (5, 7)),
        period=P3,
        rec="half_yearly",
        id="half-yearly report over 2026-2028",
    ),
    row(
        "дважды в год (до 20 января, до 20 июля)",
        halves(2026, 2026, (20, 1), (20, 7)),
        rec="half_yearly",
        due=(),
    ),
    row(
        "2 раза в год: до 10 января и до 10 июля",
        halves(2026, 2026, (10, 1), (10, 7)),
        rec="half_yearly",
    ),
    row(
        "Раз в полугодие – до 10 числа месяца, следующего за отчетным полугодием",
        halves(2026, 2026, (10, 1), (10, 7)),
        period=P1,
        rec="half_yearly",
    ),
    row(
        "по итогам полугодия, до 25 числа месяца, следующего за отчетным",
        halves(2026, 2026, (25, 1), (25, 7)),
        rec="half_yearly",
    ),
    row(
        "дважды в год — до 1 февраля и до 1 августа",
        halves(2026, 2028, (1, 2), (1, 8)),
        period=P3,
        rec="half_yearly",
    ),
    row(
        "два раза в год: до 15 июля и до 15 января",
        halves(2026, 2026, (15, 1), (15, 7)),
        rec="half_yearly",
    ),
    row(
        "ДВА РАЗА В ГОД:\nдо 15 января и\nдо 15 июля",
        halves(2026, 2027, (15, 1), (15, 7)),
        period=(D(2026, 1, 1), D(2027, 12, 31)),
        rec="half_yearly",
    ),
]

HALF_YEARLY += [
    row(
        "1 раз в 6 месяцев",
        [span("2026-01-01", "2026-06-30"), span("2026-07-01", "2026-12-31")],
        period=P1,
        rec="half_yearly",
    ),
    row(
        "раз в полгода, до 5 июля и 5 января",
        halves(2026, 2026, (5, 1), (5, 7)),
        rec="half_yearly",
    ),
]

OVER_PERIOD = [
    row("ежеквартально", quarters(2026, 2028), period=P3, rec="quarterly"),
    row("ежемесячно", months(2026, 2028), period=P3, rec="monthly"),
    row("ежегодно, в мае", [month(y, 5) for y in (2026, 2027, 2028)], period=P3, rec="yearly"),
    row("ежегодно, в мае", month(2026, 5), rec="yearly", id="ежегодно, в мае: no period"),
    row(
        "ежеквартально, до 10 числа месяца, следующего за отчётным кварталом",
        quarters(2026, 2028, deadline=10),
        period=P3,
        rec="quarterly",
    ),
    row(
        "ежегодно до 1 марта",
        [span(f"{y}-01-01", f"{y}-03-01") for y in (2026, 2027, 2028)],
        period=P3,
        rec="yearly",
    ),
    row(
        "Ежегодно",
        [span(f"{y}-01-01", f"{y}-12-31") for y in (2026, 2027, 2028)],
        period=P3,
        rec="yearly",
    ),
    row(
        "ежемесячно до 25 числа",
        [(first, first.replace(day=25)) for first, _ in months(2026, 2026)[:6]],
        period=(D(2026, 1, 1), D(2026, 6, 30)),
        rec="monthly",
    ),
    row(
        "ежегодно, в третье воскресенье августа",
        [day("2026-08-16"), day("2027-08-15"), day("2028-08-20")],
        period=P3,
        rec="yearly",
    ),
    row(
        "ежегодно (июнь)",
        [month(2026, 6), month(2027, 6)],
        period=(R, D(2027, 12, 31)),
        rec="yearly",
    ),
    row("ежеквартально в течение 2026 года", quarters(2026, 2026), period=P3, rec="quarterly"),
    row(
        "ежегодно, в мае",
        month(2027, 5),
        ref=R9,
        period=(R9, D(2027, 8, 31)),
        rec="yearly",
        id="ежегодно, в мае: a school-year plan",
    ),
    row("ежеквартально", (D(2026, 1, 1), D(2026, 12, 31)), rec="quarterly", id="no period"),
]

OUTLOOK = [
    row("на 2025 – 2027 годы и на период до 2035 года", span("2025-01-01", "2035-12-31")),
    row("в 2015 – 2040 годах", span("2015-01-01", "2040-12-31")),
    row("2206 год", None, warning="2206"),
    row("в 1026 году", None, warning="1026"),
    row("на 2026 - 2030 годы и на период до 2036 года", span("2026-01-01", "2036-12-31")),
    row("2020–2045 гг.", span("2020-01-01", "2045-12-31")),
    row("на период 2024 – 2030 годов", span("2024-01-01", "2030-12-31")),
    row("в 2018—2035 гг.", span("2018-01-01", "2035-12-31")),
    row("2026 – 2206 годы", None, warning="2206"),
    row("на период до 2035 года", span("2026-01-01", "2035-12-31")),
    row("На 2026-2028 годы\nи на период до 2030 года", span("2026-01-01", "2030-12-31")),
]

OUTLOOK += [
    row("до 2030 года с перспективой до 2036 года", span("2026-01-01", "2036-12-31")),
    row("с 2015 по 2040 год", span("2015-01-01", "2040-12-31")),
]

RANGES = [
    row(
        "с 14 сентября 2026 года (понедельник) по 20 сентября 2026 года (воскресенье)",
        span("2026-09-14", "2026-09-20"),
    ),
    row("с 09.11.2026 года по 20.12.2026 года", span("2026-11-09", "2026-12-20")),
    row("5 июня--9 июня", span("2026-06-05", "2026-06-09")),
    row("2025 2027 годы", span("2025-01-01", "2027-12-31")),
    row("03.- 07.11.25г.", span("2025-11-03", "2025-11-07")),
    row(
        "с 1 марта 2026 г. (воскресенье) по 7 марта 2026 г. (суббота)",
        span("2026-03-01", "2026-03-07"),
    ),
    row("с 01.04.2026 г. по 30.04.2026 г.", span("2026-04-01", "2026-04-30")),
    row("10 октября -- 15 октября 2026 года", span("2026-10-10", "2026-10-15")),
    row("2026  2028 гг.", span("2026-01-01", "2028-12-31")),
    row("с 5 мая (вторник)\nпо 8 мая (пятница) 2026 г.", span("2026-05-05", "2026-05-08")),
    row("12.- 16.10.2026", span("2026-10-12", "2026-10-16")),
    row("с 1 по 5 июня 2026 года (включительно)", span("2026-06-01", "2026-06-05")),
]

RANGES += [
    row("с 03. по 07.11.2025 г.", span("2025-11-03", "2025-11-07")),
    row("14.09.2026 (понедельник) – 20.09.2026 (воскресенье)", span("2026-09-14", "2026-09-20")),
    row("с 14 сентября 2026 года (пн.) по 20 сентября (вс.)", span("2026-09-14", "2026-09-20")),
]

ROLLOVER = [
    row("ноябрь, февраль", [month(2026, 11), month(2027, 2)], ref=R9, warning=ROLL),
    row("с 15 ноября по 10 февраля", span("2026-11-15", "2027-02-10"), ref=R9, warning=ROLL),
    row(
        "с 15 ноября по 10 февраля",
        span("2026-11-15", "2027-02-10"),
        warning=ROLL,
        id="с 15 ноября по 10 февраля, January",
    ),
    row(
        "ноябрь, февраль",
        [month(2026, 11), month(2027, 2)],
        warning=ROLL,
        id="ноябрь, февраль, January",
    ),
    row(
        "октябрь, декабрь, март",
        [month(2026, 10), month(2026, 12), month(2027, 3)],
        ref=R9,
        warning=ROLL,
    ),
    row("20 декабря, 15 января", [day("2026-12-20"), day("2027-01-15")], warning=ROLL),
    row("декабрь – февраль", span("2026-12-01", "2027-02-28"), ref=R9, warning=ROLL),
    row("с 20 декабря по 10 января", span("2026-12-20", "2027-01-10"), ref=R9, warning=ROLL),
    row(
        "сентябрь, январь, май",
        [month(2026, 9), month(2027, 1), month(2027, 5)],
        ref=R9,
        warning=ROLL,
    ),
    row("Ноябрь – Январь", span("2026-11-01", "2027-01-31"), warning=ROLL),
    row("март, июнь, сентябрь", [month(2026, 9), month(2027, 3), month(2027, 6)], ref=R9),
    row("ноябрь,\nфевраль,\nмарт", [month(2026, 11), month(2027, 2), month(2027, 3)], warning=ROLL),
]

ROLLOVER += [
    # the year written last: a member later in the calendar falls in the year before
    row("20 декабря, 15 января 2027 года", [day("2026-12-20"), day("2027-01-15")]),
    row("декабрь, январь, февраль 2027", [month(2026, 12), month(2027, 1), month(2027, 2)]),
    row("IV квартал, I квартал 2027 года", [quarters(2026, 2026)[3], quarters(2027, 2027)[0]]),
]

ROLLOVER += [
    row("ноябрь – декабрь, январь 2027", [span("2026-11-01", "2026-12-31"), month(2027, 1)]),
]

PARTS = [
    row("в начале октября", span("2026-10-01", "2026-10-10"), warning="часть месяца: 1–10 октября"),
    row("в середине мая", span("2026-05-11", "2026-05-20"), warning="часть месяца: 11–20 мая"),
    row("в конце июня", span("2026-06-21", "2026-06-30"), warning="часть месяца: 21–30 июня"),
    row("в первой декаде мая", span("2026-05-01", "2026-05-10")),
    row("во второй декаде апреля", span("2026-04-11", "2026-04-20")),
    row("в последней декаде февраля 2028 г.", span("2028-02-21", "2028-02-29")),
    row("в первой половине июля", span("2026-07-01", "2026-07-15")),
    row("во второй половине ноября", span("2026-11-16", "2026-11-30")),
    row("не позднее середины марта", span("2026-01-01", "2026-03-15")),
    row("в конце III квартала", span("2026-09-01", "2026-09-30")),
    row("в начале 2027 года", span("2027-01-01", "2027-01-31")),
    row("конец 2027 года", span("2027-12-01", "2027-12-31")),
    row("в середине 2027 года", span("2027-06-01", "2027-07-31")),
    row("В КОНЦЕ АВГУСТА 2026 Г.", span("2026-08-21", "2026-08-31")),
    row("в начале II квартала 2026 года", span("2026-04-01", "2026-04-30")),
    row("до конца мая", span("2026-01-01", "2026-05-31")),
    row("в конце I полугодия", span("2026-06-01", "2026-06-30")),
    row("в начале года", span("2026-01-01", "2026-01-31")),
    row("в третьей декаде\nсентября", span("2026-09-21", "2026-09-30")),
    row("в конце февраля 2028 года", span("2028-02-21", "2028-02-29")),
]

PARTS += [
    row("конец сентября – начало октября", span("2026-09-21", "2026-10-10")),
    row("в начале – середине мая", span("2026-05-01", "2026-05-20"), warning="1–20 мая"),
    row("с середины мая до конца июня", span("2026-05-11", "2026-06-30")),
    row("в конце мая -\nначале июня 2026 года", span("2026-05-21", "2026-06-10")),
]

WEEKDAYS = [
    row("третье воскресенье августа", day("2026-08-16")),
    row("в последнюю субботу июня", day("2026-06-27")),
    row("в первый понедельник сентября", day("2026-09-07")),
    row("во второй вторник марта 2027 г.", day("2027-03-09")),
    row("в последнее воскресенье ноября", day("2026-11-29")),
    row("четвёртый четверг ноября", day("2026-11-26")),
    row("в первую субботу мая", day("2026-05-02")),
    row("во вторую пятницу октября", day("2026-10-09")),
    row("в первое воскресенье февраля", day("2027-02-07"), ref=R9),
    row("ПОСЛЕДНЯЯ ПЯТНИЦА ДЕКАБРЯ", day("2026-12-25")),
    row("третье\nвоскресенье августа 2027 года", day("2027-08-15")),
]

OVER_PERIOD += [
    row(
        "в конце каждого квартала",
        [(first.replace(month=first.month + 2), last) for first, last in quarters(2026, 2028)],
        period=P3,
        rec="quarterly",
    ),
    row(
        "в первой декаде каждого месяца",
        [(first, first.replace(day=10)) for first, _ in months(2026, 2026)],
        period=P1,
        rec="monthly",
    ),
    row(
        "в последнюю пятницу каждого месяца",
        [
            day(f"2026-{m:02}-{d:02}")
            for m, d in ((1, 30), (2, 27), (3, 27), (4, 24), (5, 29), (6, 26))
        ],
        period=(R, D(2026, 6, 30)),
        rec="monthly",
    ),
]

OVER_PERIOD += [
    row(
        "еженедельно по вторникам",
        [day(f"2026-03-{n:02}") for n in (3, 10, 17, 24, 31)],
        ref=RM,
        period=(RM, D(2026, 3, 31)),
        rec="weekly",
    ),
    row(
        "еженедельно",
        [span(f"2026-03-{n:02}", f"2026-03-{n + 6:02}") for n in (2, 9, 16)],
        ref=RM,
        period=(RM, D(2026, 3, 22)),
        rec="weekly",
    ),
    row("по вторникам", (R, D(2026, 12, 31)), rec="weekly", id="по вторникам: no period"),
]

OVER_PERIOD += [
    row(
        "ежегодно, в течение года",
        [span(f"{y}-01-01", f"{y}-12-31") for y in (2026, 2027, 2028)],
        period=P3,
        rec="yearly",
    ),
    row(
        "ежеквартально, в течение текущего года",
        quarters(2026, 2026),
        period=P3,
        rec="quarterly",
    ),
]

MONTHLY_PLAN = [
    row("5 (четверг)", day("2026-03-05"), ref=RM),
    row("12, 19, 26", [day("2026-03-12"), day("2026-03-19"), day("2026-03-26")], ref=RM),
    row("с 3 по 7", span("2026-03-03", "2026-03-07"), ref=RM),
    row("3-4", span("2026-03-03", "2026-03-04"), ref=RM),
    row("17 (вторник)", day("2026-03-17"), ref=RM),
    row("10–11", span("2026-03-10", "2026-03-11"), ref=RM),
    row("с 23 по 27 (включительно)", span("2026-03-23", "2026-03-27"), ref=RM),
    row("2, 9, 16, 23, 30", [day(f"2026-03-{n:02}") for n in (2, 9, 16, 23, 30)], ref=RM),
    row("25", day("2026-03-25"), ref=RM),
    row("9 — 13", span("2026-03-09", "2026-03-13"), ref=RM),
    row("31", None, ref=D(2026, 4, 1), warning="31", id="31 in April: no such day"),
    row("6 (пятница), 13 (пятница)", [day("2026-03-06"), day("2026-03-13")], ref=RM),
]

MONTHLY_PLAN += [
    row("12, 19 и 26", [day("2026-03-12"), day("2026-03-19"), day("2026-03-26")], ref=RM),
    row("с 3 по 7 (пн-пт)", span("2026-03-03", "2026-03-07"), ref=RM),
    # a number among other words counts something else: no day of the reference month
    row("в течение 2 лет", None, ref=RM, warning="2"),
    row("по 2 мероприятия", None, ref=RM, warning="2"),
]

DAY_WORDS = [
    row("двадцать восьмого февраля", day("2026-02-28")),
    row("с первого по пятое марта", span("2026-03-01", "2026-03-05")),
    row("1-го – 3-го октября", span("2026-10-01", "2026-10-03")),
    row("пятнадцатого мая", day("2026-05-15")),
    row("тридцать первого декабря", day("2026-12-31")),
    row("с десятого по двадцатое апреля 2026 года", span("2026-04-10", "2026-04-20")),
    row("Двадцать первое июня", day("2026-06-21")),
    row("до двадцать пятого ноября", span("2026-01-01", "2026-11-25")),
    row("третьего сентября", day("2026-09-03")),
    row("с 1-го по 10-е июля", span("2026-07-01", "2026-07-10")),
    row("второго — четвёртого августа", span("2026-08-02", "2026-08-04")),
]

HEADINGS = [
    row(
        "в марте: 3-4, 10-11; в апреле: 7, 14",
        [
            span("2026-03-03", "2026-03-04"),
            span("2026-03-10", "2026-03-11"),
            day("2026-04-07"),
            day("2026-04-14"),
        ],
    ),
    row("март: 5, 12; апрель: 9", [day("2026-03-05"), day("2026-03-12"), day("2026-04-09")]),
    row("в мае: 12-14", span("2026-05-12", "2026-05-14")),
    row("Январь: 20; Февраль: 17", [day("2026-01-20"), day("2026-02-17")]),
    row(
        "в сентябре: 1, 15; в октябре: 6",
        [day("2026-09-01"), day("2026-09-15"), day("2026-10-06")],
        ref=R9,
    ),
    row("в марте 2027 года: 2, 16", [day("2027-03-02"), day("2027-03-16")]),
    row(
        "в ноябре: 3–5, 24–26", [span("2026-11-03", "2026-11-05"), span("2026-11-24", "2026-11-26")]
    ),
    row("в июне: 1\nв июле: 6", [day("2026-06-01"), day("2026-07-06")]),
    row(
        "апрель: 8, 22; май: 13, 27",
        [day("2026-04-08"), day("2026-04-22"), day("2026-05-13"), day("2026-05-27")],
    ),
    row(
        "в декабре: 1-2; в январе: 12",
        [span("2026-12-01", "2026-12-02"), day("2027-01-12")],
        ref=R9,
    ),
]

HEADINGS += [
    row("март – 3, 10; апрель – 7", [day("2026-03-03"), day("2026-03-10"), day("2026-04-07")]),
    row(
        "в марте — 3-4, 10-11", [span("2026-03-03", "2026-03-04"), span("2026-03-10", "2026-03-11")]
    ),
]

EVENTS = [
    row("в течение 30 дней со дня утверждения", None, warning=EVENT),
    row("за 10 дней до начала сезона", None, warning=EVENT),
    row("до 20 числа месяца, следующего за месяцем поступления заявки", None, warning=EVENT),
    row("в течение отопительного периода", None, warning=EVENT),
    row("после завершения ремонта", None, warning=EVENT),
    row("в течение 10 рабочих дней с момента подписания", None, warning=EVENT),
    row("не позднее 5 дней до начала мероприятия", None, warning=EVENT),
    row("в течение месяца после подписания соглашения", None, warning=EVENT),
    row("через 2 недели после получения письма", None, warning=EVENT),
    row("в течение 3 месяцев с даты вступления в силу", None, warning=EVENT),
    row("до открытия купального сезона", None, warning=EVENT),
    row("В течение\n30 дней со дня\nутверждения плана", None, warning="утверждения"),
]

RELATIVE = [
    row("к началу будущего года", span("2026-01-01", "2027-01-01")),
    row("на протяжении всего Года педагога и наставника", span("2026-01-01", "2026-12-31")),
    row("в текущем году", span("2026-01-01", "2026-12-31")),
    row("не позднее конца текущего квартала", span("2026-01-01", "2026-03-31")),
    row("в следующем году", span("2027-01-01", "2027-12-31")),
    row("в течение текущего года", span("2026-01-01", "2026-12-31"), ref=R9),
    row(
        "не позднее конца текущего квартала",
        span("2026-05-15", "2026-06-30"),
        ref=D(2026, 5, 15),
        id="end of the current quarter, May",
    ),
    row("до конца следующего квартала", span("2026-01-01", "2026-06-30")),
    row("к началу следующего года", span("2026-09-01", "2027-01-01"), ref=R9),
    row("в течение текущего месяца", span("2026-03-01", "2026-03-31"), ref=RM),
    row("до конца текущего года", span("2026-09-01", "2026-12-31"), ref=R9),
    row("в следующем квартале", span("2026-04-01", "2026-06-30")),
]

RELATIVE += [
    row("в следующем месяце", month(2026, 4), ref=RM),
    row("в Год педагога и наставника", span("2026-01-01", "2026-12-31")),
    row("до конца текущего полугодия", span("2026-09-01", "2026-12-31"), ref=R9),
    row("в очередном году", span("2027-01-01", "2027-12-31")),
]

TENTATIVE = [
    row("о сроках будет сообщено дополнительно", None, tentative=True),
    row("сроки будут определены позднее", None, tentative=True),
    row("дата будет объявлена", None, tentative=True),
    row("планируется в июне 2026 года", month(2026, 6), tentative=True),
    row("июнь 2026 г. (предварительно)", month(2026, 6), tentative=True),
    row("при наличии финансирования", None, tentative=True),
    row("в случае проведения", None, tentative=True),
    row(
        "III квартал 2026 года (при наличии финансирования)",
        quarters(2026, 2026)[2],
        tentative=True,
    ),
    row("май 2027 г., в случае проведения конкурса", month(2027, 5), tentative=True),
    row(
        "Планируется: сентябрь – октябрь 2026 г.", span("2026-09-01", "2026-10-31"), tentative=True
    ),
    row("сроки проведения будут определены дополнительно", None, tentative=True),
    row("ориентировочно 15 мая", day("2026-05-15"), tentative=True),
]

TENTATIVE += [
    row("планируемый срок – май 2026 г.", month(2026, 5)),  # a planned date is no tentative one
    row("срок проведения будет определен позднее", None, tentative=True),
]

FAMILIES = {
    "reporting": REPORTING,
    "half_yearly": HALF_YEARLY,
    "over_period": OVER_PERIOD,
    "outlook": OUTLOOK,
    "ranges": RANGES,
    "rollover": ROLLOVER,
    "parts": PARTS,
    "weekdays": WEEKDAYS,
    "monthly_plan": MONTHLY_PLAN,
    "day_words": DAY_WORDS,
    "headings": HEADINGS,
    "events": EVENTS,
    "relative": RELATIVE,
    "tentative": TENTATIVE,
}
ROWS = [
    pytest.param(*param.values, id=f"{family}: {param.id}")
    for family, params in FAMILIES.items()
    for param in params
]


def check(phrase: str, reference: date, period, expected: dict[str, Any]) -> None:
    result = parse_deadline(phrase, reference=reference, period=period)
    assert list(result.windows) == expected["windows"], result
    assert result.recurrence == expected["recurrence"], result
    assert result.tentative is expected["tentative"], result
    assert result.undated is expected["undated"], result
    if "due" in expected:
        assert result.due == tuple(expected["due"]), result
    if "warnings" in expected:
        assert any(expected["warnings"] in warning for warning in result.warnings), result


@pytest.mark.parametrize(("phrase", "reference", "period", "expected"), ROWS)
def test_family_row(phrase: str, reference: date, period, expected: dict[str, Any]) -> None:
    check(phrase, reference, period, expected)


def test_every_family_has_ten_rows() -> None:
    assert len(FAMILIES) == 14
    assert all(len(rows) >= 10 for rows in FAMILIES.values()), {
        name: len(rows) for name, rows in FAMILIES.items()
    }


def test_the_cache_keys_on_the_period() -> None:
    """One phrase and reference, two periods: two answers, each remembered on its own."""
    phrase = "ежегодно, в мае"
    short = parse_deadline(phrase, reference=R, period=P1)
    long = parse_deadline(phrase, reference=R, period=P3)
    alone = parse_deadline(phrase, reference=R)
    assert [len(p.windows) for p in (short, long, alone)] == [1, 3, 1]
    assert parse_deadline(phrase, reference=R, period=list(P3)).windows == long.windows  # type: ignore[arg-type]
    assert parse_deadline(phrase, reference=R, period=P1) is short
