"""Two contacts of one agency see each other's answer on every kind of copy (issue 14):
a batched message (its item's line marked), a reminder sent in parts (the last part, with
the buttons), a recurring item's copy of another year's reminder (left alone). Each
scenario counts the edits each chat gets on the fake Bot API."""

from __future__ import annotations

from datetime import date

from models import ReminderKind
from tests.support.botkit import (
    CONTACT_USER,
    OTHER_USER,
    Clock,
    bind,
    card_data,
    make_settings,
    running_bot,
)
from tests.support.fakebotapi import FakeBotApi
from tests.test_answers_that_count import Q2, add_items
from tests.test_contact_day import Walker, morning, pressed, reminders


def edits_in(api: FakeBotApi, chat_id: int) -> list[int]:
    """The message ids the bot edited in a chat, one per edit."""
    return [
        int(c.params["message_id"])
        for c in api.calls("editMessageText")
        if int(c.params.get("chat_id", 0)) == chat_id
    ]


async def test_a_batched_copy_marks_the_answered_items_line(
    fake_api: FakeBotApi, session_factory, db_url
) -> None:
    agency_id, ids = add_items(
        session_factory, {"5": ("Обмен делегациями", [Q2]), "6": ("Семинар", [Q2])}
    )
    bind(session_factory, CONTACT_USER, agency_id)
    bind(session_factory, OTHER_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 18)))
    async with running_bot(make_settings(fake_api, db_url), session_factory, clock) as app:
        await Walker(app, session_factory, clock).at(morning(date(2026, 3, 18)))
        (mine,) = fake_api.messages(CONTACT_USER)
        (theirs,) = fake_api.messages(OTHER_USER)
        assert "На сегодня 2 пункта" in mine.text and "На сегодня 2 пункта" in theirs.text
        heads_up = {
            r.item_id: r.id for r in reminders(session_factory) if r.kind == ReminderKind.HEADS_UP
        }
        card = await pressed(fake_api, mine, f"cd:{heads_up[ids['5']]}")
        card = await pressed(fake_api, card, f"st:{heads_up[ids['5']]}:dn")
        assert "Отмечено: Выполнено — Контакт 6001" in card.text
        await fake_api.until(lambda: bool(edits_in(fake_api, OTHER_USER)))
        seen = fake_api.messages(OTHER_USER)[0]
        assert "На сегодня 2 пункта" in seen.text
        (line5,) = [line for line in seen.text.splitlines() if "п. 5" in line]
        assert line5.endswith("(отмечено: Выполнено — Контакт 6001)")
        (line6,) = [line for line in seen.text.splitlines() if "п. 6" in line]
        assert "отмечено" not in line6
        assert seen.callback_data == theirs.callback_data  # each item's card, as before
    # One edit of the colleague's list, and nothing else in their chat.
    assert edits_in(fake_api, OTHER_USER) == [theirs.message_id]
    assert len(fake_api.messages(OTHER_USER)) == 1
    # The presser's own message: the card, the press, nothing from the copy.
    assert edits_in(fake_api, CONTACT_USER) == [mine.message_id] * 2


async def test_a_copy_sent_in_parts_shows_the_answer_on_its_last_part(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    long_title = " ".join(["Межрегиональный форум сотрудничества"] * 150)  # ~5,500 characters
    agency_id, _ = add_items(sqlite_factory, {"7": (long_title, [Q2])})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind(sqlite_factory, OTHER_USER, agency_id)
    clock = Clock(morning(date(2026, 3, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        await Walker(app, sqlite_factory, clock).at(morning(date(2026, 3, 18)))
        mine = fake_api.messages(CONTACT_USER)
        theirs = fake_api.messages(OTHER_USER)
        assert len(mine) == len(theirs) == 2  # the reminder in two parts each
        assert not theirs[0].callback_data and theirs[1].callback_data
        done = next(d for d in mine[1].callback_data if d.endswith(":dn"))
        await pressed(fake_api, mine[1], done)
        await fake_api.until(lambda: bool(edits_in(fake_api, OTHER_USER)))
        last = fake_api.messages(OTHER_USER)[1]
        assert "Отмечено: Выполнено — Контакт 6001" in last.text
        assert last.callback_data == theirs[1].callback_data  # still answerable
        assert len(last.text) <= 4096
    assert edits_in(fake_api, OTHER_USER) == [theirs[1].message_id]
    assert fake_api.messages(OTHER_USER)[0].history == []  # the first part stays as sent


async def test_a_yearly_items_copy_of_another_years_reminder_is_left_alone(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    """The colleague's copy is 2026's status request; the answer is about 2027: not shown
    there (it would read as an answer about 2026)."""
    yearly = [(date(year, 6, 1), date(year, 7, 31)) for year in (2026, 2027, 2028)]
    agency_id, _ = add_items(sqlite_factory, {"8": ("Фестиваль «Славянский базар»", yearly)})
    bind(sqlite_factory, CONTACT_USER, agency_id)
    bind(sqlite_factory, OTHER_USER, agency_id)
    clock = Clock(morning(date(2026, 8, 3)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        await Walker(app, sqlite_factory, clock).at(morning(date(2026, 8, 3)))
        (mine,) = fake_api.messages(CONTACT_USER)
        assert len(fake_api.messages(OTHER_USER)) == 1  # 2026's status request, too
        clock.now = morning(date(2027, 6, 10))
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 2)
        listing = fake_api.messages(CONTACT_USER)[1]
        fake_api.press_button(CONTACT_USER, listing.message_id, listing.callback_data[0])
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 3)
        card = fake_api.messages(CONTACT_USER)[2]
        assert "за срок 1 июня – 31 июля 2027 г." in card.text
        item = listing.callback_data[0].split(":")[1]
        await pressed(fake_api, card, card_data(card, f"mi:{item}:ip"))
        # 2026's request answered in 2027: that copy is about the same window, and shows it.
        await pressed(fake_api, mine, next(d for d in mine.callback_data if d.endswith(":dn")))
        await fake_api.until(lambda: bool(edits_in(fake_api, OTHER_USER)))
    (copy,) = fake_api.messages(OTHER_USER)
    assert edits_in(fake_api, OTHER_USER) == [copy.message_id]
    assert "Отмечено: Выполнено — Контакт 6001" in copy.text
    assert "В работе" not in copy.text
