"""The duplicate window: a send whose answer is lost after Telegram accepted it.

The Bot API has no idempotency key, so a message whose answer never arrives (the connection
dropped, the read timed out) cannot be told from one never sent: it is sent again on the
next try. Each such fault costs at most one duplicate, and of a long reminder sent in parts
only the part whose answer was lost: the parts that went out before are not sent again.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.telegram_sender import TelegramSender, build_bot
from models.schema.plans import Item
from models.schema.reminders import Delivery, DeliveryPart, Reminder
from scheduler.rules.domain import ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher, DispatchReport
from scheduler.runtime.pacing import Pacer
from tests.support.dispatch_seed import WORKING_NOW, seed_request
from tests.support.fakebotapi import FakeBotApi, Fault

NOW = WORKING_NOW
LONG_TITLE = " ".join(f"мероприятие {n} в рамках дней культуры;" for n in range(300))


async def _until_settled(
    api: FakeBotApi, session_factory: sessionmaker[Session], reminder_id: int
) -> list[DispatchReport]:
    """Passes every ten minutes (retries fall due) until the reminder is settled."""
    reports = []
    async with build_bot(api.token, api.root) as bot:
        dispatcher = Dispatcher(
            session_factory,
            TelegramSender(bot),
            config=DispatchConfig(owner="test"),
            pacer=Pacer.unlimited(),
        )
        for step in range(8):
            at = NOW + timedelta(minutes=10 * step)
            reports.append(await dispatcher.run_pass(now=at, clock=lambda at=at: at))
            with session_factory.begin() as session:
                if session.get_one(Reminder, reminder_id).state != ReminderState.PENDING:
                    break
        at = NOW + timedelta(hours=3)  # and once more: nothing is left to send
        reports.append(await dispatcher.run_pass(now=at, clock=lambda: at))
    return reports


@pytest.mark.parametrize("faults", [1, 2])
async def test_each_lost_answer_costs_at_most_one_duplicate(
    fake_api: FakeBotApi, session_factory: sessionmaker[Session], faults: int
) -> None:
    with session_factory.begin() as session:
        seeded, reminder_id = seed_request(session, now=NOW)
    chat = seeded.contact_chats[seeded.agency_ids[0]][0]
    fake_api.inject(Fault.lost_answer(), method="sendMessage", chat_id=chat, times=faults)
    reports = await _until_settled(fake_api, session_factory, reminder_id)
    shown = fake_api.messages(chat)
    assert len(shown) == 1 + faults  # the message, and one copy per lost answer
    assert len({m.text for m in shown}) == 1
    assert sum(r.delivered for r in reports) == 1
    assert reports[-1].claimed == 0
    with session_factory.begin() as session:
        delivery = session.scalars(select(Delivery)).one()
        assert (delivery.state, delivery.message_id) == (ReminderState.SENT, shown[-1].message_id)
        assert delivery.attempts == 1 + faults


async def test_a_long_reminder_resends_only_the_part_whose_answer_was_lost(
    fake_api: FakeBotApi, session_factory: sessionmaker[Session]
) -> None:
    with session_factory.begin() as session:
        seeded, reminder_id = seed_request(session, now=NOW)
        session.get_one(Item, seeded.item_ids[0]).title = LONG_TITLE
    chat = seeded.contact_chats[seeded.agency_ids[0]][0]
    fake_api.inject(Fault(), method="sendMessage", chat_id=chat, times=1)  # the first part
    fake_api.inject(Fault.lost_answer(), method="sendMessage", chat_id=chat, times=1)
    await _until_settled(fake_api, session_factory, reminder_id)
    shown = fake_api.messages(chat)
    texts = [m.text for m in shown]
    # The first part once, the second twice (its answer was lost), the rest once.
    assert texts[1] == texts[2] and len(set(texts)) == len(texts) - 1
    assert len(texts) >= 4
    assert [bool(m.buttons) for m in shown] == [False] * (len(shown) - 1) + [True]
    with session_factory.begin() as session:
        kept = session.scalars(select(DeliveryPart.message_id).order_by(DeliveryPart.id)).all()
    # Every part whose id the bot learnt: a reply to it is an answer to the reminder.
    assert kept == [m.message_id for m in shown[:-1] if m is not shown[1]]
