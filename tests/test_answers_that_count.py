"""Answers that count, end to end on the fake Bot API, walking simulated dates.

A date named for an undated item becomes the agency's window (no «Перенос», no
approval); words without «reply» find their item by number or by title words, or ask
which of several; a reply to the bot's own question is about its item. Every scenario
counts the messages each chat gets.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import ItemChange, Reminder, ReminderKind, ReminderState, Side, Status, StatusReport
from models.reports.catalog import list_items
from models.reports.exports import export_data
from models.reports.summary import build_summary
from models.schema.people import Contact
from models.schema.plans import Window
from models.statuses.agency_items import agency_items
from models.statuses.reports import current_statuses
from tests.support import botkit, builders
from tests.support.botkit import (
    AGENCY,
    CONTACT_USER,
    COORDINATOR_USER,
    OTHER,
    OTHER_USER,
    Clock,
    bind,
    card_data,
    make_settings,
    running_bot,
)
from tests.support.fakebotapi import FakeBotApi, FakeMessage
from tests.test_contact_day import (
    Walker,
    bind_coordinator,
    morning,
    pressed,
    sent_to,
    working_days,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)
Q2 = (date(2026, 4, 1), date(2026, 6, 30))
PRODEXPO = "Участие в выставке продуктов питания «Продэкспо-2026» с демонстрацией продукции"


def add_items(
    session_factory: sessionmaker[Session],
    items: dict[str, tuple[str, list[tuple[date, date]]]],
    *,
    other: str | None = None,
) -> tuple[int, dict[str, int]]:
    """AGENCY's items {number: (title, windows)} (no windows: undated); `other`: one more
    item with that number, of another agency. Returns (agency, {number: item})."""
    with session_factory.begin() as session:
        plan = builders.add_plan(session, at=AT, end=date(2028, 12, 31))
        agency = builders.add_agency(session, AGENCY, Side.RU, at=AT)
        stranger = builders.add_agency(session, OTHER, Side.BY, at=AT)
        ids = {
            number: builders.add_item(
                session, plan, number, at=AT, title=title, windows=windows, agencies=[agency]
            ).id
            for number, (title, windows) in items.items()
        }
        if other:
            ids["other"] = builders.add_item(
                session, plan, other, at=AT, title=PRODEXPO, windows=[Q2], agencies=[stranger]
            ).id
        return agency.id, ids


def statuses(session_factory: sessionmaker[Session]) -> dict[tuple[int, int], Status]:
    with session_factory.begin() as session:
        return current_statuses(session)


def reports(session_factory: sessionmaker[Session]) -> list[StatusReport]:
    with session_factory.begin() as session:
        return list(session.scalars(select(StatusReport).order_by(StatusReport.id)))


def own_windows(session_factory: sessionmaker[Session], item_id: int) -> set[tuple[date, date]]:
    with session_factory.begin() as session:
        rows = session.scalars(
            select(Window).where(Window.item_id == item_id, Window.agency_id.is_not(None))
        )
        return {(w.start, w.end) for w in rows}


def pending_kinds(session_factory: sessionmaker[Session], item_id: int) -> list[ReminderKind]:
    with session_factory.begin() as session:
        rows = session.scalars(
            select(Reminder).where(
                Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING
            )
        )
        return [r.kind for r in rows]


async def said(api: FakeBotApi, text: str, reply_to: int | None = None) -> FakeMessage:
    """The contact writes; returns the bot's answer (the next message in the chat)."""
    count = len(api.messages(CONTACT_USER))
    api.send_text(CONTACT_USER, text, reply_to_message_id=reply_to)
    await api.until(lambda: len(api.messages(CONTACT_USER)) > count)
    return api.messages(CONTACT_USER)[-1]


async def confirmed(api: FakeBotApi, question: FakeMessage) -> FakeMessage:
    ok = next(d for d in question.callback_data if d.startswith("ok:"))
    return await pressed(api, question, ok)


