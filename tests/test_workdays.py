"""Working days of Russia and Belarus: holidays, transferred days, the shift rule, hours."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from scheduler.rules.workdays import (
    UnknownCountryError,
    add_working_days,
    first_working_day_of_month,
    is_working_day,
    local_moment,
    next_working_day,
    next_working_moment,
    shift_to_working_day,
)

MSK = ZoneInfo("Europe/Moscow")
MINSK = ZoneInfo("Europe/Minsk")

DAYS = [
    # Russia: New Year holidays 1–8 January, and 9 January 2026 (transferred from 3 January).
    pytest.param("RU", date(2026, 1, 1), False, id="ru-new-year"),
    pytest.param("RU", date(2026, 1, 5), False, id="ru-new-year-monday"),
    pytest.param("RU", date(2026, 1, 7), False, id="ru-christmas"),
    pytest.param("RU", date(2026, 1, 8), False, id="ru-jan-8"),
    pytest.param("RU", date(2026, 1, 9), False, id="ru-jan-9-transferred"),
    pytest.param("RU", date(2026, 1, 12), True, id="ru-first-working-day-2026"),
    pytest.param("RU", date(2026, 2, 23), False, id="ru-defender-day"),
    pytest.param("RU", date(2026, 3, 9), False, id="ru-women-day-observed-monday"),
    pytest.param("RU", date(2027, 3, 8), False, id="ru-women-day-2027"),
    pytest.param("RU", date(2026, 5, 1), False, id="ru-may-1"),
    pytest.param("RU", date(2026, 5, 11), False, id="ru-victory-observed-monday"),
    pytest.param("RU", date(2028, 5, 9), False, id="ru-victory-day-2028"),
    pytest.param("RU", date(2026, 6, 12), False, id="ru-russia-day"),
    pytest.param("RU", date(2026, 11, 4), False, id="ru-unity-day"),
    pytest.param("RU", date(2026, 12, 31), False, id="ru-dec-31-transferred"),
    pytest.param("RU", date(2025, 11, 1), True, id="ru-working-saturday-2025"),
    pytest.param("RU", date(2027, 2, 20), True, id="ru-working-saturday-2027"),
    pytest.param("RU", date(2027, 2, 22), False, id="ru-day-off-for-feb-20-2027"),
    pytest.param("RU", date(2026, 2, 14), False, id="ru-plain-saturday"),
    pytest.param("RU", date(2026, 2, 15), False, id="ru-plain-sunday"),
    pytest.param("RU", date(2026, 2, 13), True, id="ru-plain-friday"),
    # Belarus: 7 January, Radunitsa, 9 May, 3 July, 7 November, 25 December.
    pytest.param("BY", date(2026, 1, 1), False, id="by-new-year"),
    pytest.param("BY", date(2026, 1, 2), False, id="by-jan-2"),
    pytest.param("BY", date(2026, 1, 5), True, id="by-jan-5-works"),
    pytest.param("BY", date(2026, 1, 7), False, id="by-orthodox-christmas"),
    pytest.param("BY", date(2026, 1, 9), True, id="by-jan-9-works"),
    pytest.param("BY", date(2026, 2, 23), True, id="by-feb-23-works"),
    pytest.param("BY", date(2026, 4, 20), False, id="by-day-off-before-radunitsa"),
    pytest.param("BY", date(2026, 4, 21), False, id="by-radunitsa"),
    pytest.param("BY", date(2026, 4, 25), True, id="by-working-saturday-2026"),
    pytest.param("BY", date(2026, 5, 1), False, id="by-may-1"),
    pytest.param("BY", date(2028, 5, 9), False, id="by-victory-day"),
    pytest.param("BY", date(2026, 5, 11), True, id="by-may-11-works"),
    pytest.param("BY", date(2026, 7, 3), False, id="by-independence-day"),
    pytest.param("BY", date(2028, 11, 7), False, id="by-october-revolution-day"),
    pytest.param("BY", date(2026, 12, 25), False, id="by-catholic-christmas"),
    pytest.param("BY", date(2025, 1, 6), False, id="by-day-off-2025-jan-6"),
    pytest.param("BY", date(2025, 1, 11), True, id="by-working-saturday-2025"),
    pytest.param("BY", date(2025, 7, 4), False, id="by-day-off-2025-jul-4"),
    pytest.param("BY", date(2025, 7, 12), True, id="by-working-saturday-jul-2025"),
    pytest.param("BY", date(2026, 6, 12), True, id="by-russia-day-works"),
    pytest.param("BY", date(2026, 11, 4), True, id="by-nov-4-works"),
]


@pytest.mark.parametrize(("country", "day", "working"), DAYS)
def test_is_working_day(country: str, day: date, working: bool) -> None:
    assert is_working_day(day, country) is working


SHIFTS = [
    # A day off before the window's end moves back to the working day before it…
    pytest.param("RU", date(2026, 1, 4), date(2026, 2, 28), date(2025, 12, 30), id="ru-back"),
    pytest.param("BY", date(2026, 1, 4), date(2026, 2, 28), date(2025, 12, 31), id="by-back"),
    pytest.param("RU", date(2026, 5, 10), date(2026, 5, 31), date(2026, 5, 8), id="ru-may-back"),
    pytest.param("BY", date(2026, 7, 3), date(2026, 7, 31), date(2026, 7, 2), id="by-jul-3-back"),
    # …and one after the end moves forward to the working day after it.
    pytest.param("RU", date(2026, 1, 4), date(2025, 12, 31), date(2026, 1, 12), id="ru-fwd"),
    pytest.param("BY", date(2026, 1, 4), date(2025, 12, 31), date(2026, 1, 5), id="by-fwd"),
    pytest.param("BY", date(2026, 1, 7), date(2026, 1, 6), date(2026, 1, 8), id="by-jan-7-fwd"),
    pytest.param("RU", date(2026, 5, 9), date(2026, 5, 8), date(2026, 5, 12), id="ru-may-fwd"),
    # A working day stays where it is.
    pytest.param("RU", date(2026, 2, 9), date(2026, 2, 12), date(2026, 2, 9), id="working"),
    pytest.param("BY", date(2026, 4, 25), date(2026, 5, 1), date(2026, 4, 25), id="by-sat"),
]


@pytest.mark.parametrize(("country", "day", "window_end", "expected"), SHIFTS)
def test_shift_to_working_day(country: str, day: date, window_end: date, expected: date) -> None:
    assert shift_to_working_day(day, country, window_end=window_end) == expected


STEPS = [
    pytest.param("RU", date(2026, 2, 12), 1, date(2026, 2, 13), id="ru-next"),
    pytest.param("RU", date(2026, 2, 13), 3, date(2026, 2, 18), id="ru-over-weekend"),
    pytest.param("RU", date(2026, 2, 19), 3, date(2026, 2, 25), id="ru-over-feb-23"),
    pytest.param("BY", date(2026, 2, 19), 3, date(2026, 2, 24), id="by-feb-23-counts"),
    pytest.param("RU", date(2025, 12, 30), 1, date(2026, 1, 12), id="ru-over-new-year"),
    pytest.param("BY", date(2025, 12, 31), 2, date(2026, 1, 6), id="by-over-new-year"),
    pytest.param("BY", date(2026, 4, 17), 1, date(2026, 4, 22), id="by-over-radunitsa"),
]


@pytest.mark.parametrize(("country", "day", "count", "expected"), STEPS)
def test_add_working_days(country: str, day: date, count: int, expected: date) -> None:
    assert add_working_days(day, count, country) == expected
    if count == 1:
        assert next_working_day(day, country) == expected


@pytest.mark.parametrize(
    ("country", "year", "month", "expected"),
    [
        ("RU", 2026, 1, date(2026, 1, 12)),
        ("BY", 2026, 1, date(2026, 1, 5)),
        ("RU", 2026, 2, date(2026, 2, 2)),
        ("RU", 2026, 11, date(2026, 11, 2)),
        ("BY", 2026, 11, date(2026, 11, 2)),
        ("RU", 2027, 5, date(2027, 5, 4)),
        ("BY", 2027, 5, date(2027, 5, 3)),
    ],
)
def test_first_working_day_of_month(country: str, year: int, month: int, expected: date) -> None:
    assert first_working_day_of_month(year, month, country) == expected


@pytest.mark.parametrize("zone", ["Europe/Moscow", "Europe/Minsk"])
def test_nine_local_is_six_utc(zone: str) -> None:
    moment = local_moment(date(2026, 1, 26), 9, zone)
    assert moment.utcoffset() is not None
    assert moment.astimezone(UTC) == datetime(2026, 1, 26, 6, tzinfo=UTC)


MOMENTS = [
    pytest.param(
        "RU", datetime(2026, 2, 16, 10, tzinfo=MSK), datetime(2026, 2, 16, 10, tzinfo=MSK)
    ),
    pytest.param("RU", datetime(2026, 2, 16, 8, tzinfo=MSK), datetime(2026, 2, 16, 9, tzinfo=MSK)),
    pytest.param("RU", datetime(2026, 2, 13, 18, tzinfo=MSK), datetime(2026, 2, 16, 9, tzinfo=MSK)),
    pytest.param("RU", datetime(2026, 2, 20, 19, tzinfo=MSK), datetime(2026, 2, 24, 9, tzinfo=MSK)),
    pytest.param(
        "BY", datetime(2026, 2, 20, 19, tzinfo=MINSK), datetime(2026, 2, 23, 9, tzinfo=MINSK)
    ),
    pytest.param(
        "BY", datetime(2026, 4, 25, 3, tzinfo=UTC), datetime(2026, 4, 25, 9, tzinfo=MINSK)
    ),
    pytest.param("RU", datetime(2026, 1, 1, 12, tzinfo=UTC), datetime(2026, 1, 12, 9, tzinfo=MSK)),
]


@pytest.mark.parametrize(("country", "moment", "expected"), MOMENTS)
def test_next_working_moment(country: str, moment: datetime, expected: datetime) -> None:
    zone = "Europe/Minsk" if country == "BY" else "Europe/Moscow"
    assert next_working_moment(moment, country, zone, start_hour=9, end_hour=18) == expected


def test_unknown_country() -> None:
    with pytest.raises(UnknownCountryError, match="KZ"):
        is_working_day(date(2026, 1, 1), "KZ")
