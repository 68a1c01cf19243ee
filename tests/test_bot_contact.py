"""End to end: /my, /upcoming, /help, coordinators' /start and group binding, command menus."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from models import Agency, Contact, Plan, Role
from tests.support import builders
from tests.support.botkit import (
    AGENCY,
    CONTACT_USER,
    COORDINATOR_USER,
    NOW,
    Clock,
    bind,
    make_settings,
    running_bot,
    seed,
)
from tests.support.fakebotapi import FakeBotApi


def _add_items(session_factory, world, count: int) -> None:  # type: ignore[no-untyped-def]
    """Many long items for the agency, so /my needs several messages."""
    with session_factory.begin() as session:
        plan = session.get_one(Plan, world.plan_id)
        agency = session.get_one(Agency, world.agency_id)
        may = [(date(2026, 5, 1), date(2026, 5, 31))]
        for n in range(count):
            title = f"Мероприятие {n} " + "очень длинное название " * 6
            builders.add_item(
                session,
                plan,
                f"9.{n}",
                at=NOW,
                title=title,
                deadline="май 2026 года",
                windows=may,
                agencies=[agency],
            )


async def test_my_upcoming_and_help(fake_api: FakeBotApi, sqlite_factory, sqlite_url) -> None:
    world = seed(sqlite_factory)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        fake_api.send_command(CONTACT_USER, "upcoming", "7")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        fake_api.send_command(CONTACT_USER, "upcoming", "20")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        fake_api.send_command(CONTACT_USER, "upcoming", "много")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 4)
        fake_api.send_command(CONTACT_USER, "help")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 5)
    my, week, soon, bad, helped = (m.text for m in fake_api.messages(CONTACT_USER))
    assert AGENCY in my and "1.1. Дни культуры <script>" in my
    assert "1.2" not in my  # another agency's item
    assert "Запланировано · ближайшая дата: 1 апреля 2026 г." in my
    assert "сроков у вашего органа нет" in week  # 1 April is 12 days after 20 March
    assert "1.1" in soon and "20 дней" in soon
    assert "от 1 до 366" in bad
    assert "/my" in helped and "/summary" not in helped


async def test_a_long_list_is_split_under_the_limit(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = seed(sqlite_factory)
    _add_items(sqlite_factory, world, 40)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) >= 2)
        fake_api.send_command(CONTACT_USER, "help")
        await fake_api.until(lambda: "/my" in fake_api.messages(CONTACT_USER)[-1].text)
    parts = fake_api.messages(CONTACT_USER)[:-1]
    assert len(parts) >= 2
    assert all(len(p.text) <= 4096 for p in parts)
    joined = "\n".join(p.text for p in parts)
    assert all(f"9.{n}." in joined for n in range(40))


async def test_coordinators_get_their_menu_and_bind_a_group(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    seed(sqlite_factory)
    group = -100500
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        assert fake_api.commands("default")  # published at start-up
        assert fake_api.commands("chat", COORDINATOR_USER)  # SROK_COORDINATOR_IDS
        fake_api.send_command(COORDINATOR_USER, "start")
        await fake_api.until(lambda: bool(fake_api.messages(COORDINATOR_USER)))
        fake_api.send_command(COORDINATOR_USER, "start", chat_id=group)
        fake_api.send_command(CONTACT_USER, "start", chat_id=group)
        await fake_api.until(lambda: len(fake_api.messages(group)) == 2)
        fake_api.send_command(COORDINATOR_USER, "help")
        await fake_api.until(lambda: len(fake_api.messages(COORDINATOR_USER)) == 2)
        fake_api.send_text(COORDINATOR_USER, "Как дела?")
        await fake_api.until(lambda: len(fake_api.messages(COORDINATOR_USER)) == 3)
    assert "ответьте на сообщение бота" in fake_api.messages(COORDINATOR_USER)[2].text
    assert "координатор" in fake_api.messages(COORDINATOR_USER)[0].text
    assert "/summary" in fake_api.messages(COORDINATOR_USER)[1].text
    bound, refused = (m.text for m in fake_api.messages(group))
    assert "Группа подключена" in bound and "только координатор" in refused
    menu = [c["command"] for c in fake_api.commands("chat", group)]
    assert "summary" in menu
    contact_menu = [c["command"] for c in fake_api.commands("default")]
    assert contact_menu == ["my", "upcoming", "help"]
    with sqlite_factory.begin() as session:
        rows = session.scalars(select(Contact).order_by(Contact.id)).all()
        assert [(c.chat_id, c.role, c.is_group) for c in rows] == [
            (COORDINATOR_USER, Role.COORDINATOR, False),
            (group, Role.COORDINATOR, True),
        ]


async def test_someone_not_bound_is_told_how_to_join(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    seed(sqlite_factory)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()):
        fake_api.send_command(7001, "my")
        fake_api.send_text(7001, "выполнено")
        await fake_api.until(lambda: len(fake_api.messages(7001)) == 2)
    assert all("ссылку-приглашение" in m.text for m in fake_api.messages(7001))
