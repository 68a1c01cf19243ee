"""A coordinator's levers end to end: the real Application against the fake Bot API server.

Every scenario counts the bot's messages in each chat, and reads the database after.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from messages.levers import ACTIONS, lever_data
from models import (
    Agency,
    Base,
    Contact,
    Delivery,
    Item,
    ItemChange,
    PostponementRequest,
    Reminder,
    ReminderKind,
    ReminderState,
    Responsibility,
    Role,
    Side,
    Status,
    StatusReport,
    Window,
)
from models.chats.contacts import bind_contact
from models.statuses.reports import current_statuses
from scheduler.rules.policy import REASON_CLOSED, REASON_UNASSIGNED, Policy
from scheduler.runtime.planning import plan_reminders
from tests.support.botkit import (
    CONTACT_USER,
    COORDINATOR_USER,
    OTHER,
    Clock,
    World,
    bind,
    make_settings,
    remind,
    running_bot,
    seed,
)
from tests.support.fakebotapi import FakeBotApi

#: Inside the Q2 window of the seeded items: before-end and status requests are planned.
JUNE = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
NEW_COORDINATOR = 5003
Q2_END = date(2026, 6, 30)


def _approval(api: FakeBotApi, url: str, **extra: object) -> Settings:
    return make_settings(api, url, **extra)


def _plan(factory: sessionmaker[Session], now: datetime) -> None:
    with factory.begin() as session:
        plan_reminders(session, now=now, policy=Policy())


def _pending(factory: sessionmaker[Session], item_id: int) -> list[Reminder]:
    with factory.begin() as session:
        rows = session.scalars(
            select(Reminder).where(
                Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING
            )
        ).all()
        session.expunge_all()
        return list(rows)


async def _wait(api: FakeBotApi, chat: int, count: int) -> list[Any]:
    """Wait until the bot has `count` messages in `chat`; all of them."""
    await api.until(lambda: len(api.messages(chat)) >= count)
    return api.messages(chat)


def _data(message: Any, prefix: str) -> str:
    """The callback data of the message's button starting with `prefix`."""
    found = [d for d in message.callback_data if d.startswith(prefix)]
    assert found, (prefix, message.callback_data)
    return found[0]


