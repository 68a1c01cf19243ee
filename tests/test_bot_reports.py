"""Reports that lead with the problems, end to end against the fake Bot API server."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.telegram_sender import TelegramSender, build_bot
from models import (
    Agency,
    Contact,
    Delivery,
    Item,
    Plan,
    Reminder,
    ReminderKind,
    ReminderState,
    Role,
)
from models.statuses.reports import record_report
from scheduler.rules.domain import Side, Status
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from tests.support.botkit import Clock, running_bot
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi
from tests.support.fakebotapi.rules import MAX_TEXT
from tests.support.reports_seed import (
    CONTACT_USER,
    COORDINATOR_USER,
    NOW,
    RU1,
    RU2,
    T0,
    add_agency,
    add_item,
    add_plan,
    bulk_plan,
    sent_request,
)

CONFIGURED = 5002
GROUP = -100_777


def _settings(api: FakeBotApi, factory: sessionmaker[Session]) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=DEFAULT_TOKEN,  # type: ignore[arg-type]
        telegram_api_base_url=api.root,
        database_url=factory.kw["bind"].url.render_as_string(hide_password=False),
        srok_coordinator_ids=[CONFIGURED],
    )


async def _ask(api: FakeBotApi, user: int, command: str, args: str = "") -> list:  # type: ignore[type-arg]
    before = len(api.messages(user))
    api.send_command(user, command, args)
    await api.until(lambda: len(api.messages(user)) > before)
    return api.messages(user)[before:]


async def _press(api: FakeBotApi, user: int, message, data: str, chat: int | None = None):  # type: ignore[no-untyped-def]
    """Press `data` on `message`; wait for the bot's answer to the press."""
    api.press_button(user, message.message_id, data, chat_id=chat)
    query = api.last_callback_query()
    await api.until(lambda: query.answered)
    return query


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _big_plan(factory: sessionmaker[Session]) -> int:
    """200 items all overdue since March, plus one escalation, one silent agency and one
    window ending within 14 days: every kind of problem, and far more than one message."""
    with factory.begin() as session:
        plan_id = bulk_plan(
            session, items=200, agencies=8, reports=0,
            agency_name="Министерство № {n} Смоленской области по делам очень длинного названия",
        )  # fmt: skip
        items = list(session.scalars(select(Item).where(Item.plan_id == plan_id)))
        agencies = list(session.scalars(select(Agency).order_by(Agency.id)))
        plan = session.get_one(Plan, plan_id)
        add_item(
            session, plan, "99.1", "Форум молодёжи", [(date(2026, 5, 1), date(2026, 5, 20))],
            [agencies[0]],
        )  # fmt: skip
        for kind, at in (
            (ReminderKind.STATUS_REQUEST, datetime(2026, 4, 2, 7, tzinfo=UTC)),
            (ReminderKind.REPEAT, datetime(2026, 4, 7, 7, tzinfo=UTC)),
            (ReminderKind.ESCALATION, datetime(2026, 4, 10, 7, tzinfo=UTC)),
        ):
            sent_request(session, items[5], agencies[-3], kind, at)
    return plan_id


