"""A coordinators' group upgraded to a supergroup: the binding follows it to the new chat
id, whether Telegram says so with a 400 on a send or with its service messages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.chat import send_to_chat
from bot.services import Services
from bot.telegram_sender import TelegramSender, build_bot
from models.chats.contacts import bind_contact, move_chat
from models.schema.people import Contact
from models.schema.reminders import Delivery
from scheduler.rules.domain import ReminderKind, ReminderState, Role
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from tests.support.botkit import COORDINATOR_USER, Clock, make_settings, running_bot
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import WORKING_NOW, seed_plan
from tests.support.fakebotapi import FakeBotApi

OLD = -4001  # the group
NEW = -1004001  # the supergroup it became
NOW = WORKING_NOW


def _bind_group(session: Session) -> None:
    bind_contact(
        session,
        user_id=COORDINATOR_USER,
        chat_id=OLD,
        agency_id=None,
        role=Role.COORDINATOR,
        now=NOW,
        name="Группа координаторов",
        is_group=True,
    )


def _group_chats(session_factory: sessionmaker[Session]) -> list[int]:
    with session_factory.begin() as session:
        return list(session.scalars(select(Contact.chat_id).where(Contact.is_group.is_(True))))


def _sends_to(api: FakeBotApi, chat_id: int) -> int:
    return sum(1 for c in api.calls("sendMessage") if c.params.get("chat_id") == chat_id)


async def test_the_digest_and_an_escalation_follow_the_group_to_its_supergroup(
    fake_api: FakeBotApi, session_factory: sessionmaker[Session]
) -> None:
    with session_factory.begin() as session:
        seeded = seed_plan(session, now=NOW, coordinators=0)
        _bind_group(session)
        add_reminder(session, kind=ReminderKind.DIGEST, due_at=NOW, now=NOW, window=None)
        add_reminder(
            session,
            kind=ReminderKind.ESCALATION,
            due_at=NOW,
            now=NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
        )
    fake_api.upgrade_group(OLD, NEW)
    async with build_bot(fake_api.token, fake_api.root) as bot:
        dispatcher = Dispatcher(
            session_factory,
            TelegramSender(bot),
            config=DispatchConfig(owner="test"),
            pacer=Pacer.unlimited(),
        )
        report = await dispatcher.run_pass(now=NOW, clock=lambda: NOW)
        assert report.delivered == 2, report
        assert [len(fake_api.messages(c)) for c in (OLD, NEW)] == [0, 2]
        assert _sends_to(fake_api, OLD) == 1  # told once; the second went straight there
        assert _group_chats(session_factory) == [NEW]
        with session_factory.begin() as session:
            deliveries = session.execute(select(Delivery.chat_id, Delivery.state)).all()
            assert {tuple(d) for d in deliveries} == {(NEW, ReminderState.SENT)}
        # Next week's digest, from a fresh dispatcher (a restart): the new chat at once.
        later = NOW + timedelta(days=7)
        with session_factory.begin() as session:
            add_reminder(
                session, kind=ReminderKind.DIGEST, due_at=later, now=later, window=None, slot="w2"
            )
        dispatcher = Dispatcher(
            session_factory,
            TelegramSender(bot),
            config=DispatchConfig(owner="test"),
            pacer=Pacer.unlimited(),
        )
        report = await dispatcher.run_pass(now=later, clock=lambda: later)
    assert report.delivered == 1, report
    assert [len(fake_api.messages(c)) for c in (OLD, NEW)] == [0, 3]
    assert _sends_to(fake_api, OLD) == 1


async def test_a_notice_to_an_upgraded_group_is_resent_to_the_supergroup(
    fake_api: FakeBotApi, sqlite_url: str
) -> None:
    from models.db import make_engine, make_session_factory, upgrade

    engine = make_engine(sqlite_url)
    upgrade(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        _bind_group(session)
    fake_api.upgrade_group(OLD, NEW)
    services = Services(make_settings(fake_api, sqlite_url), session_factory, Clock())
    async with build_bot(fake_api.token, fake_api.root) as bot:
        sent = await send_to_chat(bot, services, OLD, "Перенос срока по пункту 1.1")
    assert sent is not None and sent.chat_id == NEW
    assert [m.text for m in fake_api.messages(NEW)] == ["Перенос срока по пункту 1.1"]
    assert _group_chats(session_factory) == [NEW]
    engine.dispose()


async def test_the_service_messages_move_the_binding_once(
    fake_api: FakeBotApi, session_factory: sessionmaker[Session], db_url: str
) -> None:
    with session_factory.begin() as session:
        _bind_group(session)
    async with running_bot(make_settings(fake_api, db_url), session_factory, Clock()):
        fake_api.upgrade_group(OLD, NEW, user_id=COORDINATOR_USER)
        await fake_api.until(lambda: not fake_api.pending_updates())
        await fake_api.until(lambda: _group_chats(session_factory) == [NEW])
        fake_api.send_command(COORDINATOR_USER, "summary", chat_id=NEW)  # still a coordinator
        await fake_api.until(lambda: fake_api.messages(NEW))
    assert "Сводка" in fake_api.messages(NEW)[0].text
    assert fake_api.messages(OLD) == []  # nothing said about the move, no apology
    with session_factory.begin() as session:
        rows = session.scalars(select(Contact)).all()
        assert [(c.chat_id, c.active) for c in rows] == [(NEW, True)]


def test_moving_twice_or_onto_an_existing_binding_keeps_one(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as session:
        _bind_group(session)
        assert move_chat(session, old_chat_id=OLD, new_chat_id=NEW) == 1
        assert move_chat(session, old_chat_id=OLD, new_chat_id=NEW) == 0
        _bind_group(session)  # someone bound the old group again meanwhile
        assert move_chat(session, old_chat_id=OLD, new_chat_id=NEW) == 0
        active = session.scalars(
            select(Contact.chat_id).where(Contact.active.is_(True), Contact.is_group.is_(True))
        ).all()
        assert active == [NEW]