async def test_postponement_requested_approved_then_refused(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    world = seed(session_factory)
    contact_id = bind(session_factory, CONTACT_USER, world.agency_id)
    clock = Clock()
    async with running_bot(_approval(fake_api, db_url), session_factory, clock) as app:
        reminder_id, message_id = await remind(app, session_factory, world, contact_id)
        fake_api.press_button(CONTACT_USER, message_id, f"st:{reminder_id}:pp")
        asked = (await _wait(fake_api, CONTACT_USER, 2))[1]
        fake_api.send_text(CONTACT_USER, "на 15 мая", reply_to_message_id=asked.message_id)
        confirm = (await _wait(fake_api, CONTACT_USER, 3))[2]
        fake_api.press_button(CONTACT_USER, confirm.message_id, confirm.callback_data[0])
        (request,) = await _wait(fake_api, COORDINATOR_USER, 1)

        # Requested: nothing moved yet, the reminders follow the old date.
        assert "Запрос на перенос срока" in request.text and "15 мая 2026 г." in request.text
        assert "до согласования напоминания идут по этому сроку" in request.text
        assert "отправлен координатору" in fake_api.messages(CONTACT_USER)[2].text
        with session_factory.begin() as session:
            (row,) = session.scalars(select(PostponementRequest)).all()
            assert row.state == "pending"
            own = session.scalars(select(Window).where(Window.agency_id.is_not(None))).all()
            assert own == []
        _plan(session_factory, JUNE)  # a daily re-plan while it waits
        ends = {r.window_end for r in _pending(session_factory, world.item_id)}
        assert ends == {Q2_END}

        # Approved: the new date binds the agency, and the agency is told.
        fake_api.press_button(COORDINATOR_USER, request.message_id, _data(request, "lv:pa:"))
        approved = (await _wait(fake_api, COORDINATOR_USER, 2))[1]
        told = (await _wait(fake_api, CONTACT_USER, 4))[3]
        assert "согласован: новый срок — 15 мая 2026 г." in approved.text
        assert "Перенос по пункту <b>1.1</b>" not in told.text  # HTML, not shown as tags
        assert "согласован: новый срок — 15 мая 2026 г." in told.text
        ends = {r.window_end for r in _pending(session_factory, world.item_id)}
        assert ends == {date(2026, 5, 15)}

        # Refused after all, with a reason in words: the old date comes back.
        fake_api.press_button(COORDINATOR_USER, approved.message_id, _data(approved, "lv:pr:"))
        why = (await _wait(fake_api, COORDINATOR_USER, 3))[2]
        assert "Почему перенос по пункту" in why.text
        fake_api.send_text(COORDINATOR_USER, "Нет оснований", reply_to_message_id=why.message_id)
        refused = (await _wait(fake_api, COORDINATOR_USER, 4))[3]
        told_again = (await _wait(fake_api, CONTACT_USER, 5))[4]
    assert "отклонён: срок — 1 апреля – 30 июня 2026 г." in refused.text
    assert "не согласован: «Нет оснований»" in told_again.text
    assert "Срок остаётся прежним — <b>" not in told_again.text
    assert len(fake_api.messages(COORDINATOR_USER)) == 4
    assert len(fake_api.messages(CONTACT_USER)) == 5
    # The refusal's re-plan cancelled what the approved date had planned …
    assert _pending(session_factory, world.item_id) == []
    _plan(session_factory, JUNE)  # … and the old date's reminders are owed again
    ends = {r.window_end for r in _pending(session_factory, world.item_id)}
    assert ends == {Q2_END}
    with session_factory.begin() as session:
        row = session.scalars(select(PostponementRequest)).one()
        assert (row.state, row.reason) == ("refused", "Нет оснований")
        assert row.decided_by == f"Пользователь {COORDINATOR_USER}"
        assert session.scalars(select(Window).where(Window.agency_id.is_not(None))).all() == []
        status = current_statuses(session)[(world.item_id, world.agency_id)]
        assert status == Status.PLANNED  # as before its «Перенос»
        kinds = [c.kind for c in session.scalars(select(ItemChange).order_by(ItemChange.id))]
        assert kinds == [
            "postpone_requested",
            "window_changed",
            "postpone_approved",
            "window_changed",
            "postpone_refused",
        ]


async def test_without_approval_a_postponement_applies_at_once(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    with sqlite_factory.begin() as session:  # today's notice goes to bound coordinators
        bind_contact(
            session,
            user_id=COORDINATOR_USER,
            chat_id=COORDINATOR_USER,
            agency_id=None,
            role=Role.COORDINATOR,
            now=JUNE,
        )
    settings = _approval(fake_api, sqlite_url, srok_postpone_approval=False)
    async with running_bot(settings, sqlite_factory, Clock()) as app:
        _, message_id = await remind(app, sqlite_factory, world, contact_id)
        fake_api.send_text(CONTACT_USER, "перенос на 15 мая", reply_to_message_id=message_id)
        confirm = (await _wait(fake_api, CONTACT_USER, 2))[1]
        fake_api.press_button(CONTACT_USER, confirm.message_id, confirm.callback_data[0])
        (told,) = await _wait(fake_api, COORDINATOR_USER, 1)
    assert "Перенос срока" in told.text and not told.callback_data
    assert len(fake_api.messages(COORDINATOR_USER)) == 1
    assert len(fake_api.messages(CONTACT_USER)) == 2  # the reminder, the confirmation
    with sqlite_factory.begin() as session:
        assert session.scalars(select(PostponementRequest)).all() == []
        own = session.scalars(select(Window).where(Window.agency_id == world.agency_id)).one()
        assert (own.start, own.end) == (date(2026, 5, 15), date(2026, 5, 15))


async def test_item_closed_and_reopened(fake_api: FakeBotApi, sqlite_factory, sqlite_url) -> None:
    world = seed(sqlite_factory)
    _plan(sqlite_factory, JUNE)
    planned = {r.id for r in _pending(sqlite_factory, world.item_id)}
    assert planned
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)):
        fake_api.send_command(COORDINATOR_USER, "item", "1.1")
        (card,) = await _wait(fake_api, COORDINATOR_USER, 1)
        fake_api.press_button(COORDINATOR_USER, card.message_id, f"lv:ic:{world.item_id}")
        closed = (await _wait(fake_api, COORDINATOR_USER, 2))[1]
        assert _pending(sqlite_factory, world.item_id) == []
        with sqlite_factory.begin() as session:
            reasons = {
                r.cancel_reason for r in session.scalars(select(Reminder)) if r.id in planned
            }
            assert reasons == {REASON_CLOSED}
        fake_api.press_button(COORDINATOR_USER, closed.message_id, f"lv:io:{world.item_id}")
        reopened = (await _wait(fake_api, COORDINATOR_USER, 3))[2]
        # The same lever twice: recorded once.
        fake_api.press_button(COORDINATOR_USER, reopened.message_id, f"lv:ic:{world.item_id}")
        fake_api.press_button(COORDINATOR_USER, reopened.message_id, f"lv:ic:{world.item_id}")
        await _wait(fake_api, COORDINATOR_USER, 5)
        fake_api.send_command(COORDINATOR_USER, "item", "1.1")
        history = (await _wait(fake_api, COORDINATOR_USER, 6))[5]
    texts = [m.text for m in fake_api.messages(COORDINATOR_USER)]
    assert len(texts) == 6
    assert "снят с контроля" in texts[1] and "отменено: 2 напоминания" in texts[1]
    assert "снова на контроле" in texts[2] and "(2 напоминания)" in texts[2]
    assert "уже снят с контроля" in texts[4]
    assert history.callback_data[3] == f"lv:io:{world.item_id}"  # closed: offers the return
    assert "снят с контроля (Пользователь 5001)" in history.text
    assert "возвращён на контроль (Пользователь 5001)" in history.text
    with sqlite_factory.begin() as session:
        kinds = [c.kind for c in session.scalars(select(ItemChange).order_by(ItemChange.id))]
        assert kinds == ["closed", "reopened", "closed"]
        assert session.get_one(Item, world.item_id).closed_at == JUNE