async def test_summary_of_200_items_is_one_message_problems_first(
    fake_api: FakeBotApi, sqlite_factory
) -> None:
    plan_id = _big_plan(sqlite_factory)
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(NOW)):
        (summary,) = await _ask(fake_api, CONFIGURED, "summary")
        text = summary.text
        assert _units(text) <= MAX_TEXT
        order = [
            "Требует вашего внимания",
            "Эскалации: 1",
            "Просрочено: 200 пунктов",
            "Не отвечают на повторные запросы",
            "Сроки в ближайшие 14 дней: 1",
            "Итого: 201 пункт",
        ]
        positions = [text.index(part) for part in order]
        assert positions == sorted(positions)
        assert "до 20 мая: 99.1 Форум молодёжи" in text
        assert "… и ещё" in text  # the rest is behind «Все просроченные»
        assert summary.callback_data == ["rp:ov:0", "rp:ag:0", "rp:sc:0"]
        # «Все просроченные»: a new message, grouped by agency, with page buttons.
        before = len(fake_api.messages(CONFIGURED))
        await _press(fake_api, CONFIGURED, summary, "rp:ov:0")
        await fake_api.until(lambda: len(fake_api.messages(CONFIGURED)) > before)
        listing = fake_api.messages(CONFIGURED)[-1]
        assert listing.text.startswith("Просрочено: 200 пунктов у 8 органов")
        assert "Страница 1 из " in listing.text and _units(listing.text) <= MAX_TEXT
        assert listing.callback_data == ["rp:ov:0:1"]
        # The next page turns in place: the same message, edited.
        await _press(fake_api, CONFIGURED, listing, "rp:ov:0:1")
        await fake_api.until(lambda: "Страница 2 из " in listing.text)
        assert listing.callback_data == ["rp:ov:0:0", "rp:ov:0:2"]
        assert len(fake_api.messages(CONFIGURED)) == before + 1
        # «По органам»: every agency with its counts.
        await _press(fake_api, CONFIGURED, summary, "rp:ag:0")
        await fake_api.until(lambda: len(fake_api.messages(CONFIGURED)) > before + 1)
        by_agency = fake_api.messages(CONFIGURED)[-1].text
        assert by_agency.startswith("По ответственным органам")
        assert by_agency.count("Министерство №") == 8
        (one_plan,) = await _ask(fake_api, CONFIGURED, "summary", str(plan_id))
    assert one_plan.callback_data == [f"rp:ov:{plan_id}", f"rp:ag:{plan_id}", f"rp:sc:{plan_id}"]


async def test_overdue_is_grouped_by_agency_latest_first_and_paged(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    with sqlite_factory.begin() as session:
        bulk_plan(session, items=60, agencies=3, reports=0)
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(NOW)):
        (first,) = await _ask(fake_api, CONFIGURED, "overdue")
        pages = int(re.search(r"Страница 1 из (\d+)", first.text).group(1))  # type: ignore[union-attr]
        texts = [first.text]
        for page in range(1, pages):
            await _press(fake_api, CONFIGURED, first, f"rp:ov:0:{page}")
            await fake_api.until(lambda p=page: f"Страница {p + 1} из" in first.text)
            texts.append(first.text)
    assert pages > 1 and all(_units(t) <= MAX_TEXT for t in texts)
    assert all("обязательств" not in t for t in texts)
    listed = "\n".join(texts)
    # The latest first: 2.3 (ended 20 January) leads, before every Q1 item.
    assert listed.index("2.3 Дни культуры") < listed.index("1.1 Контракты")
    assert listed.count("• ") == 2 + 60 * 2  # every overdue pair exactly once
    # Grouped: each agency's header once, «(продолжение)» when a group spans pages.
    assert listed.count(f"{RU2} (RU) — 1 пункт") == 1


