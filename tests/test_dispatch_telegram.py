"""The error mapping over real HTTP: the Telegram sender against the fake Bot API server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.telegram_sender import TelegramSender, build_bot
from models.schema.people import Contact
from models.schema.reminders import Delivery, Reminder
from scheduler.rules.domain import ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from tests.support.dispatch_seed import WORKING_NOW, seed_request
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi, Fault

NOW = WORKING_NOW


@pytest.fixture
def due(session_factory: sessionmaker[Session]) -> dict[str, int]:
    """One status request due now, to one contact; one coordinator."""
    with session_factory.begin() as s:
        seeded, rid = seed_request(s, now=NOW)
    return {
        "rid": rid,
        "chat": seeded.contact_chats[seeded.agency_ids[0]][0],
        "coordinator": seeded.coordinator_chats[0],
    }


async def dispatch(session_factory, fake_api: FakeBotApi, at=NOW, *, read_timeout=5.0, **config):  # type: ignore[no-untyped-def]
    bot = build_bot(DEFAULT_TOKEN, fake_api.root, read_timeout=read_timeout)
    async with bot:
        d = Dispatcher(
            session_factory,
            TelegramSender(bot),
            config=DispatchConfig(owner="wire", **config),
            pacer=Pacer.unlimited(),
        )
        return await d.run_pass(now=at, clock=lambda: at)


def reminder(session_factory: sessionmaker[Session], rid: int) -> Reminder:
    with session_factory.begin() as s:
        return s.get_one(Reminder, rid)


def sends(fake_api: FakeBotApi, chat_id: int) -> int:
    return sum(1 for c in fake_api.calls("sendMessage") if c.params.get("chat_id") == chat_id)


async def test_sent_with_html_and_buttons_and_message_id(session_factory, fake_api, due):
    await dispatch(session_factory, fake_api)
    (shown,) = fake_api.messages(due["chat"])
    assert "Обмен делегациями & встреча <1>" in shown.text  # decoded by the server
    assert shown.callback_data == [f"st:{due['rid']}:{c}" for c in ("ip", "dn", "pp", "cn", "cm")]
    row = reminder(session_factory, due["rid"])
    assert row.state == ReminderState.SENT and row.telegram_message_id == shown.message_id


async def test_429_is_due_again_after_retry_after(session_factory, fake_api, due):
    fake_api.inject(Fault.flood(retry_after=4), method="sendMessage")
    await dispatch(session_factory, fake_api)
    row = reminder(session_factory, due["rid"])
    assert row.state == ReminderState.PENDING
    assert row.due_at == NOW + timedelta(seconds=4)
    await dispatch(session_factory, fake_api, NOW + timedelta(seconds=4))
    assert reminder(session_factory, due["rid"]).state == ReminderState.SENT
    assert len(fake_api.messages(due["chat"])) == 1


async def test_403_makes_contact_inactive_and_tells_coordinators(session_factory, fake_api, due):
    fake_api.inject(Fault.blocked(), method="sendMessage", chat_id=due["chat"])
    await dispatch(session_factory, fake_api)
    row = reminder(session_factory, due["rid"])
    assert row.state == ReminderState.FAILED and "blocked" in (row.last_error or "")
    with session_factory.begin() as s:
        assert not s.query(Contact).filter_by(chat_id=due["chat"]).one().active
    (notice,) = fake_api.messages(due["coordinator"])
    assert "заблокировал бота" in notice.text


async def test_400_fails_with_the_reason(session_factory, fake_api, due):
    fake_api.inject(Fault.bad_request("chat not found"), method="sendMessage", chat_id=due["chat"])
    await dispatch(session_factory, fake_api)
    row = reminder(session_factory, due["rid"])
    assert row.state == ReminderState.FAILED and row.last_error == "Chat not found"
    (notice,) = fake_api.messages(due["coordinator"])
    assert "Chat not found" in notice.text


@pytest.mark.parametrize(
    "fault",
    [pytest.param(Fault.server_error(), id="500"), pytest.param(Fault.dropped(), id="dropped")],
)
async def test_server_errors_retry_with_growing_delays_then_fail(
    session_factory, fake_api, due, fault
):
    fake_api.inject(fault, method="sendMessage", times=None)
    at, delays = NOW, []
    for _ in range(3):
        await dispatch(session_factory, fake_api, at, max_attempts=3)
        row = reminder(session_factory, due["rid"])
        if row.state != ReminderState.PENDING:
            break
        delays.append(row.due_at - at)
        at = row.due_at
    assert delays == [timedelta(minutes=1), timedelta(minutes=2)]
    assert row.state == ReminderState.FAILED
    assert sends(fake_api, due["chat"]) == 3
    with session_factory.begin() as s:
        assert s.query(Contact).filter_by(chat_id=due["chat"]).one().active


async def test_a_slow_answer_within_the_timeout_is_sent(session_factory, fake_api, due):
    fake_api.inject(Fault.slow(0.3), method="sendMessage")
    await dispatch(session_factory, fake_api, read_timeout=2.0)
    assert reminder(session_factory, due["rid"]).state == ReminderState.SENT


async def test_an_answer_slower_than_the_timeout_is_retried_later(session_factory, fake_api, due):
    fake_api.inject(Fault.slow(0.6), method="sendMessage")
    await dispatch(session_factory, fake_api, read_timeout=0.2)
    row = reminder(session_factory, due["rid"])
    assert row.state == ReminderState.PENDING and row.due_at == NOW + timedelta(minutes=1)
    with session_factory.begin() as s:
        (delivery,) = s.query(Delivery).filter_by(reminder_id=due["rid"]).all()
        assert delivery.attempts == 1 and "imed out" in (delivery.last_error or "")
