"""At most one scheduled message a contact a working day (issue 14), walked through two
working days half an hour at a time on the fake Bot API: a person answering for two
agencies gets one message for both at the first due moment, however few reminders a
claim takes; a status request that falls due later that day (an item imported at 11:00)
waits for the next working morning instead of making a second message."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.telegram_sender import TelegramSender
from models import Item, Plan, ReminderKind, ReminderState, Status, StatusReport
from models.schema.people import Agency
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.planning import plan_reminders
from tests.support import builders
from tests.support.botkit import CONTACT_USER, Clock, make_settings, running_bot
from tests.support.fakebotapi import FakeBotApi
from tests.test_answers_that_count import AT
from tests.test_contact_day import MOSCOW, POLICY, morning, pressed, reminders, sent_to
from tests.test_several_agencies import two_agencies


def half_hours(day: date) -> list[datetime]:
    """09:00, 09:30, … 17:30 of a day in Moscow."""
    return [morning(day) + timedelta(minutes=30 * n) for n in range(18)]


def add_late_item(session_factory, agency_id: int) -> int:  # type: ignore[no-untyped-def]
    """An item imported late: its window ended on 10 March, so its status request is
    owed at once."""
    with session_factory.begin() as session:
        plan_id = session.scalar(select(Item.plan_id).limit(1))
        plan = session.get_one(Plan, plan_id)
        agency = session.get_one(Agency, agency_id)
        return builders.add_item(
            session,
            plan,
            "9",
            at=AT,
            title="Отчёт о командировке",
            windows=[(date(2026, 3, 2), date(2026, 3, 10))],
            agencies=[agency],
        ).id


@pytest.mark.parametrize("one_a_day", [True, False], ids=["one-a-day", "rule-off"])
async def test_one_message_a_day_for_a_person_with_two_agencies(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url, one_a_day: bool
) -> None:
    first, _, _, _, _ = two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        dispatcher = Dispatcher(
            sqlite_factory,
            TelegramSender(app.bot),
            # A claim of one reminder: the chat's others (both agencies') come along.
            config=DispatchConfig(owner="day", batch=1, one_message_a_day=one_a_day),
            pacer=Pacer.unlimited(),
        )
        per_day = {}
        late = None
        for day in (date(2026, 3, 18), date(2026, 3, 19)):
            before = sent_to(fake_api, CONTACT_USER)
            for moment in half_hours(day):
                clock.now = moment
                if moment == morning(date(2026, 3, 18), 11):
                    late = add_late_item(sqlite_factory, first)
                with sqlite_factory.begin() as session:
                    plan_reminders(session, now=moment, policy=POLICY)
                await dispatcher.run_pass(now=moment, clock=lambda moment=moment: moment)
            per_day[day] = sent_to(fake_api, CONTACT_USER) - before
        messages = fake_api.messages(CONTACT_USER)
        # The five heads-ups of both agencies' items (two plans) in one message.
        assert "На сегодня 5 пунктов" in messages[0].text
        assert "Обмен делегациями" in messages[0].text and "Форум регионов" in messages[0].text
        # The late item's status request is answerable from its message, whichever day.
        (request,) = [
            r
            for r in reminders(sqlite_factory)
            if r.item_id == late and r.kind == ReminderKind.STATUS_REQUEST
        ]
        assert request.state == ReminderState.SENT
        clock.now = morning(date(2026, 3, 19), 12)
        message = next(m for m in messages if f"st:{request.id}:dn" in m.callback_data)
        await pressed(fake_api, message, f"st:{request.id}:dn")
    if one_a_day:
        assert per_day == {date(2026, 3, 18): 1, date(2026, 3, 19): 1}
        # Held to the next working morning, then sent at it.
        assert request.sent_at is not None
        assert request.sent_at.astimezone(MOSCOW) == morning(date(2026, 3, 19))
    else:
        assert per_day == {date(2026, 3, 18): 2, date(2026, 3, 19): 0}
    with sqlite_factory.begin() as session:
        (report,) = session.scalars(select(StatusReport)).all()
    assert (report.item_id, report.status) == (late, Status.DONE)
    assert sent_to(fake_api, CONTACT_USER) == 2
