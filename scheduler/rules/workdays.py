"""Working days and hours per country: weekends, public holidays, transferred days.

Public holidays come from the `holidays` library (Russia `RU`, Belarus `BY`). It models a
transferred day as a «day off (substituted from …)» holiday on the weekday that rests, and
the Saturday that is worked instead in `weekend_workdays`; both count here. Belarus's
`workday` category (23 February, 2 April, …) are holidays on which people work, so they
are not days off and are not loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

#: The time zone an agency of each country works in.
COUNTRY_TIMEZONES = {"RU": "Europe/Moscow", "BY": "Europe/Minsk"}

ONE_DAY = timedelta(days=1)


def country_of_zone(timezone: str, default: str = "RU") -> str:
    """The country whose calendar people in `timezone` work by (Europe/Minsk → BY)."""
    for country, zone in COUNTRY_TIMEZONES.items():
        if zone == timezone:
            return country
    return default


class UnknownCountryError(Exception):
    """A country Srok has no holiday calendar for."""

    def __init__(self, country: str) -> None:
        self.country = country
        super().__init__(f"нет календаря праздников для страны {country!r} (известны RU, BY)")


@dataclass(frozen=True)
class YearCalendar:
    """One country's days off on weekdays and worked weekend days, for one year."""

    days_off: frozenset[date]
    weekend_workdays: frozenset[date]


@cache
def year_calendar(country: str, year: int) -> YearCalendar:
    """The holidays of `year`; neighbouring years are loaded for transfers across New Year."""
    if country not in COUNTRY_TIMEZONES:
        raise UnknownCountryError(country)
    # A day off may be transferred from a Saturday of the previous year (Belarus 2007).
    table = holidays.country_holidays(country, years=range(year - 1, year + 2))
    return YearCalendar(
        days_off=frozenset(d for d in table if d.year == year),
        weekend_workdays=frozenset(d for d in table.weekend_workdays if d.year == year),
    )


def is_working_day(day: date, country: str) -> bool:
    """Monday to Friday except public holidays and days off, plus worked Saturdays."""
    calendar = year_calendar(country, day.year)
    if day.weekday() >= 5:
        return day in calendar.weekend_workdays
    return day not in calendar.days_off


def next_working_day(day: date, country: str) -> date:
    """The first working day strictly after `day`."""
    day += ONE_DAY
    while not is_working_day(day, country):
        day += ONE_DAY
    return day


def previous_working_day(day: date, country: str) -> date:
    """The last working day strictly before `day`."""
    day -= ONE_DAY
    while not is_working_day(day, country):
        day -= ONE_DAY
    return day


def add_working_days(day: date, count: int, country: str) -> date:
    """The `count`-th working day after `day` (`day` itself does not count)."""
    for _ in range(count):
        day = next_working_day(day, country)
    return day


def first_working_day_of_month(year: int, month: int, country: str) -> date:
    """The first working day on or after the 1st of the month."""
    day = date(year, month, 1)
    return day if is_working_day(day, country) else next_working_day(day, country)


def shift_to_working_day(day: date, country: str, *, window_end: date) -> date:
    """`day` if it is a working day; else the working day before it when `day` comes
    before the window's end (so the reminder is not late), or after it otherwise."""
    if is_working_day(day, country):
        return day
    if day < window_end:
        return previous_working_day(day, country)
    return next_working_day(day, country)


def local_moment(day: date, hour: int, timezone: str) -> datetime:
    """`hour`:00 of `day` in `timezone`, as an aware datetime."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(timezone))


def next_working_moment(
    moment: datetime, country: str, timezone: str, *, start_hour: int, end_hour: int
) -> datetime:
    """`moment` if it falls in working hours of a working day, else the next such start."""
    local = moment.astimezone(ZoneInfo(timezone))
    day = local.date()
    if is_working_day(day, country):
        if start_hour <= local.hour < end_hour:
            return moment
        if local.hour < start_hour:
            return local_moment(day, start_hour, timezone)
    return local_moment(next_working_day(day, country), start_hour, timezone)
