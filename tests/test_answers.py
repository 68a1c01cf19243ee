"""Reading a contact's words: the status they name and the date, by the deadline grammar."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.rules.answers import find_status, read_answer, read_date
from scheduler.rules.domain import Status

REFERENCE = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("text", "status", "windows"),
    [
        pytest.param("Выполнено", Status.DONE, (), id="done"),
        pytest.param("Сделали, акт подписан 12 марта", Status.DONE, None, id="done-with-words"),
        pytest.param("выполнено.", Status.DONE, (), id="done-lower"),
        pytest.param("Мероприятие проведено", Status.DONE, (), id="held"),
        pytest.param("В работе", Status.IN_PROGRESS, (), id="in-progress"),
        pytest.param("работа ведётся", Status.IN_PROGRESS, (), id="yo-folded"),
        pytest.param("Отменено", Status.CANCELLED, (), id="cancelled"),
        pytest.param("мероприятие не состоится", Status.CANCELLED, (), id="will-not-happen"),
        pytest.param(
            "перенос на 15 мая",
            Status.POSTPONED,
            ((date(2026, 5, 15), date(2026, 5, 15)),),
            id="postponed-date",
        ),
        pytest.param(
            "Перенесли на III квартал 2026 года",
            Status.POSTPONED,
            ((date(2026, 7, 1), date(2026, 9, 30)),),
            id="postponed-quarter",
        ),
        pytest.param("Перенос", Status.POSTPONED, (), id="postponed-no-date"),
        pytest.param("не выполнено", None, (), id="negated"),
        pytest.param("ещё не сделали", None, (), id="negated-still"),
        pytest.param("будет проведено 15 мая", None, None, id="future-is-not-done"),
        pytest.param("Спасибо, приняли к сведению", None, (), id="no-status"),
        pytest.param("Начало июня", None, None, id="nachalo-is-not-started"),
    ],
)
def test_read_answer(text: str, status: Status | None, windows: tuple | None) -> None:
    answer = read_answer(text, reference=REFERENCE)
    assert answer.status == status
    if windows is not None:
        assert answer.windows == windows


def test_a_date_without_a_year_falls_after_the_reference() -> None:
    parsed = read_date("на 10 февраля", reference=REFERENCE)
    assert parsed is not None
    assert parsed.windows == ((date(2027, 2, 10), date(2027, 2, 10)),)


def test_words_without_a_date_give_none() -> None:
    assert read_date("как только сможем", reference=REFERENCE) is None
    assert read_date("", reference=REFERENCE) is None


def test_find_status_says_where_the_status_words_end() -> None:
    status, end = find_status("Перенос на 15 мая")
    assert status == Status.POSTPONED
    assert "Перенос на 15 мая"[end:] == " на 15 мая"


def test_a_recurring_date_repeats_over_the_plan_period() -> None:
    text = "перенос: ежеквартально, до 10 числа месяца, следующего за отчётным кварталом"
    period = (date(2026, 1, 1), date(2026, 12, 31))
    answer = read_answer(text, reference=date(2026, 1, 1), period=period)
    assert answer.status is Status.POSTPONED
    assert answer.date is not None
    assert answer.date.windows == (
        (date(2026, 1, 1), date(2026, 4, 10)),
        (date(2026, 4, 1), date(2026, 7, 10)),
        (date(2026, 7, 1), date(2026, 10, 10)),
        (date(2026, 10, 1), date(2027, 1, 10)),
    )
    alone = read_date(
        "ежегодно, в мае", reference=date(2026, 1, 1), period=(period[0], date(2027, 12, 31))
    )
    assert alone is not None and len(alone.windows) == 2
