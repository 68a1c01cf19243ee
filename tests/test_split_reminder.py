"""A reminder too long for one message goes out in parts; a reply to any part is its answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.telegram_sender import TelegramSender
from models import DeliveryPart, Item, Reminder, ReminderState, StatusReport
from scheduler.rules.policy import Policy
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.planning import plan_reminders
from tests.support.botkit import CONTACT_USER, Clock, bind, make_settings, running_bot, seed
from tests.support.fakebotapi import FakeBotApi

#: An item title long enough that its reminder takes several messages.
LONG_TITLE = " ".join(f"мероприятие {n} в рамках дней культуры;" for n in range(300))


@pytest.mark.parametrize("part", [0, 1, -1], ids=["first-part", "second-part", "last-part"])
async def test_a_reply_to_any_part_of_a_split_reminder_is_its_answer(
    fake_api: FakeBotApi, session_factory, db_url, part: int
) -> None:
    world = seed(session_factory)
    bind(session_factory, CONTACT_USER, world.agency_id)
    with session_factory.begin() as session:
        session.get_one(Item, world.item_id).title = LONG_TITLE
    clock = Clock(datetime(2026, 3, 18, 7, 0, tzinfo=UTC))  # Wednesday 10:00 in Moscow
    with session_factory.begin() as session:
        plan_reminders(session, now=clock(), policy=Policy())
        due = session.scalars(
            select(Reminder)
            .where(Reminder.agency_id == world.agency_id, Reminder.state == ReminderState.PENDING)
            .order_by(Reminder.due_at)
        ).first()
        assert due is not None
        clock.now, reminder_id = due.due_at, due.id
    seconds = [0.0]  # the pacer's clock: its waits take no real time

    async def sleep(pause: float) -> None:
        seconds[0] += pause

    pacer = Pacer(clock=lambda: seconds[0], sleep=sleep)
    async with running_bot(make_settings(fake_api, db_url), session_factory, clock) as app:
        dispatcher = Dispatcher(
            session_factory,
            TelegramSender(app.bot),
            config=DispatchConfig(owner="test"),
            pacer=pacer,
        )
        report = await dispatcher.run_pass(now=clock())
        assert report.delivered == 1, report
        parts = fake_api.messages(CONTACT_USER)
        assert len(parts) >= 3  # one reminder, several messages; buttons under the last
        assert [bool(m.buttons) for m in parts] == [False] * (len(parts) - 1) + [True]
        assert pacer.waited == len(parts) - 1  # a second between parts to one chat
        fake_api.send_text(
            CONTACT_USER,
            "Программа согласуется с партнёрами",
            reply_to_message_id=parts[part].message_id,
        )
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == len(parts) + 1)
    answer = fake_api.messages(CONTACT_USER)[-1].text
    assert answer == "Комментарий к пункту 1.1 сохранён.", answer
    with session_factory.begin() as session:
        report_row = session.scalars(select(StatusReport)).one()
        assert (report_row.comment, report_row.reminder_id) == (
            "Программа согласуется с партнёрами",
            reminder_id,
        )
        kept = session.scalars(select(DeliveryPart.message_id).order_by(DeliveryPart.id)).all()
        assert kept == [m.message_id for m in parts[:-1]]