async def test_statuses_set_for_the_item_and_for_one_body(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    _plan(sqlite_factory, JUNE)
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)):
        fake_api.send_command(COORDINATOR_USER, "item", "1.1")
        (card,) = await _wait(fake_api, COORDINATOR_USER, 1)
        done = lever_data("is", world.item_id, 0, status=Status.DONE)
        fake_api.press_button(COORDINATOR_USER, card.message_id, done)
        await _wait(fake_api, COORDINATOR_USER, 2)
        assert _pending(sqlite_factory, world.item_id) == []
        back = lever_data("is", world.item_id, world.agency_id, status=Status.IN_PROGRESS)
        fake_api.press_button(COORDINATOR_USER, card.message_id, back, forge=True)
        await _wait(fake_api, COORDINATOR_USER, 3)
    texts = [m.text for m in fake_api.messages(COORDINATOR_USER)]
    assert len(texts) == 3
    assert "статус «Выполнено» записан для органа" in texts[1]
    assert "статус «В работе» записан" in texts[2]
    assert _pending(sqlite_factory, world.item_id)  # undone: reminders owed again
    with sqlite_factory.begin() as session:
        reports = session.scalars(select(StatusReport).order_by(StatusReport.id)).all()
        assert [(r.status, r.source, r.author) for r in reports] == [
            (Status.DONE, "coordinator", "Пользователь 5001"),
            (Status.IN_PROGRESS, "coordinator", "Пользователь 5001"),
        ]


