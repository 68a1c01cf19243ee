"""End to end: a press is recorded before its query is answered, whatever the answer or the
edit meets (an expired query, a 5xx, a dropped connection, a 429), and once per update."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import ProcessedUpdate, Status, StatusReport
from models.statuses.reports import current_statuses
from tests.support.botkit import CONTACT_USER, Clock, bind, make_settings, remind, running_bot, seed
from tests.support.fakebotapi import FakeBotApi, Fault

EXPIRED = Fault.bad_request(
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
BAD_GATEWAY = Fault(502, "Bad Gateway")
APOLOGY = "Что-то пошло не так"


def _statuses(session_factory) -> list[Status | None]:  # type: ignore[no-untyped-def]
    with session_factory.begin() as session:
        return list(session.scalars(select(StatusReport.status).order_by(StatusReport.id)))


def _texts(api: FakeBotApi) -> list[str]:
    return [m.text for m in api.messages(CONTACT_USER)]


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(EXPIRED, id="query-too-old"),
        pytest.param(BAD_GATEWAY, id="502"),
        pytest.param(Fault.dropped(), id="dropped"),
    ],
)
async def test_a_press_whose_answer_fails_is_recorded_once_even_when_replayed(
    fake_api: FakeBotApi, session_factory, db_url, fault: Fault
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, db_url)
    fake_api.inject(fault, method="answerCallbackQuery", times=None)
    async with running_bot(settings, session_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        update_id = fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:dn")
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[0].history)
        fake_api.redeliver(update_id)  # Telegram sends it again (a lost confirmation)
        await fake_api.until(lambda: update_id not in fake_api.pending_updates())
        fake_api.send_command(CONTACT_USER, "help")  # something after it, to know it was read
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
    assert _statuses(session_factory) == [Status.DONE]
    texts = _texts(fake_api)
    assert len(texts) == 2  # the reminder (edited once) and the help; no apology
    assert "Отмечено: Выполнено" in texts[0]
    assert len(fake_api.messages(CONTACT_USER)[0].history) == 1
    assert not any(APOLOGY in text for text in texts)
    assert len(fake_api.calls("answerCallbackQuery")) == 1  # tried once, after recording


async def test_a_confirmation_whose_answer_fails_is_applied(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, sqlite_url)
    fake_api.inject(EXPIRED, method="answerCallbackQuery", times=None)
    async with running_bot(settings, sqlite_factory, Clock()) as app:
        _, message_id = await remind(app, sqlite_factory, world, contact_id)
        fake_api.send_text(CONTACT_USER, "Выполнено", reply_to_message_id=message_id)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        question = fake_api.messages(CONTACT_USER)[1]
        ok = next(d for d in question.callback_data if d.startswith("ok:"))
        update_id = fake_api.press_button(CONTACT_USER, question.message_id, ok)
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[1].history)
        fake_api.redeliver(update_id)
        await fake_api.until(lambda: update_id not in fake_api.pending_updates())
        fake_api.send_command(CONTACT_USER, "help")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
    assert _statuses(sqlite_factory) == [None, Status.DONE]  # the words, then the «Да»
    texts = _texts(fake_api)
    assert len(texts) == 3  # the reminder, the confirmation (edited once), the help
    assert len(fake_api.messages(CONTACT_USER)[1].history) == 1
    assert "Записано по пункту" in texts[1]
    assert not any(APOLOGY in text for text in texts)


@pytest.mark.parametrize(
    ("fault", "times", "edits", "notes"),
    [
        pytest.param(BAD_GATEWAY, 1, 1, 0, id="502-once-retried"),
        pytest.param(Fault.dropped(), 1, 1, 0, id="dropped-once-retried"),
        pytest.param(Fault.flood(1), 1, 1, 0, id="short-429-waited-out"),
        pytest.param(BAD_GATEWAY, None, 0, 1, id="502-always"),
        pytest.param(Fault.flood(60), 1, 0, 1, id="long-429"),
    ],
)
async def test_an_edit_that_fails_after_the_press_is_recorded_tells_the_truth(
    fake_api: FakeBotApi,
    sqlite_factory,
    sqlite_url,
    fault: Fault,
    times: int | None,
    edits: int,
    notes: int,
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, sqlite_factory, world, contact_id)
        fake_api.inject(fault, method="editMessageText", times=times)
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:ip")
        await fake_api.until(lambda: fake_api.last_callback_query().answered)
        fake_api.send_command(CONTACT_USER, "help")
        await fake_api.until(lambda: _texts(fake_api)[-1].startswith("Бот «Срок»"), within=8)
    assert _statuses(sqlite_factory) == [Status.IN_PROGRESS]
    texts = _texts(fake_api)
    assert len(fake_api.messages(CONTACT_USER)[0].history) == edits
    assert len(texts) == 2 + notes  # the reminder, the note if any, the help
    if notes:
        assert texts[1].startswith("Ваш ответ записан, но обновить сообщение")
    assert not any(APOLOGY in text for text in texts)
    expected_calls = 1 if notes and fault.retry_after else 2
    assert len(fake_api.calls("editMessageText")) == expected_calls


@pytest.mark.parametrize(("times", "asked"), [(1, True), (None, False)], ids=["once", "always"])
async def test_a_postponement_whose_question_fails_is_recorded_and_still_awaits_the_date(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url, times: int | None, asked: bool
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, sqlite_factory, world, contact_id)
        fault = fake_api.inject(
            BAD_GATEWAY, method="sendMessage", chat_id=CONTACT_USER, times=times
        )
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:pp")
        await fake_api.until(lambda: fault.hits == (times or 2))
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[0].history)
        if asked:
            await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        fake_api.clear_faults()
        fake_api.send_text(CONTACT_USER, "на 15 мая")  # no reply needed: the date is awaited
        count = 3 if asked else 2
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == count)
    texts = _texts(fake_api)
    assert _statuses(sqlite_factory) == [Status.POSTPONED]
    assert len(texts) == (3 if asked else 2)  # reminder, [question,] date confirmation
    assert "Отмечено: Перенос" in texts[0]
    assert ("На какую дату переносится" in texts[1]) is asked
    assert "новый срок: 15 мая" in texts[-1]
    assert not any(APOLOGY in text for text in texts)


async def test_a_press_handled_again_after_a_later_one_records_nothing(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    """Whatever hands an update to the handlers twice (a claim released after a failure,
    a replay at start-up), the press it carries is recorded once: here «Выполнено» comes
    back after «В работе» and must not undo it."""
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, db_url)
    async with running_bot(settings, session_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        done = fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:dn")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)[0].history) == 1)
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:ip")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)[0].history) == 2)
    with session_factory.begin() as session:
        session.get_one(ProcessedUpdate, done).handled_at = None  # as if never claimed
    async with running_bot(settings, session_factory, Clock()):  # replays it at start-up
        await fake_api.until(lambda: _handled(session_factory, done))
        fake_api.send_command(CONTACT_USER, "help")  # something after it, to know it was read
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
    assert _statuses(session_factory) == [Status.DONE, Status.IN_PROGRESS]
    with session_factory.begin() as session:
        assert current_statuses(session) == {(world.item_id, world.agency_id): Status.IN_PROGRESS}
    reminder = fake_api.messages(CONTACT_USER)[0]
    assert len(reminder.history) == 2 and "Отмечено: В работе" in reminder.text
    assert not any(APOLOGY in text for text in _texts(fake_api))


def _handled(session_factory, update_id: int) -> bool:  # type: ignore[no-untyped-def]
    with session_factory.begin() as session:
        return session.get_one(ProcessedUpdate, update_id).handled_at is not None
