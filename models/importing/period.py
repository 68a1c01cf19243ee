"""A plan's period when the title names none: the option, the approval date, the
years its deadlines name, or the import date's year; always with the reason in Russian."""

from __future__ import annotations

import re
from datetime import date

from models.importing.parsed import Doubt, ParsedPlan
from models.importing.text import MONTHS_GENITIVE, clean, find_period

Period = tuple[date, date]

_OPTION = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4}))?\s*$")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d|21\d\d)(?!\d)")
_MONTH_NAMES = {number: name for name, number in MONTHS_GENITIVE.items()}


def parse_period_option(text: str) -> Period:
    """«2026-2028» or «2026» as a period; ValueError (in Russian) for anything else."""
    match = _OPTION.match(text)
    if not match:
        raise ValueError(f"период «{text}»: нужен год или два года через дефис, например 2026-2028")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if last < first:
        raise ValueError(f"период «{text}»: последний год раньше первого")
    return date(first, 1, 1), date(last, 12, 31)


def settle_period(plan: ParsedPlan, *, today: date, option: Period | None = None) -> None:
    """Fill the plan's period, its source and the Russian explanation of it."""
    if option is not None:
        _set(plan, option, "option", f"период задан при импорте: {_years(option)}")
        return
    for where, text in plan.period_texts or [("title", plan.title)]:
        found = find_period(text) or (_years_named(text) if where == "sheet" else None)
        if found is not None:
            _set(plan, found[:2], where, _FROM[where].format(words=found[2], text=text))
            return
    approval = plan.approval
    year = (approval.date.year if approval.date else approval.year) if approval else None
    if approval is not None and year is not None:
        when = _day(approval.date) if approval.date else f"{year} г."
        why = f"в заголовке нет периода; взят год утверждения плана ({when})"
        _set(plan, (date(year, 1, 1), date(year, 12, 31)), "approval", why)
        return
    years = sorted({int(y) for item in plan.items for y in _YEAR.findall(item.deadline)})
    if years:
        period = (date(years[0], 1, 1), date(years[-1], 12, 31))
        why = (
            f"в заголовке нет периода; взяты годы, которые называют сроки пунктов: {_years(period)}"
        )
        _set(plan, period, "deadlines", why)
        return
    period = (date(today.year, 1, 1), date(today.year, 12, 31))
    why = f"ни заголовок, ни сроки не называют год; взят год импорта: {today.year}"
    _set(plan, period, "import_date", why)
    said = list(dict.fromkeys(clean(item.deadline) for item in plan.items if clean(item.deadline)))
    if said:
        examples = ", ".join(f"«{text[:40]}»" for text in said[:2]) + (" …" if said[2:] else "")
        plan.doubts.append(Doubt(None, NO_YEAR.format(year=today.year, examples=examples)))


#: The doubt of a plan whose document names no year at all: its deadlines («май»,
#: «II квартал») are read in the import date's year.
NO_YEAR = (
    "в документе нигде не указан год: сроки пунктов ({examples}) отнесены к "
    "{year} году — году импорта; если план на другой год, впишите год в заголовок плана "
    "(или задайте --period при импорте из командной строки)"
)

#: Where the period was found -> the explanation («{words}»: the words naming it).
_FROM = {
    "title": "период взят из заголовка: «{words}»",
    "sheet": "в заголовке нет периода; период взят из названия листа «{text}»",
    "workbook": "в заголовке листа нет периода; взят из заголовка книги: «{words}»",
}
_SHEET_YEARS = re.compile(r"(?<!\d)(20\d\d)(?:\s*[-–—]\s*(20\d\d))?(?!\d)")


def _years_named(text: str) -> tuple[date, date, str] | None:
    """The year or years a sheet's name gives («2026», «План 2027», «2026-2028»)."""
    match = _SHEET_YEARS.search(text)
    if match is None:
        return None
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if last < first:
        return None
    return date(first, 1, 1), date(last, 12, 31), match.group(0)


def _set(plan: ParsedPlan, period: Period, source: str, why: str) -> None:
    plan.period_start, plan.period_end = period
    plan.period_source = source
    plan.period_explanation = why


def _years(period: Period) -> str:
    first, last = period[0].year, period[1].year
    return f"{first} год" if first == last else f"{first}–{last} годы"


def _day(day: date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month]} {day.year} г."