async def test_an_agency_replaced_and_a_new_one_added(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    _plan(sqlite_factory, JUNE)
    old_reminders = {r.id for r in _pending(sqlite_factory, world.item_id)}
    chat = COORDINATOR_USER
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)):
        fake_api.send_command(chat, "item", "1.1")
        (card,) = await _wait(fake_api, chat, 1)
        fake_api.press_button(chat, card.message_id, f"lv:ib:{world.item_id}")
        bodies = (await _wait(fake_api, chat, 2))[1]
        fake_api.press_button(chat, bodies.message_id, f"lv:ia:{world.item_id}:{world.agency_id}")
        body = (await _wait(fake_api, chat, 3))[2]
        fake_api.press_button(chat, body.message_id, f"lv:rp:{world.item_id}:{world.agency_id}")
        choose = (await _wait(fake_api, chat, 4))[3]
        assert choose.callback_data == [f"lv:pk:{world.item_id}:{world.agency_id}:{world.other_id}"]
        fake_api.send_text(chat, "облисполкома могилёвского")  # words, another case, ё
        found = (await _wait(fake_api, chat, 5))[4]
        assert found.buttons[0][0][0] == OTHER
        fake_api.press_button(chat, found.message_id, found.callback_data[0])
        replaced = (await _wait(fake_api, chat, 6))[5]
        # Then a body Srok did not know, by its name.
        fake_api.press_button(chat, bodies.message_id, f"lv:ad:{world.item_id}")
        await _wait(fake_api, chat, 7)
        fake_api.send_text(chat, "Министерство культуры Республики Беларусь")
        offered = (await _wait(fake_api, chat, 8))[7]
        assert offered.buttons[-1][0][0] == "Новый орган: Министерство культуры Республики Беларусь"
        fake_api.press_button(chat, offered.message_id, offered.callback_data[-1])
        added = (await _wait(fake_api, chat, 9))[8]
    assert len(fake_api.messages(chat)) == 9
    assert f"вместо «{world_agency(sqlite_factory, world)}» отвечает «{OTHER}»" in replaced.text
    assert "добавлен ответственный орган «Министерство культуры" in added.text
    with sqlite_factory.begin() as session:
        new = session.scalars(
            select(Agency).where(Agency.name == "Министерство культуры Республики Беларусь")
        ).one()
        assert (new.side, new.timezone) == (Side.BY, "Europe/Minsk")
        bodies_now = set(
            session.scalars(
                select(Responsibility.agency_id).where(Responsibility.item_id == world.item_id)
            )
        )
        assert bodies_now == {world.other_id, new.id}
        old = [session.get_one(Reminder, rid) for rid in old_reminders]
        assert {(r.state, r.cancel_reason) for r in old} == {
            (ReminderState.CANCELLED, REASON_UNASSIGNED)
        }
        kinds = [c.kind for c in session.scalars(select(ItemChange).order_by(ItemChange.id))]
        assert kinds == ["agency_replaced", "agency_added"]
    owed = {r.agency_id for r in _pending(sqlite_factory, world.item_id)}
    assert owed == {world.other_id, new.id}


def world_agency(factory: sessionmaker[Session], world: World) -> str:
    with factory.begin() as session:
        return session.get_one(Agency, world.agency_id).name


async def test_a_contact_removed_from_the_agency_card(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    _plan(sqlite_factory, JUNE)
    with sqlite_factory.begin() as session:
        reminder = session.scalars(
            select(Reminder).where(Reminder.agency_id == world.agency_id)
        ).first()
        assert reminder is not None
        session.add(
            Delivery(
                reminder_id=reminder.id,
                contact_id=contact_id,
                chat_id=CONTACT_USER,
                state=ReminderState.PENDING,
                created_at=JUNE,
            )
        )
    chat = COORDINATOR_USER
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)):
        fake_api.send_command(chat, "agency", "по культуре")
        (card,) = await _wait(fake_api, chat, 1)
        fake_api.press_button(chat, card.message_id, f"lv:ac:{world.agency_id}")
        people = (await _wait(fake_api, chat, 2))[1]
        fake_api.press_button(chat, people.message_id, f"lv:cx:{contact_id}")
        removed = (await _wait(fake_api, chat, 3))[2]
        with sqlite_factory.begin() as session:
            gone = session.get_one(Contact, contact_id)
            assert not gone.active
            assert gone.inactive_reason == f"removed by coordinator: Пользователь 5001, {JUNE}"
        # Undone by a new invite: the same person, bound again.
        fake_api.press_button(chat, removed.message_id, f"lv:iv:{world.agency_id}")
        invite = (await _wait(fake_api, chat, 4))[3]
        token = re.search(r"start[= ]([\w-]+)", invite.text)
        assert token is not None and "Приглашение для органа" in invite.text
        fake_api.send_command(CONTACT_USER, "start", token.group(1))
        await _wait(fake_api, CONTACT_USER, 1)
    assert len(fake_api.messages(chat)) == 4
    assert len(fake_api.messages(CONTACT_USER)) == 1
    assert f"Контакт {CONTACT_USER} — ещё не отвечал(а)" in people.text
    assert "отключён" in removed.text
    with sqlite_factory.begin() as session:
        contact = session.get_one(Contact, contact_id)
        assert contact.active and contact.inactive_reason is None  # back, by the invite
        delivery = session.scalars(select(Delivery)).one()
        assert delivery.state == ReminderState.CANCELLED