async def test_a_date_reply_on_an_undated_item_becomes_its_window(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(sqlite_factory, {"4.1": ("Выставка-ярмарка «Смоленский лён»", [])})
    item_id = ids["4.1"]
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind_coordinator(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 2)))
    # Postponements need approval here: a named date does not.
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        walker = Walker(app, sqlite_factory, clock)
        await walker.at(morning(date(2026, 3, 2)))  # the month's first working day
        (request,) = fake_api.messages(CONTACT_USER)
        assert "Назовите, пожалуйста, дату" in request.text
        assert f"st:{reminder_of(sqlite_factory, item_id)}:dt" in request.callback_data
        question = await said(fake_api, "10–12 апреля 2026 г.", reply_to=request.message_id)
        assert "срок: 10–12 апреля 2026 г." in question.text
        assert "новый срок" not in question.text
        done = await confirmed(fake_api, question)
        assert "Записано по пункту 4.1" in done.text and "Перенос" not in done.text
        await fake_api.until(lambda: bool(fake_api.messages(COORDINATOR_USER)))
        # No more date requests: the item has its date now; reminders go by it.
        for day in working_days(date(2026, 3, 3), date(2026, 4, 14)):
            await walker.at(morning(day))
        later = [m.text for m in fake_api.messages(CONTACT_USER)[2:]]
        assert [text.split("\n")[0] for text in later] == [
            "🔔 Скоро начинается срок исполнения",
            "⏳ Срок исполнения скоро истекает",
            "📋 Срок исполнения истёк — сообщите статус",
        ]
    assert own_windows(sqlite_factory, item_id) == {(date(2026, 4, 10), date(2026, 4, 12))}
    assert statuses(sqlite_factory).get((item_id, agency_id)) in (None, Status.PLANNED)
    assert [r.status for r in reports(sqlite_factory)] == []  # no «Перенос», no comment
    told = [m.text for m in fake_api.messages(COORDINATOR_USER)]
    assert sum("Назван срок" in text for text in told) == 1
    assert not any("Перенос" in text or "Согласовать" in text for text in told)
    with sqlite_factory.begin() as session:
        change = session.scalars(select(ItemChange)).one()
        assert change.kind == "window_changed"
    assert ReminderKind.ASK_DATE not in pending_kinds(sqlite_factory, item_id)
    # The request, the confirmation (edited in place), then the three reminders by the
    # date named; the coordinator: seven Monday digests and the one notice.
    assert sent_to(fake_api, CONTACT_USER) == 5
    assert sent_to(fake_api, COORDINATOR_USER) == 8


def reminder_of(session_factory: sessionmaker[Session], item_id: int) -> int:
    with session_factory.begin() as session:
        return session.scalars(
            select(Reminder.id).where(Reminder.item_id == item_id).order_by(Reminder.id)
        ).first()  # type: ignore[return-value]


async def test_the_name_a_date_button_asks_and_a_month_in_words_is_taken(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(sqlite_factory, {"4.2": ("Форум «Деловая Смоленщина»", [])})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 2)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        await Walker(app, sqlite_factory, clock).at(morning(date(2026, 3, 2)))
        (request,) = fake_api.messages(CONTACT_USER)
        data = next(d for d in request.callback_data if d.endswith(":dt"))
        fake_api.press_button(CONTACT_USER, request.message_id, data)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        asked = fake_api.messages(CONTACT_USER)[1]
        assert "Какой срок у пункта 4.2" in asked.text
        # Not a date first: asked again, nothing recorded.
        again = await said(fake_api, "уточняем", reply_to=asked.message_id)
        assert "Не удалось понять дату" in again.text
        question = await said(fake_api, "В октябре")  # the open question, no reply needed
        assert "1–31 октября 2026 г." in question.text
        await confirmed(fake_api, question)
    assert own_windows(sqlite_factory, ids["4.2"]) == {(date(2026, 10, 1), date(2026, 10, 31))}
    assert reports(sqlite_factory) == []
    assert sent_to(fake_api, CONTACT_USER) == 4  # request, question, «again», confirmation


