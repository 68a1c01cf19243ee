"""End to end: forged, foreign, replayed and malformed presses; a repeated update; a blocked
user; coordinator commands from a contact. Each changes nothing and is refused politely."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import Contact, ProcessedUpdate, StatusReport
from tests.support.botkit import (
    CONTACT_USER,
    OTHER_USER,
    Clock,
    bind,
    make_settings,
    remind,
    running_bot,
    seed,
    send_reminder,
)
from tests.support.fakebotapi import FakeBotApi, Fault


def _report_count(session_factory) -> int:  # type: ignore[no-untyped-def]
    with session_factory.begin() as session:
        return len(session.scalars(select(StatusReport)).all())


async def test_forged_foreign_and_malformed_presses_change_nothing(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    world = seed(session_factory)
    mine = bind(session_factory, CONTACT_USER, world.agency_id)
    theirs = bind(session_factory, OTHER_USER, world.other_id)
    async with running_bot(make_settings(fake_api, db_url), session_factory, Clock()) as app:
        my_reminder, my_message = await remind(app, session_factory, world, mine)
        their_reminder, _ = await send_reminder(
            app.bot,
            session_factory,
            item_id=world.other_item_id,
            agency_id=world.other_id,
            contact_id=theirs,
            chat_id=OTHER_USER,
        )
        forged = [
            f"st:{their_reminder}:dn",  # another agency's reminder
            f"st:{my_reminder + 1000}:dn",  # no such reminder
            f"st:{my_reminder}:zz",  # unknown code
            "st:1:dn:extra",
            "ok:999",  # no such question
            "garbage",
        ]
        for data in forged:
            fake_api.press_button(CONTACT_USER, my_message, data, forge=True)
        # A stranger presses a copy of the contact's own button in their own chat.
        fake_api.send_command(7777, "help")
        await fake_api.until(lambda: bool(fake_api.messages(7777)))
        help_message = fake_api.messages(7777)[0].message_id
        fake_api.press_button(7777, help_message, f"st:{my_reminder}:dn", forge=True)
        fake_api.press_button(7777, help_message, f"st:{my_reminder + 1000}:dn", forge=True)
        await fake_api.until(
            lambda: (
                len(fake_api.messages(CONTACT_USER)) == 1 + len(forged)
                and len(fake_api.messages(7777)) == 3
            )
        )
    refusals = [m.text for m in fake_api.messages(CONTACT_USER)[1:]]
    assert all("ничего не изменено" in text for text in refusals), refusals
    # Each with its reason, in the order pressed (one chat's updates are handled in order).
    reasons = ["не относится к вашему органу", "Такого напоминания нет", "Не удалось разобрать"]
    reasons += ["Не удалось разобрать", "уже неактуален", "Не удалось разобрать"]
    assert [reason in text for reason, text in zip(reasons, refusals, strict=True)] == [True] * 6
    # A stranger is told how to connect, whether the reminder exists or not.
    assert all("не подключены" in m.text for m in fake_api.messages(7777)[1:])
    assert not fake_api.messages(CONTACT_USER)[0].history  # the reminder was not edited
    assert _report_count(session_factory) == 0
    answered = [c for c in fake_api.calls("answerCallbackQuery")]
    assert len(answered) == len(forged) + 2


async def test_the_same_update_twice_changes_nothing(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, db_url)
    async with running_bot(settings, session_factory, Clock()) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        update_id = fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:ip")
        await fake_api.until(lambda: fake_api.messages(CONTACT_USER)[0].history)
        fake_api.redeliver(update_id)
        await fake_api.until(lambda: update_id not in fake_api.pending_updates())
        fake_api.send_command(CONTACT_USER, "help")  # something after it, to know it was read
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
    # And once more to a fresh process.
    fake_api.redeliver(update_id)
    async with running_bot(settings, session_factory, Clock()):
        await fake_api.until(lambda: not fake_api.pending_updates())
    assert _report_count(session_factory) == 1
    assert len(fake_api.messages(CONTACT_USER)[0].history) == 1
    with session_factory.begin() as session:
        seen = session.get(ProcessedUpdate, update_id)
        assert seen is not None and seen.handled_at is not None


async def test_a_press_repeated_by_the_user_records_once(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()) as app:
        reminder_id, message_id = await send_reminder(
            app.bot,
            sqlite_factory,
            item_id=world.item_id,
            agency_id=world.agency_id,
            contact_id=contact_id,
            chat_id=CONTACT_USER,
        )
        for _ in range(2):
            fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:dn")
        await fake_api.until(lambda: len(fake_api.calls("answerCallbackQuery")) == 2)
        fake_api.send_command(CONTACT_USER, "help")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
    assert _report_count(sqlite_factory) == 1


async def test_a_user_who_blocked_the_bot_becomes_inactive(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    fake_api.inject(Fault.blocked(), method="sendMessage", chat_id=CONTACT_USER, times=None)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.calls("sendMessage")) >= 1)
        fake_api.send_command(8888, "help")  # handled after the failed one
        await fake_api.until(lambda: bool(fake_api.messages(8888)))
    with sqlite_factory.begin() as session:
        contact = session.scalars(select(Contact)).one()
        assert (contact.active, contact.inactive_reason) == (False, "blocked")


@pytest.mark.parametrize("command", ["summary", "invite"])
async def test_coordinator_commands_from_a_contact_are_refused(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url, command: str
) -> None:
    world = seed(sqlite_factory)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_command(CONTACT_USER, command, "культуре")
        await fake_api.until(lambda: bool(fake_api.messages(CONTACT_USER)))
    reply = fake_api.messages(CONTACT_USER)[0]
    assert "только координаторам" in reply.text
    assert "t.me" not in reply.text


async def test_an_update_received_but_not_handled_is_handled_after_a_restart(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    from telegram import Update

    from bot.app import build_application

    world = seed(session_factory)
    bind(session_factory, CONTACT_USER, world.agency_id)
    settings = make_settings(fake_api, db_url)
    fake_api.send_command(CONTACT_USER, "my")
    # A process that fetched the update, recorded it and died before handling it:
    dying = build_application(settings, session_factory, clock=Clock())
    async with dying:
        (raw,) = await dying.bot.get_updates(timeout=0)
        await dying.update_queue.put(Update.de_json(raw.to_dict(), dying.bot))
        await dying.bot.get_updates(offset=raw.update_id + 1, timeout=0)  # offset confirmed
    assert fake_api.pending_updates() == []
    with session_factory.begin() as session:
        row = session.get(ProcessedUpdate, raw.update_id)
        assert row is not None and row.handled_at is None
    async with running_bot(settings, session_factory, Clock()):
        await fake_api.until(lambda: bool(fake_api.messages(CONTACT_USER)))
    assert "Дни культуры" in fake_api.messages(CONTACT_USER)[0].text
    with session_factory.begin() as session:
        assert session.get(ProcessedUpdate, raw.update_id).handled_at is not None


def test_callback_data_stays_within_64_bytes() -> None:
    from bot.keyboards import MAX_CALLBACK_BYTES, confirm_keyboard, reminder_keyboard
    from messages.buttons import checked

    biggest = 10**18 - 1  # the access layer reads at most 18 digits
    markups = [reminder_keyboard(biggest), confirm_keyboard(biggest)]
    data = [b.callback_data for m in markups if m for row in m.inline_keyboard for b in row]
    assert len(data) == 7
    assert all(len(str(d).encode()) <= MAX_CALLBACK_BYTES for d in data)
    with pytest.raises(ValueError):
        checked("ok:" + "9" * 62)