async def test_item_shows_the_reminder_trail_and_asks_which_plan(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    with sqlite_factory.begin() as session:
        reminder = session.scalars(
            select(Reminder).where(Reminder.item_id == reports_seeded.items["1.2"])
        ).one()
        contact = session.scalars(select(Contact).where(Contact.user_id == CONTACT_USER)).one()
        contact.username = "ivanova"
        session.add(
            Delivery(
                reminder_id=reminder.id, contact_id=contact.id, chat_id=CONTACT_USER,
                state=ReminderState.SENT, sent_at=reminder.sent_at, created_at=reminder.due_at,
            )
        )  # fmt: skip
        record_report(
            session, item_id=reports_seeded.items["1.2"], agency_id=reports_seeded.agencies["RU1"],
            status=Status.IN_PROGRESS, comment="монтаж стендов", source="button",
            now=datetime(2026, 5, 5, 8, tzinfo=UTC), author="user 6001", reminder_id=reminder.id,
        )  # fmt: skip
        other = add_plan(session, "План мероприятий на 2026 год", "events.txt")
        twin = add_item(session, other, "1.2", "Другая выставка", [], [])
        twin_id = twin.id
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(NOW)):
        (choice,) = await _ask(fake_api, CONFIGURED, "item", "1.2")
        assert "Пункт 1.2 есть в 2 планах. Какой план?" in choice.text
        assert choice.callback_data == [f"rp:it:{reports_seeded.items['1.2']}", f"rp:it:{twin_id}"]
        before = len(fake_api.messages(CONFIGURED))
        await _press(fake_api, CONFIGURED, choice, f"rp:it:{reports_seeded.items['1.2']}")
        await fake_api.until(lambda: len(fake_api.messages(CONFIGURED)) > before)
        shown = fake_api.messages(CONFIGURED)[-1].text
        (only,) = await _ask(fake_api, CONFIGURED, "item", "2.3 1")
    assert "Пункт 1.2 — Дорожная карта" in shown and "Другая выставка" not in shown
    assert "Напоминания\n• 4 мая 2026 г., 10:00 — запрос статуса, " + RU1 in shown
    assert ": user 6001 (@ivanova)" in shown
    assert "↳ ответ 5 мая 2026 г., 11:00: в работе — «монтаж стендов» (user 6001)" in shown
    assert shown.index("История") < shown.index("Напоминания")
    # 2.3: asked twice, never answered.
    assert only.text.count("↳ ответа не было") == 2 and "повторный запрос" in only.text


async def test_agency_prefers_a_whole_word_and_offers_choices(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    with sqlite_factory.begin() as session:
        add_agency(session, "Министерство культуры Смоленской области", Side.RU)
        add_agency(session, "Управление физкультуры и спорта Могилевского облисполкома", Side.BY)
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(NOW)):
        (word,) = await _ask(fake_api, CONFIGURED, "agency", "культуры")
        (vague,) = await _ask(fake_api, CONFIGURED, "agency", "смоленской")
        before = len(fake_api.messages(CONFIGURED))
        await _press(fake_api, CONFIGURED, vague, f"rp:an:{reports_seeded.agencies['RU2']}")
        await fake_api.until(lambda: len(fake_api.messages(CONFIGURED)) > before)
        chosen = fake_api.messages(CONFIGURED)[-1].text
    # «культуры» is a word of one name; inside «физкультуры» it is not.
    assert word.text.startswith("Министерство культуры Смоленской области (RU)")
    assert "подходит 3 органам. Выберите кнопкой" in vague.text
    assert len(vague.callback_data) == 3 and all(
        d.startswith("rp:an:") for d in vague.callback_data
    )
    assert chosen.startswith(f"{RU2} (RU)") and "2.3 Дни культуры" in chosen


async def test_a_contact_pressing_report_buttons_is_refused_and_nothing_changes(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(NOW)):
        (summary,) = await _ask(fake_api, CONFIGURED, "summary")
        (overdue,) = await _ask(fake_api, COORDINATOR_USER, "overdue")
        # A contact in their own chat, with data copied from a coordinator's keyboard.
        (mine,) = await _ask(fake_api, CONTACT_USER, "my")
        sent = len(fake_api.calls("sendMessage"))
        refusals = []
        for data in ("rp:ov:0", "rp:ag:0", "rp:sc:0", "rp:ov:0:1", "rp:it:1", "rp:an:1"):
            fake_api.press_button(CONTACT_USER, mine.message_id, data, forge=True)
            query = fake_api.last_callback_query()
            await fake_api.until(lambda q=query: q.answered)
            refusals.append(query)
        assert len(fake_api.calls("sendMessage")) == sent
    assert all(q.show_alert and "только для координаторов" in (q.text or "") for q in refusals)
    assert not fake_api.calls("editMessageText")
    assert summary.history == [] and overdue.history == []