async def test_free_words_about_the_only_undated_item_name_its_date(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(sqlite_factory, {"7": ("Международная выставка «Лён»", [])})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 2)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        question = await said(fake_api, "Выставка пройдёт 7–10 июля")
        assert "Записать по пункту 7" in question.text and "статус" not in question.text
        await confirmed(fake_api, question)
    assert own_windows(sqlite_factory, ids["7"]) == {(date(2026, 7, 7), date(2026, 7, 10))}
    assert sent_to(fake_api, CONTACT_USER) == 1


async def test_an_item_named_by_title_words_without_reply(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(
        sqlite_factory,
        {"12": ("Обмен делегациями", [Q2]), "13": (PRODEXPO, [Q2])},
        other="14",
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        question = await said(fake_api, "Продэкспо — выполнено")
        assert "Записать по пункту 13" in question.text and "Выполнено" in question.text
        await confirmed(fake_api, question)
        # Another case, a line break and lower case: the same item.
        question = await said(fake_api, "по продэкспо\nв работе")
        assert "Записать по пункту 13" in question.text and "В работе" in question.text
    assert statuses(sqlite_factory)[(ids["13"], agency_id)] == Status.DONE
    assert (ids["12"], agency_id) not in statuses(sqlite_factory)
    assert sent_to(fake_api, CONTACT_USER) == 2


async def test_an_item_named_by_number_without_reply(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(
        sqlite_factory,
        {"12": ("Обмен делегациями", [Q2]), "13": ("Семинар", [Q2]), "2.1": ("Форум", [Q2])},
        other="14",
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        question = await said(fake_api, "по п. 13 выполнено")
        assert "Записать по пункту 13" in question.text
        await confirmed(fake_api, question)
        question = await said(fake_api, "12 – в работе")
        assert "Записать по пункту 12" in question.text
        await confirmed(fake_api, question)
        question = await said(fake_api, "Пункт 2.1: перенос на 15 мая")
        assert "Записать по пункту 2.1" in question.text and "15 мая 2026 г." in question.text
        # Another agency's item 14 is not this contact's: nothing is matched by its number.
        answer = await said(fake_api, "по п. 14 выполнено")
        assert "Записать по пункту 14" not in answer.text
    assert statuses(sqlite_factory)[(ids["13"], agency_id)] == Status.DONE
    assert statuses(sqlite_factory)[(ids["12"], agency_id)] == Status.IN_PROGRESS
    assert sent_to(fake_api, CONTACT_USER) == 4


async def test_several_candidates_are_offered_and_each_press_is_checked(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(
        sqlite_factory, {"1": ("Обмен делегациями", [Q2]), "2": ("Семинар", [Q2])}, other="3"
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        choice = await said(fake_api, "Выполнено")
        assert "О каком пункте" in choice.text
        assert len(choice.callback_data) == 2
        question_id = choice.callback_data[0].split(":")[1]
        # A forged press for the other agency's item is refused and records nothing.
        fake_api.press_button(
            CONTACT_USER, choice.message_id, f"ch:{question_id}:{ids['other']}", forge=True
        )
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        picked = next(d for d in choice.callback_data if d.endswith(f":{ids['2']}"))
        question = await pressed(fake_api, choice, picked)
        assert "Записать по пункту 2" in question.text
        done = await confirmed(fake_api, question)
        assert "Записано по пункту 2" in done.text
        # A reply to the bot's answered confirmation is about its item still.
        answer = await said(fake_api, "Акт подписан", reply_to=done.message_id)
        assert "Комментарий к пункту 2 сохранён" in answer.text
    assert statuses(sqlite_factory)[(ids["2"], agency_id)] == Status.DONE
    assert (ids["1"], agency_id) not in statuses(sqlite_factory)
    assert [r.comment for r in reports(sqlite_factory) if r.comment] == [
        "Выполнено",
        "Акт подписан",
    ]
    # The choice (edited into the confirmation, then the result), a refusal, the comment.
    assert sent_to(fake_api, CONTACT_USER) == 3


async def test_two_contacts_of_one_agency_see_each_others_answer(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(
        sqlite_factory,
        {
            "5": ("Обмен делегациями", [Q2]),
            "6": ("Семинар", [(date(2026, 4, 6), date(2026, 9, 30))]),
        },
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind(sqlite_factory, OTHER_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        walker = Walker(app, sqlite_factory, clock)
        await walker.at(morning(date(2026, 3, 18)))  # item 5's heads-up, two weeks ahead
        (mine,) = fake_api.messages(CONTACT_USER)
        (theirs,) = fake_api.messages(OTHER_USER)
        assert "Пункт 5." in mine.text and "Пункт 5." in theirs.text
        done = next(d for d in mine.callback_data if d.endswith(":dn"))
        await pressed(fake_api, mine, done)
        await fake_api.until(lambda: bool(fake_api.messages(OTHER_USER)[0].history))
        seen = fake_api.messages(OTHER_USER)[0]
        assert "Отмечено: Выполнено — Контакт 6001" in seen.text
        assert seen.callback_data == theirs.callback_data  # still answerable
        # The other contact answers item 6 in words: the first contact's copy shows it.
        await walker.at(morning(date(2026, 3, 23)))  # item 6's heads-up
        mine6 = fake_api.messages(CONTACT_USER)[-1]
        theirs6 = fake_api.messages(OTHER_USER)[-1]
        assert "Пункт 6." in mine6.text and "Пункт 6." in theirs6.text
        fake_api.send_text(OTHER_USER, "в работе", reply_to_message_id=theirs6.message_id)
        await fake_api.until(lambda: len(fake_api.messages(OTHER_USER)) == 3)
        question = fake_api.messages(OTHER_USER)[2]
        ok = next(d for d in question.callback_data if d.startswith("ok:"))
        fake_api.press_button(OTHER_USER, question.message_id, ok)
        await fake_api.until(lambda: bool(fake_api.messages(CONTACT_USER)[-1].history))
        assert "Отмечено: В работе — Контакт 6002" in fake_api.messages(CONTACT_USER)[-1].text
        # Walk on to the end of June: item 5 is done, nobody is asked about it again.
        for day in working_days(date(2026, 3, 24), date(2026, 7, 3)):
            await walker.at(morning(day))
    for user in (CONTACT_USER, OTHER_USER):
        later = [m.text for m in fake_api.messages(user)]
        assert not any("Пункт 5." in text for text in later[1:]), user
    assert statuses(sqlite_factory)[(ids["5"], agency_id)] == Status.DONE
    # Each: the two heads-ups and item 6's progress requests of May, June and July (April's
    # waits 30 days after «В работе»); the other one also the confirmation.
    assert sent_to(fake_api, CONTACT_USER) == 5
    assert sent_to(fake_api, OTHER_USER) == 6


async def test_a_yearly_item_done_for_2026_is_still_reminded_in_2027(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    """«июнь – июль 2026 – 2028 годов»: «Выполнено» in 2026 closes 2026 only."""
    yearly = [(date(year, 6, 1), date(year, 7, 31)) for year in (2026, 2027, 2028)]
    agency_id, ids = add_items(sqlite_factory, {"8": ("Фестиваль «Славянский базар»", yearly)})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    clock = Clock(morning(date(2026, 5, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        walker = Walker(app, sqlite_factory, clock)
        await walker.at(morning(date(2026, 5, 18)))  # two weeks before 1 June 2026
        (heads_up,) = fake_api.messages(CONTACT_USER)
        assert "Начало: 1 июня 2026 г." in heads_up.text
        await pressed(
            fake_api, heads_up, next(d for d in heads_up.callback_data if d.endswith(":dn"))
        )
        for day in working_days(date(2026, 5, 19), date(2026, 8, 31)):
            await walker.at(morning(day))
        assert len(fake_api.messages(CONTACT_USER)) == 1  # nothing more about 2026
        for day in working_days(date(2027, 5, 10), date(2027, 6, 4)):
            await walker.at(morning(day))
    texts = [m.text for m in fake_api.messages(CONTACT_USER)]
    assert "Начало: 1 июня 2027 г." in texts[1]
    assert "Текущий статус" not in texts[1] or "Выполнено" not in texts[1]
    with sqlite_factory.begin() as session:
        pending = session.scalars(
            select(Reminder).where(
                Reminder.item_id == ids["8"], Reminder.state == ReminderState.PENDING
            )
        ).all()
        assert pending and all(r.window_start.year >= 2027 for r in pending)
    # 2026's heads-up (answered «Выполнено»), 2027's heads-up.
    assert sent_to(fake_api, CONTACT_USER) == 2
    # Status per window: `srok items --json`, /my.
    with sqlite_factory.begin() as session:
        (row,) = list_items(session, today=date(2027, 6, 2))
        (agency,) = row["agencies"]
        assert agency["status"] == "planned" and row["status"] == "planned"
        assert [w["status"] for w in agency["windows_status"]] == ["done", "planned", "planned"]
        assert agency["windows_status"][0]["window"] == ["2026-06-01", "2026-07-31"]
        (row,) = list_items(session, today=date(2026, 7, 1))
        assert row["agencies"][0]["status"] == "done" and row["status"] == "done"
        (entry,) = agency_items(session, agency_id=agency_id, today=date(2027, 6, 2))
        assert entry.status == Status.PLANNED
        # The summary and the exports: 2026 done; 2027 overdue once its window is over.
        in_2026 = build_summary(session, now=morning(date(2026, 8, 3)))
        assert in_2026.by_status.get("done") == 1 and not in_2026.overdue
        in_2027 = build_summary(session, now=morning(date(2027, 8, 2)))
        assert in_2027.by_status.get("done", 0) == 0
        assert [entry.window_end for entry in in_2027.overdue] == [date(2027, 7, 31)]
        exported = export_data(session, now=morning(date(2027, 6, 2)))
        (item_row,) = exported.plans[0].items
        assert item_row.status == Status.PLANNED


async def test_my_lists_open_items_with_buttons_to_cards_whose_buttons_work(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    agency_id, ids = add_items(
        sqlite_factory,
        {"1": ("Обмен делегациями", [Q2]), "2": ("Семинар", [Q2]), "3": ("Форум", [Q2])},
        other="4",
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    with sqlite_factory.begin() as session:
        done = StatusReport(
            item_id=ids["3"],
            agency_id=agency_id,
            status=Status.DONE,
            source="button",
            created_at=AT,
        )
        session.add(done)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (listing,) = fake_api.messages(CONTACT_USER)
        # Open items only: 3 is done, 4 is another agency's.
        assert listing.callback_data == [f"mc:{ids['1']}", f"mc:{ids['2']}"]
        fake_api.press_button(CONTACT_USER, listing.message_id, f"mc:{ids['2']}")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        card = fake_api.messages(CONTACT_USER)[1]
        assert "Пункт 2" in card.text and "Текущий статус: Запланировано" in card.text
        # A forged press: another agency's item, and data not on this message.
        fake_api.press_button(CONTACT_USER, listing.message_id, f"mc:{ids['other']}", forge=True)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        fake_api.press_button(CONTACT_USER, card.message_id, f"mi:{ids['1']}:dn", forge=True)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 4)
        assert statuses(sqlite_factory).get((ids["1"], agency_id)) is None
        card = await pressed(fake_api, card, card_data(card, f"mi:{ids['2']}:ip"))
        assert "Отмечено: В работе — Контакт 6001" in card.text
        assert "Текущий статус" not in card.text
        assert card.callback_data[0].startswith(f"mi:{ids['2']}:ip:")  # still answerable
        # A reply to the card in words is about its item.
        answer = await said(fake_api, "Ждём смету", reply_to=card.message_id)
        assert "Комментарий к пункту 2 сохранён" in answer.text
    assert statuses(sqlite_factory)[(ids["2"], agency_id)] == Status.IN_PROGRESS
    # The list, the card, two refusals, the comment saved.
    assert sent_to(fake_api, CONTACT_USER) == 5


async def test_a_contact_invited_to_a_second_agency_keeps_the_first(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    world = botkit.seed(sqlite_factory)
    first = bind(sqlite_factory, CONTACT_USER, world.agency_id)
    token = botkit.invite_token(sqlite_factory, world.other_id)
    clock = Clock(botkit.NOW)
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        fake_api.send_command(CONTACT_USER, "start", token)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (asked,) = fake_api.messages(CONTACT_USER)
        assert f"Вы уже отвечаете в боте за орган «{AGENCY}»" in asked.text
        assert f"Добавить орган «{OTHER}»?" in asked.text
        # Nothing changes before the tap; a forged proof is refused.
        with sqlite_factory.begin() as session:
            assert [c.agency_id for c in active_contacts(session)] == [world.agency_id]
        add = next(d for d in asked.callback_data if d.startswith("ad:"))
        forged = add[:-16] + "0" * 16
        fake_api.press_button(CONTACT_USER, asked.message_id, forged, forge=True)
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        assert not fake_api.messages(CONTACT_USER)[0].history  # the question stands
        fake_api.press_button(CONTACT_USER, asked.message_id, add)
        await fake_api.until(lambda: bool(fake_api.messages(CONTACT_USER)[0].history))
        assert OTHER in fake_api.messages(CONTACT_USER)[0].text
        with sqlite_factory.begin() as session:
            assert sorted(c.agency_id for c in active_contacts(session)) == sorted(
                [world.agency_id, world.other_id]
            )
            second = next(c.id for c in active_contacts(session) if c.agency_id == world.other_id)
        # Reminders of both agencies reach the chat, and a press on each is recorded.
        for item_id, agency_id, contact_id in (
            (world.item_id, world.agency_id, first),
            (world.other_item_id, world.other_id, second),
        ):
            reminder_id, message_id = await botkit.send_reminder(
                app.bot,
                sqlite_factory,
                item_id=item_id,
                agency_id=agency_id,
                contact_id=contact_id,
                chat_id=CONTACT_USER,
            )
            message = next(m for m in fake_api.messages(CONTACT_USER) if m.message_id == message_id)
            await pressed(fake_api, message, f"st:{reminder_id}:dn")
    assert statuses(sqlite_factory)[(world.item_id, world.agency_id)] == Status.DONE
    assert statuses(sqlite_factory)[(world.other_item_id, world.other_id)] == Status.DONE
    # The question (edited into the greeting), the refusal, the two reminders.
    assert sent_to(fake_api, CONTACT_USER) == 4


def active_contacts(session: Session) -> list[Contact]:
    return list(
        session.scalars(
            select(Contact).where(Contact.chat_id == CONTACT_USER, Contact.active.is_(True))
        )
    )


async def test_a_status_in_words_for_a_recurring_item_names_its_window(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    yearly = [(date(year, 6, 1), date(year, 7, 31)) for year in (2026, 2027, 2028)]
    agency_id, _ = add_items(
        sqlite_factory,
        {"8": ("Фестиваль «Славянский базар»", yearly), "9": ("Семинар", [Q2])},
    )
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind_coordinator(sqlite_factory)
    clock = Clock(morning(date(2027, 6, 10)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        question = await said(fake_api, "Славянский базар: выполнено")
        assert "Записать по пункту 8" in question.text
        assert "Выполнено — за срок 1 июня – 31 июля 2027 г." in question.text
        await confirmed(fake_api, question)
        fake_api.send_command(COORDINATOR_USER, "item", "8")
        await fake_api.until(lambda: bool(fake_api.messages(COORDINATOR_USER)))
    (shown,) = fake_api.messages(COORDINATOR_USER)
    assert (
        "по срокам: 1 июня – 31 июля 2026 г. — запланировано; "
        "1 июня – 31 июля 2027 г. — выполнено; 1 июня – 31 июля 2028 г. — запланировано"
    ) in shown.text
    with sqlite_factory.begin() as session:
        (row, _) = list_items(session, today=date(2027, 6, 10))
        statuses_2026_2028 = [w["status"] for w in row["agencies"][0]["windows_status"]]
    assert statuses_2026_2028 == ["planned", "done", "planned"]
    assert sent_to(fake_api, CONTACT_USER) == 1
