"""A person who answers for several agencies, end to end on the fake Bot API: /my lists
every agency's open items (grouped by agency) with working card buttons, words without
«reply» find items of any of their agencies and are recorded for the matched item's
agency, the greeting names each agency. Every scenario counts the messages."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from models import Role, Side, Status
from models.chats.contacts import bind_contact
from tests.support import botkit, builders
from tests.support.botkit import (
    AGENCY,
    CONTACT_USER,
    OTHER,
    Clock,
    bind,
    card_data,
    make_settings,
    running_bot,
)
from tests.support.fakebotapi import FakeBotApi
from tests.test_answers_that_count import AT, Q2, confirmed, reports, said, statuses
from tests.test_contact_day import morning, pressed, sent_to


def two_agencies(
    session_factory: sessionmaker[Session],
) -> tuple[int, int, dict[str, int], int, int]:
    """AGENCY (bound first) with items 1, 2 and 3; OTHER (added later) with 3 and 5.
    Returns (first, second, {key: item}, first binding, second binding)."""
    with session_factory.begin() as session:
        plan = builders.add_plan(session, at=AT, end=date(2028, 12, 31))
        # Another plan for the second agency: an item 3 in each.
        other_plan = builders.add_plan(
            session, at=AT, end=date(2028, 12, 31), source_name="other.txt", title="Другой план"
        )
        first = builders.add_agency(session, AGENCY, Side.RU, at=AT)
        second = builders.add_agency(session, OTHER, Side.BY, at=AT)
        ids = {}
        for key, number, title, agency, in_plan in (
            ("a1", "1", "Обмен делегациями", first, plan),
            ("a2", "2", "Семинар по таможенному делу", first, plan),
            ("a3", "3", "Круглый стол", first, plan),
            ("b3", "3", "Форум регионов", second, other_plan),
            ("b5", "5", "Выставка продукции", second, other_plan),
        ):
            ids[key] = builders.add_item(
                session, in_plan, number, at=AT, title=title, windows=[Q2], agencies=[agency]
            ).id
        first_id, second_id = first.id, second.id
    first_binding = bind(session_factory, CONTACT_USER, first_id)
    with session_factory.begin() as session:
        second_binding = bind_contact(
            session,
            user_id=CONTACT_USER,
            chat_id=CONTACT_USER,
            agency_id=second_id,
            role=Role.CONTACT,
            now=botkit.NOW,
            name=f"Контакт {CONTACT_USER}",
            keep_others=True,
        ).id
    return first_id, second_id, ids, first_binding, second_binding


async def test_my_lists_both_agencies_and_their_cards_record_for_each(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    first, second, ids, _, _ = two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (listing,) = fake_api.messages(CONTACT_USER)
        assert AGENCY in listing.text and OTHER in listing.text
        assert listing.text.index(AGENCY) < listing.text.index("Обмен делегациями")
        assert listing.text.index(OTHER) < listing.text.index("Форум регионов")
        assert "Выставка продукции" in listing.text
        assert listing.callback_data == [f"mc:{ids[k]}" for k in ("a1", "a2", "a3", "b3", "b5")]
        # A card of the second agency's item: its status press is recorded for it.
        fake_api.press_button(CONTACT_USER, listing.message_id, f"mc:{ids['b5']}")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        card = fake_api.messages(CONTACT_USER)[1]
        assert "Пункт 5" in card.text and "Выставка продукции" in card.text
        await pressed(fake_api, card, card_data(card, f"mi:{ids['b5']}:ip"))
        # And one of the first agency's.
        fake_api.press_button(CONTACT_USER, listing.message_id, f"mc:{ids['a1']}")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        card = fake_api.messages(CONTACT_USER)[2]
        assert "Пункт 1" in card.text and "Обмен делегациями" in card.text
        await pressed(fake_api, card, card_data(card, f"mi:{ids['a1']}:dn"))
        # A reply in words to the second agency's card is about its item, for its agency.
        answer = await said(
            fake_api, "Ждём смету", reply_to=fake_api.messages(CONTACT_USER)[1].message_id
        )
        assert "Комментарий к пункту 5 сохранён" in answer.text
    found = statuses(sqlite_factory)
    assert found[(ids["b5"], second)] == Status.IN_PROGRESS
    assert found[(ids["a1"], first)] == Status.DONE
    assert [(r.item_id, r.agency_id) for r in reports(sqlite_factory) if r.comment] == [
        (ids["b5"], second)
    ]
    # The list, two cards, the comment saved.
    assert sent_to(fake_api, CONTACT_USER) == 4


async def test_words_name_an_item_of_the_older_agency_and_count_for_it(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    first, second, ids, first_binding, second_binding = two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        question = await said(fake_api, "по п. 2 выполнено")
        assert "Записать по пункту 2" in question.text
        await confirmed(fake_api, question)
        # By title words, an item of the newer agency.
        question = await said(fake_api, "Выставка продукции — в работе")
        assert "Записать по пункту 5" in question.text
        await confirmed(fake_api, question)
        # Number 3 is both agencies': which one is asked, and the pick counts for its own.
        choice = await said(fake_api, "пункт 3 – выполнено")
        assert "О каком пункте" in choice.text
        assert len(choice.callback_data) == 2
        picked = next(d for d in choice.callback_data if d.endswith(f":{ids['a3']}"))
        question = await pressed(fake_api, choice, picked)
        assert "Записать по пункту 3" in question.text
        await confirmed(fake_api, question)
    found = statuses(sqlite_factory)
    assert found[(ids["a2"], first)] == Status.DONE
    assert found[(ids["b5"], second)] == Status.IN_PROGRESS
    assert found[(ids["a3"], first)] == Status.DONE
    assert (ids["b3"], second) not in found
    by_item = {(r.item_id, r.agency_id): r.contact_id for r in reports(sqlite_factory) if r.status}
    assert by_item == {
        (ids["a2"], first): first_binding,
        (ids["b5"], second): second_binding,
        (ids["a3"], first): first_binding,
    }
    # Three questions (the choice edited into the third), nothing else.
    assert sent_to(fake_api, CONTACT_USER) == 3


async def test_the_greeting_names_every_agency(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "start")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (greeting,) = fake_api.messages(CONTACT_USER)
    assert "контакт нескольких органов" in greeting.text
    assert AGENCY in greeting.text and OTHER in greeting.text
    assert "Семинар по таможенному делу" in greeting.text and "Форум регионов" in greeting.text
    assert sent_to(fake_api, CONTACT_USER) == 1


async def test_upcoming_lists_every_agency_with_something_due(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "upcoming", "20")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        fake_api.send_command(CONTACT_USER, "upcoming", "5")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        due, nothing = fake_api.messages(CONTACT_USER)
    assert due.text.index(AGENCY) < due.text.index("Круглый стол") < due.text.index(OTHER)
    assert due.text.index(OTHER) < due.text.index("Выставка продукции")
    assert "сроков у ваших органов нет" in nothing.text
    assert sent_to(fake_api, CONTACT_USER) == 2
