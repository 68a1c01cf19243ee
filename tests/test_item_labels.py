"""Two items listed with one number say which is which (issue 14): «п. 3» of two plans
(or of one person's two agencies) becomes «п. 3 · План …» in /my, in the choice buttons
and in batched lists; a number listed once stays as printed."""

from __future__ import annotations

from datetime import date

import pytest

from messages.formatting import distinct_labels
from tests.support.botkit import CONTACT_USER, Clock, make_settings, running_bot
from tests.support.fakebotapi import FakeBotApi
from tests.test_answers_that_count import said
from tests.test_contact_day import Walker, morning, sent_to
from tests.test_several_agencies import two_agencies

ROADMAP = "План мероприятий («Дорожная карта») по реализации Соглашения на 2026 – 2028 годы"
EVENTS = "План мероприятий («Дорожная карта») по реализации Соглашения на I полугодие 2026 года"
CULTURE = "Министерство культуры и туризма Смоленской области"
SPORT = "Министерство спорта Смоленской области"


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param(
            [("1", "План", CULTURE), ("2", "План", CULTURE)], ["1", "2"], id="numbers-once"
        ),
        pytest.param(
            [("3", "План", CULTURE), ("3", "Другой план", CULTURE), ("4", "План", CULTURE)],
            ["3 · План", "3 · Другой план", "4"],
            id="two-plans",
        ),
        pytest.param(
            [("3", ROADMAP, CULTURE), ("3.", EVENTS, CULTURE)],
            [
                "3 · План мероприятий … на 2026–2028 годы",
                "3. · План мероприятий … на I полугодие 2026 года",
            ],
            id="long-titles-keep-their-period",
        ),
        pytest.param(
            [("3", "План", CULTURE), ("3", "План", SPORT)],
            ["3 · Министерство культуры и туризма…", f"3 · {SPORT}"],
            id="one-plan-two-agencies",
        ),
        pytest.param(
            [("3", "План", CULTURE), ("3", "План", CULTURE)], ["3 · 1", "3 · 2"], id="count"
        ),
    ],
)
def test_labels(entries: list[tuple[str, str, str]], expected: list[str]) -> None:
    assert distinct_labels(entries) == expected


async def test_my_and_the_choice_buttons_tell_two_items_3_apart(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    _, _, ids, _, _ = two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 20)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock):
        fake_api.send_command(CONTACT_USER, "my")
        await fake_api.until(lambda: len(fake_api.messages(CONTACT_USER)) == 1)
        (listing,) = fake_api.messages(CONTACT_USER)
        assert "• 3 · План. Круглый стол" in listing.text
        assert "• 3 · Другой план. Форум регионов" in listing.text
        assert "• 1. Обмен делегациями" in listing.text  # a number listed once, as printed
        labels = [text for row in listing.buttons for text, _ in row]
        assert labels == ["п. 1", "п. 2", "п. 3 · План", "п. 3 · Другой план", "п. 5"]
        assert len(set(labels)) == len(labels)
        asked = await said(fake_api, "по п. 3 выполнено")
        assert "О каком пункте" in asked.text
        choices = [text for row in asked.buttons for text, _ in row]
        assert choices == ["п. 3 · План Круглый стол", "п. 3 · Другой план Форум регионов"]
        assert [d.split(":")[2] for d in asked.callback_data] == [
            str(ids["a3"]),
            str(ids["b3"]),
        ]
    assert sent_to(fake_api, CONTACT_USER) == 2


async def test_a_batched_list_tells_two_items_3_apart(
    fake_api: FakeBotApi, sqlite_factory, sqlite_url
) -> None:
    two_agencies(sqlite_factory)
    clock = Clock(morning(date(2026, 3, 18)))
    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, clock) as app:
        await Walker(app, sqlite_factory, clock).at(morning(date(2026, 3, 18)))
    (batch,) = fake_api.messages(CONTACT_USER)
    assert "На сегодня 5 пунктов" in batch.text
    lines = [line for line in batch.text.splitlines() if ". п. " in line]
    assert [line.split(" ", 1)[1].split(" — ")[0] for line in lines] == [
        "п. 3 · Другой план Форум регионов",
        "п. 5 Выставка продукции",
        "п. 1 Обмен делегациями",
        "п. 2 Семинар по таможенному делу",
        "п. 3 · План Круглый стол",
    ]
    buttons = [text for row in batch.buttons for text, _ in row]
    assert "п. 3 · План · Круглый стол" in buttons
    assert "п. 3 · Другой план · Форум регионов" in buttons