async def test_a_coordinator_invited_in_chat(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    seed(sqlite_factory)
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_command(COORDINATOR_USER, "invite", "координатор")
        (invite,) = await _wait(fake_api, COORDINATOR_USER, 1)
        match = re.search(r"start[= ]([\w-]+)", invite.text)
        assert match is not None and "Приглашение координатора" in invite.text
        fake_api.send_command(NEW_COORDINATOR, "start", match.group(1))
        await _wait(fake_api, NEW_COORDINATOR, 1)
        fake_api.send_command(NEW_COORDINATOR, "item", "1.2")
        card = (await _wait(fake_api, NEW_COORDINATOR, 2))[1]
    assert "Пункт 1.2" in card.text and card.callback_data  # the levers are theirs now
    assert len(fake_api.messages(COORDINATOR_USER)) == 1
    assert len(fake_api.messages(NEW_COORDINATOR)) == 2  # the greeting, the card
    with sqlite_factory.begin() as session:
        bound = session.scalars(select(Contact).where(Contact.user_id == NEW_COORDINATOR)).one()
        assert (bound.role, bound.agency_id) == (Role.COORDINATOR, None)


def _tables(factory: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows but the ledger of updates (each press adds one)."""
    with factory.begin() as session:
        return {
            table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
            if table.name != "processed_updates"
        }


async def test_a_contact_pressing_any_lever_is_refused(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    _plan(sqlite_factory, JUNE)
    with sqlite_factory.begin() as session:
        request = PostponementRequest(
            item_id=world.item_id,
            agency_id=world.agency_id,
            contact_id=contact_id,
            windows=[["2026-05-15", "2026-05-15"]],
            requested_at=JUNE,
        )
        session.add(request)
        session.flush()
        request_id = request.id
    ids = {
        1: (world.item_id,),
        2: (world.item_id, world.agency_id),
        3: (world.item_id, world.agency_id, world.other_id),
    }
    special = {
        "pa": (request_id,),
        "pr": (request_id,),
        "ac": (world.agency_id,),
        "cx": (contact_id,),
        "iv": (world.agency_id,),
        "ik": (),
        "nw": (1,),
    }
    presses = [
        lever_data(
            action,
            *special.get(action, ids.get(count, ())),
            status=Status.DONE if action == "is" else None,
        )
        for action, count in ACTIONS.items()
    ]
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)) as app:
        _, message_id = await remind(app, sqlite_factory, world, contact_id)
        before = _tables(sqlite_factory)
        for number, data in enumerate(presses, start=2):
            fake_api.press_button(CONTACT_USER, message_id, data, forge=True)
            await _wait(fake_api, CONTACT_USER, number)
        fake_api.send_text(CONTACT_USER, "Министерство обороны")  # words no lever asked for
        await _wait(fake_api, CONTACT_USER, len(presses) + 2)
        after = _tables(sqlite_factory)
    replies = fake_api.messages(CONTACT_USER)[1 : len(presses) + 1]
    assert len(replies) == len(ACTIONS) == 17
    assert all("только координаторам" in m.text for m in replies)
    # Only the contact's words were recorded, as a comment on nothing: the unrouted reply.
    assert after == before
    assert not fake_api.messages(COORDINATOR_USER)


async def test_an_escalation_offers_a_new_reminder_and_the_contacts(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    with sqlite_factory.begin() as session:
        contact = session.scalars(select(Contact).where(Contact.user_id == CONTACT_USER)).one()
        contact.username = "kultura_smolensk"
        session.add(
            Reminder(
                dedup_key="escalation-test",
                item_id=world.item_id,
                agency_id=world.agency_id,
                kind=ReminderKind.ESCALATION,
                window_start=date(2026, 4, 1),
                window_end=Q2_END,
                due_at=JUNE,
                state=ReminderState.SENT,
                created_at=JUNE,
                updated_at=JUNE,
            )
        )
    from scheduler.runtime.reminder_text import reminder_content

    with sqlite_factory.begin() as session:
        rid = session.scalars(select(Reminder.id)).one()
        text, buttons = reminder_content(session, reminder_id=rid, now=JUNE)
    assert f"Контакт {CONTACT_USER} @kultura_smolensk" in text
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)) as app:
        from bot.handlers.levers import markup

        rows = tuple(tuple((b.text, b.callback_data) for b in row) for row in buttons)
        sent = await app.bot.send_message(COORDINATOR_USER, text, reply_markup=markup(rows))
        fake_api.press_button(COORDINATOR_USER, sent.message_id, buttons[0][0].callback_data)
        again = (await _wait(fake_api, COORDINATOR_USER, 2))[1]
    assert "уйдёт органу" in again.text
    assert len(fake_api.messages(COORDINATOR_USER)) == 2
    with sqlite_factory.begin() as session:
        manual = session.scalars(select(Reminder).where(Reminder.kind == ReminderKind.MANUAL))
        assert [(r.agency_id, r.state) for r in manual] == [
            (world.agency_id, ReminderState.PENDING)
        ]


async def test_stale_or_forged_ids_from_a_coordinator_change_nothing(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    _plan(sqlite_factory, JUNE)
    missing = 999_999
    presses = [
        lever_data(
            action,
            *([missing] * count),
            status=Status.DONE if action == "is" else None,
        )
        for action, count in ACTIONS.items()
        if count  # «ik» names nothing that could be stale
    ]
    presses.append(f"lv:rp:{world.item_id}:{world.other_id}")  # a body not on the item
    presses.append("lv:is:1:0:pp")  # «Перенос» is not a coordinator's status
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)):
        fake_api.send_command(COORDINATOR_USER, "item", "1.1")
        (card,) = await _wait(fake_api, COORDINATOR_USER, 1)
        before = _tables(sqlite_factory)
        for number, data in enumerate(presses, start=2):
            fake_api.press_button(COORDINATOR_USER, card.message_id, data, forge=True)
            await _wait(fake_api, COORDINATOR_USER, number)
        after = _tables(sqlite_factory)
    replies = [m.text for m in fake_api.messages(COORDINATOR_USER)[1:]]
    assert len(replies) == len(presses) == 18
    assert all("ничего не изменено" in text for text in replies), replies
    assert after == before


async def test_the_role_is_read_again_on_every_press(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    with sqlite_factory.begin() as session:
        bound = bind_contact(
            session,
            user_id=NEW_COORDINATOR,
            chat_id=NEW_COORDINATOR,
            agency_id=None,
            role=Role.COORDINATOR,
            now=JUNE,
        ).id
    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)):
        fake_api.send_command(NEW_COORDINATOR, "item", "1.1")
        (card,) = await _wait(fake_api, NEW_COORDINATOR, 1)
        with sqlite_factory.begin() as session:  # taken off while the card is open
            session.get_one(Contact, bound).active = False
        fake_api.press_button(NEW_COORDINATOR, card.message_id, f"lv:ic:{world.item_id}")
        refused = (await _wait(fake_api, NEW_COORDINATOR, 2))[1]
    assert "только координаторам" in refused.text
    assert len(fake_api.messages(NEW_COORDINATOR)) == 2
    with sqlite_factory.begin() as session:
        assert session.get_one(Item, world.item_id).closed_at is None
        assert session.scalars(select(ItemChange)).all() == []


async def test_a_refusal_in_a_coordinators_group(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    group = -100_500
    world = seed(sqlite_factory)
    contact_id = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    with sqlite_factory.begin() as session:
        request = PostponementRequest(
            item_id=world.item_id,
            agency_id=world.agency_id,
            contact_id=contact_id,
            windows=[["2026-05-15", "2026-05-15"]],
            requested_at=JUNE,
        )
        session.add(request)
        session.flush()
        request_id = request.id
    from bot.handlers.levers import markup
    from messages.levers import postponement_keyboard

    async with running_bot(_approval(fake_api, sqlite_url), sqlite_factory, Clock(JUNE)) as app:
        keyboard = markup(postponement_keyboard(request_id, state="pending"))
        shown = await app.bot.send_message(group, "Запрос на перенос", reply_markup=keyboard)
        fake_api.press_button(COORDINATOR_USER, shown.message_id, f"lv:pr:{request_id}", group)
        why = (await _wait(fake_api, group, 2))[1]
        fake_api.send_text(CONTACT_USER, "Не отклоняйте!", chat_id=group)  # not the one asked
        fake_api.send_text(COORDINATOR_USER, "Срок не переносится", group, why.message_id)
        refused = (await _wait(fake_api, group, 3))[2]
        told = (await _wait(fake_api, CONTACT_USER, 1))[0]
    assert len(fake_api.messages(group)) == 3
    assert "отклонён" in refused.text and "«Срок не переносится»" in told.text
    with sqlite_factory.begin() as session:
        row = session.get_one(PostponementRequest, request_id)
        assert (row.state, row.reason) == ("refused", "Срок не переносится")