async def test_the_digest_goes_once_per_coordinator_to_the_bound_group(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    now = datetime(2026, 5, 12, 9, tzinfo=UTC)  # a Tuesday, 12:00 in Moscow
    second = 5003
    with sqlite_factory.begin() as session:
        for user, chat, group in ((COORDINATOR_USER, GROUP, True), (second, second, False)):
            session.add(
                Contact(
                    user_id=user, chat_id=chat, is_group=group, role=Role.COORDINATOR,
                    name=f"Координатор {user}", created_at=T0,
                )
            )  # fmt: skip
        session.add(
            Reminder(
                dedup_key="digest:2026-W20", kind=ReminderKind.DIGEST, slot="2026-W20",
                due_at=now, state=ReminderState.PENDING, created_at=now, updated_at=now,
            )
        )  # fmt: skip
    async with build_bot(DEFAULT_TOKEN, fake_api.root) as bot:
        dispatcher = Dispatcher(
            sqlite_factory,
            TelegramSender(bot),
            config=DispatchConfig(owner="t"),
            pacer=Pacer.unlimited(),
        )
        await dispatcher.run_pass(now=now, clock=lambda: now)
    # The coordinator with a group gets it there, not privately; the other one privately.
    (digest,) = fake_api.messages(GROUP)
    assert fake_api.messages(COORDINATOR_USER) == []
    assert len(fake_api.messages(second)) == 1
    assert digest.text.startswith("🗓 Сводка для координатора на 12 мая 2026 г., 12:00")
    assert _units(digest.text) <= MAX_TEXT and "Главное" in digest.text
    assert digest.callback_data == ["rp:ov:0", "rp:ag:0", "rp:sc:0"]
    # In the group, a coordinator's press is answered there; a contact's is refused.
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(now)):
        refused = await _press(fake_api, CONTACT_USER, digest, "rp:ov:0", chat=GROUP)
        assert refused.show_alert and len(fake_api.messages(GROUP)) == 1
        await _press(fake_api, COORDINATOR_USER, digest, "rp:ov:0", chat=GROUP)
        await fake_api.until(lambda: len(fake_api.messages(GROUP)) == 2)
    assert fake_api.messages(GROUP)[-1].text.startswith("Просрочено: 2 пункта у 2 органов")


async def test_summary_of_several_plans_is_a_line_and_a_button_each(
    fake_api: FakeBotApi, sqlite_factory, reports_seeded
) -> None:
    with sqlite_factory.begin() as session:
        other = add_plan(session, "План мероприятий на первое полугодие 2026 года", "events.txt")
        agency = session.get_one(Agency, reports_seeded.agencies["RU2"])
        add_item(session, other, "1", "Концерт", [(date(2026, 5, 15), date(2026, 5, 15))], [agency])
        other_id = other.id
    async with running_bot(_settings(fake_api, sqlite_factory), sqlite_factory, Clock(NOW)):
        (plans,) = await _ask(fake_api, CONFIGURED, "summary")
        before = len(fake_api.messages(CONFIGURED))
        await _press(fake_api, CONFIGURED, plans, f"rp:sm:{other_id}")
        await fake_api.until(lambda: len(fake_api.messages(CONFIGURED)) > before)
        chosen = fake_api.messages(CONFIGURED)[-1]
        fake_api.send_command(CONFIGURED, "chart")
        # Two pictures drawn in a worker thread: slow on a busy machine.
        await fake_api.until(lambda: len(fake_api.calls("sendDocument")) == 2, within=30)
    assert "2 плана" in plans.text
    assert "6 пунктов; просрочено: 2; органов без ответа: 1;" in plans.text
    assert plans.callback_data == [f"rp:sm:{reports_seeded.plan_id}", f"rp:sm:{other_id}"]
    assert "План мероприятий на первое полугодие" in chosen.text
    assert "до 15 мая: 1 Концерт" in chosen.text
    assert chosen.callback_data == [f"rp:ov:{other_id}", f"rp:ag:{other_id}", f"rp:sc:{other_id}"]
    # One chart per plan, each a document.
    names = [c.files["document"].filename for c in fake_api.calls("sendDocument")]
    assert names == [
        f"srok-{reports_seeded.plan_id}-2026-05-10.png",
        f"srok-{other_id}-2026-05-10.png",
    ]
    assert not fake_api.calls("sendPhoto")
