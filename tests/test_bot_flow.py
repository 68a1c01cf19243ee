"""End to end over real HTTP: invite -> bind -> reminder -> press -> edited message."""

from __future__ import annotations

from sqlalchemy import select

from models import Contact, Role, Status, StatusReport
from models.statuses import current_statuses
from tests import fakebotapi
from tests.botkit import (
    AGENCY,
    CONTACT_USER,
    Clock,
    invite_token,
    make_settings,
    running_bot,
    seed,
    send_reminder,
)
from tests.fakebotapi import FakeBotApi

fake_api = fakebotapi.fake_api  # the fixture, registered under this name


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
            app,
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
    assert edited.callback_data  # the buttons stay, so the status can still change
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
