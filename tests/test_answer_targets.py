"""Words without «reply»: the item number a message names, the window a report is about."""

from __future__ import annotations

from datetime import date

import pytest

from models.statuses.answer_targets import _stems, named_number
from models.statuses.by_window import status_now, window_of
from scheduler.rules.domain import Status


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("по п. 13 выполнено", "13"),
        ("По П.13 — выполнено", "13"),
        ("п 7 готово", "7"),
        ("Пункт 2.1: перенос на 15 мая", "2.1"),
        ("по пункту 4.2.1 в работе", "4.2.1"),
        ("пункта 5 не будет, отменено", "5"),
        ("№ 12 сделали", "12"),
        ("13 — в работе", "13"),
        ("13 - в работе", "13"),
        ("13–в работе", "13"),
        ("2.1: перенесли", "2.1"),
        ("4) выполнено", "4"),
        ("  9. Выполнено", "9"),
        ("15 мая выполнено", None),  # a date, not an item
        ("выполнено 12.05.2026", None),
        ("2026 год — выполнено", None),
        ("Продэкспо — выполнено", None),
    ],
)
def test_the_number_a_message_names(text: str, number: str | None) -> None:
    assert named_number(text) == number


def test_title_words_leave_out_status_date_and_common_words() -> None:
    assert _stems("Продэкспо — выполнено") == {"продэ"}
    assert _stems("ПРОДЭКСПО-2026: провели в марте") == {"продэ"}
    assert _stems("по выставке «Лён» в работе") == {"выста"}
    assert _stems("Выполнено") == set()


YEARLY = [(date(y, 6, 1), date(y, 7, 31)) for y in (2026, 2027, 2028)]


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 3, 1), 2026),  # before any: the first
        (date(2026, 6, 1), 2026),
        (date(2026, 12, 31), 2026),  # the latest past one
        (date(2027, 5, 31), 2026),
        (date(2027, 6, 1), 2027),
        (date(2029, 1, 1), 2028),
    ],
)
def test_a_day_belongs_to_the_window_begun_by_then(day: date, year: int) -> None:
    window = window_of(day, YEARLY)
    assert window is not None and window[0].year == year


def test_the_status_now_is_the_current_windows() -> None:
    per = [(YEARLY[0], Status.DONE), (YEARLY[1], Status.PLANNED), (YEARLY[2], Status.PLANNED)]
    assert status_now(per, date(2026, 9, 1), Status.DONE) == Status.DONE
    assert status_now(per, date(2027, 6, 2), Status.DONE) == Status.PLANNED
    assert status_now(None, date(2027, 6, 2), Status.IN_PROGRESS) == Status.IN_PROGRESS
    assert window_of(date(2026, 1, 1), []) is None
