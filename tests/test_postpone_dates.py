"""A postponement to an absurd date (year 9999, 1900, a date gone, far beyond the plan) is
refused with an explanation; nothing is recorded until a sensible date is given."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from models import PostponementRequest, Status, StatusReport
from models.statuses.windows import windows_by_item
from scheduler.rules.answers import (
    BEFORE_PERIOD,
    BEYOND_PERIOD,
    PAST,
    UNREADABLE,
    date_problem,
    read_answer,
)
from tests.support.botkit import CONTACT_USER, Clock, bind, make_settings, remind, running_bot, seed
from tests.support.fakebotapi import FakeBotApi

TODAY = date(2026, 3, 20)
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("text", "expects_date", "problem"),
    [
        ("перенос на 31 декабря 9999 года", True, UNREADABLE),
        ("ПЕРЕНОС НА 31 ДЕКАБРЯ 9999 Г.", True, UNREADABLE),
        ("Перенесли на 1 января 1900 года", True, UNREADABLE),
        ("перенос — 31.02.2027", True, UNREADABLE),
        ("перенос на 0001 год", True, UNREADABLE),
        ("Перенос на 5 мая 2025 года", True, PAST),
        ("отложили до 1 марта", True, PAST),
        ("перенос на 2031 год", True, BEYOND_PERIOD),
        ("перенос на IV квартал 2035 года", True, BEYOND_PERIOD),
        ("31 декабря 9999 года", True, UNREADABLE),  # the answer to «на какую дату?»
        ("перенос на 15 мая", True, None),
        ("перенесли на\nIII квартал 2027 года", True, None),
        ("перенос на 2029 год", True, None),
        ("перенос в связи с отсутствием финансирования", True, None),  # no date named
        ("Отправили 2 письма партнёрам", False, None),  # a comment, not a date
    ],
)
def test_date_problem(text: str, expects_date: bool, problem: str | None) -> None:
    answer = read_answer(text, reference=TODAY)
    assert (answer.status == Status.POSTPONED) == ("перен" in text.lower() or "отлож" in text)
    found = date_problem(answer, today=TODAY, period=PERIOD, expects_date=expects_date)
    assert found == problem


def test_a_plan_starting_later_refuses_a_date_before_it() -> None:
    answer = read_answer("перенос на 1 июня 2026 года", reference=TODAY)
    later = (date(2027, 1, 1), date(2029, 12, 31))
    assert date_problem(answer, today=TODAY, period=later, expects_date=True) == BEFORE_PERIOD


def _reports(session_factory) -> list[StatusReport]:  # type: ignore[no-untyped-def]
    with session_factory.begin() as session:
        return list(session.scalars(select(StatusReport).order_by(StatusReport.id)))


@pytest.mark.parametrize(
    ("absurd", "why"),
    [
        ("Перенос на 31 декабря 9999 года", "такой даты нет"),
        ("перенесли на 1 января 1900 года", "такой даты нет"),
        ("перенос на 5 мая 2025 года", "уже прошёл"),
        ("Перенос на 2031 год", "слишком далеко за пределами плана"),
    ],
)
async def test_an_absurd_postponement_records_nothing_until_a_sensible_date(
    fake_api: FakeBotApi, session_factory, db_url, absurd: str, why: str
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, db_url), session_factory, Clock()) as app:
        _, message_id = await remind(app, session_factory, world, contact_id)
        fake_api.send_text(CONTACT_USER, absurd, reply_to_message_id=message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        refusal = fake_api.messages(CONTACT_USER)[1]
        assert why in refusal.text and "Ничего не записано" in refusal.text
        assert refusal.buttons == []
        assert _reports(session_factory) == []
        # The date alone, in answer to the refusal, completes the postponement.
        fake_api.send_text(CONTACT_USER, "на 15 мая", reply_to_message_id=refusal.message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        question = fake_api.messages(CONTACT_USER)[2]
        assert "статус: Перенос" in question.text and "новый срок: 15 мая" in question.text
        ok = next(d for d in question.callback_data if d.startswith("ok:"))
        fake_api.press_button(CONTACT_USER, question.message_id, ok)
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[2].history)
    assert len(fake_api.messages(CONTACT_USER)) == 3  # reminder, refusal, confirmation
    assert [r.status for r in _reports(session_factory)] == [Status.POSTPONED]
    with session_factory.begin() as session:
        # Approval is on by default: the sensible date is a request, the windows wait.
        windows = windows_by_item(session, item_ids=[world.item_id])[world.item_id]
        assert world.agency_id not in windows
        requests = session.scalars(select(PostponementRequest)).all()
        assert [(r.state, r.windows) for r in requests] == [
            ("pending", [["2026-05-15", "2026-05-15"]])
        ]


async def test_after_the_postpone_button_a_date_gone_is_refused(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, sqlite_factory, world, contact_id)
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:pp")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        asked = fake_api.messages(CONTACT_USER)[1]
        fake_api.send_text(CONTACT_USER, "5 мая 2025 года", reply_to_message_id=asked.message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        assert "уже прошёл" in fake_api.messages(CONTACT_USER)[2].text
        fake_api.send_text(CONTACT_USER, "III квартал 2026 года")  # no reply: still awaited
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 4)
    question = fake_api.messages(CONTACT_USER)[3]
    assert "новый срок: 1 июля – 30 сентября 2026" in question.text, question.text
    with sqlite_factory.begin() as session:
        windows = windows_by_item(session, item_ids=[world.item_id])[world.item_id]
        assert world.agency_id not in windows  # not yet: only after «Да»
