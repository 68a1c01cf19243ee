"""End to end over real HTTP: invite -> bind -> reminder -> press -> edited message."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from models import Contact, Role, Status, StatusReport
from models.statuses.reports import current_statuses
from tests.support.botkit import (
    AGENCY,
    CONTACT_USER,
    Clock,
    bind,
    invite_token,
    make_settings,
    remind,
    running_bot,
    seed,
    send_reminder,
)
from tests.support.fakebotapi import FakeBotApi


async def test_invite_bind_press_records_and_edits(fake_api: FakeBotApi, session_factory, db_url):
    world = seed(session_factory)
    token = invite_token(session_factory, world.agency_id)
    settings = make_settings(fake_api, db_url)
    async with running_bot(settings, session_factory, Clock()) as app:
        fake_api.user(CONTACT_USER, first_name="Анна", last_name="Иванова")
        fake_api.send_command(CONTACT_USER, "start", token)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        greeting = fake_api.messages(CONTACT_USER)[0]
        assert AGENCY in greeting.text
        assert "1.1. Дни культуры <script>" in greeting.text  # escaped, shown as written
        with session_factory.begin() as session:
            contact = session.scalars(select(Contact)).one()
            assert (contact.user_id, contact.role) == (CONTACT_USER, Role.CONTACT)
        reminder_id, message_id = await send_reminder(
            app.bot,
            session_factory,
            item_id=world.item_id,
            agency_id=world.agency_id,
            contact_id=contact.id,
            chat_id=CONTACT_USER,
        )
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:dn")
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[1].history)
    edited = fake_api.messages(CONTACT_USER)[1]
    assert "Отмечено: Выполнено — Анна Иванова" in edited.text
    # The buttons stay, as they were, so the status can still change.
    codes = ["ip", "dn", "pp", "cn", "cm"]
    assert edited.callback_data == [f"st:{reminder_id}:{code}" for code in codes]
    assert [text for row in edited.buttons for text, _ in row] == [
        "В работе", "Выполнено", "Перенос", "Отменено", "Комментарий"
    ]  # fmt: skip
    assert fake_api.last_callback_query().answered
    with session_factory.begin() as session:
        report = session.scalars(select(StatusReport)).one()
        assert (report.status, report.source, report.reminder_id) == (
            Status.DONE,
            "button",
            reminder_id,
        )
        assert report.telegram_message_id == message_id
        assert current_statuses(session) == {(world.item_id, world.agency_id): Status.DONE}


async def test_start_without_token_and_with_a_used_one(
    fake_api: FakeBotApi, session_factory, db_url
):
    world = seed(session_factory)
    token = invite_token(session_factory, world.agency_id)
    settings = make_settings(fake_api, db_url)
    async with running_bot(settings, session_factory, Clock()):
        fake_api.send_command(7001, "start")
        fake_api.send_command(7002, "start", token)
        fake_api.send_command(7003, "start", token)
        fake_api.send_command(7004, "start", "not-a-real-token")
        await fake_api.until(lambda: all(fake_api.messages(u) for u in (7001, 7002, 7003, 7004)))
    assert "ссылку-приглашение" in fake_api.messages(7001)[0].text
    # Two chats are handled concurrently: whichever came first wins the single-use invite.
    answers = sorted(fake_api.messages(u)[0].text for u in (7002, 7003))
    assert "уже использована" in answers[1] and AGENCY in answers[0]
    assert "не найдена" in fake_api.messages(7004)[0].text
    assert fake_api.commands("default") is not None


async def test_a_reminder_sent_by_the_dispatcher_is_answered_with_a_button(
    fake_api: FakeBotApi, session_factory, db_url
):
    """The whole chain: policy plans, dispatch sends, the contact presses, the bot records."""
    from bot.telegram_sender import TelegramSender
    from models import Reminder, ReminderState
    from scheduler.rules.policy import Policy
    from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
    from scheduler.runtime.planning import plan_reminders

    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    clock = Clock(datetime(2026, 3, 18, 7, 0, tzinfo=UTC))  # Wednesday 10:00 in Moscow
    with session_factory.begin() as session:
        plan_reminders(session, now=clock(), policy=Policy())
        due = session.scalars(
            select(Reminder)
            .where(Reminder.agency_id == world.agency_id, Reminder.state == ReminderState.PENDING)
            .order_by(Reminder.due_at)
        ).first()
        assert due is not None
        clock.now = due.due_at
    async with running_bot(make_settings(fake_api, db_url), session_factory, clock) as app:
        dispatcher = Dispatcher(
            session_factory, TelegramSender(app.bot), config=DispatchConfig(owner="test")
        )
        report = await dispatcher.run_pass(now=clock())
        assert report.delivered == 1, report
        reminder = fake_api.messages(CONTACT_USER)[0]
        press = next(d for d in reminder.callback_data if d.endswith(":ip"))
        fake_api.press_button(CONTACT_USER, reminder.message_id, press)
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[0].history)
    assert "Отмечено: В работе — Контакт 6001" in fake_api.messages(CONTACT_USER)[0].text
    with session_factory.begin() as session:
        report_row = session.scalars(select(StatusReport)).one()
        assert (report_row.status, report_row.contact_id) == (Status.IN_PROGRESS, contact_id)
        assert report_row.telegram_message_id == reminder.message_id


async def test_done_cancels_the_reminders_and_in_progress_brings_them_back(
    fake_api: FakeBotApi, session_factory, db_url
):
    """«Выполнено» re-plans at once (nothing more is owed); «В работе» after it reopens."""
    from models import Reminder, ReminderState
    from scheduler.rules.policy import Policy
    from scheduler.runtime.planning import plan_reminders

    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    clock = Clock(datetime(2026, 3, 16, 7, 0, tzinfo=UTC))  # the heads-up is still ahead

    def pending() -> int:
        with session_factory.begin() as session:
            return len(
                session.scalars(
                    select(Reminder.id).where(
                        Reminder.item_id == world.item_id,
                        Reminder.agency_id == world.agency_id,
                        Reminder.state == ReminderState.PENDING,
                    )
                ).all()
            )

    with session_factory.begin() as session:
        plan_reminders(session, now=clock(), policy=Policy())
    planned = pending()
    assert planned > 0
    async with running_bot(make_settings(fake_api, db_url), session_factory, clock) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        for code, edits in (("dn", 1), ("ip", 2)):
            fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:{code}")
            await fake_api.until(
                lambda edits=edits: len(fake_api.messages(CONTACT_USER)[0].history) == edits
            )
            assert pending() == (0 if code == "dn" else planned)
