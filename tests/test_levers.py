"""The levers' domain and button data, without Telegram: the search for a body by words,
the callback data codec, the policy of an item taken off control."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from messages.levers import (
    ACTIONS,
    MAX_CALLBACK_BYTES,
    BadLeverDataError,
    lever_data,
    parse_lever,
)
from models import ReminderKind, Side, Status
from models.levers import Actor, LeverRefusedError, body_choices, close_item, set_status
from scheduler.rules.policy import (
    CANCEL_REASONS,
    REASON_CLOSED,
    Obligation,
    Policy,
    moot_reason,
    plan_specs,
)
from tests.support import builders

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
BODIES = [
    ("Департамент Смоленской области по культуре", Side.RU),
    ("Министерство культуры Республики Беларусь", Side.BY),
    ("Комитет экономики Могилёвского облисполкома", Side.BY),
    ("Главное управление МЧС России по Смоленской области", Side.RU),
    ("ОАО «Смоленский автоагрегатный завод»", Side.RU),
]


@pytest.fixture
def world(sqlite_factory: sessionmaker[Session]) -> dict[str, int]:
    with sqlite_factory.begin() as session:
        plan = builders.add_plan(session, at=NOW, source_name="p.txt", title="План 2026")
        section = builders.add_section(session, plan, "Культура")
        agencies = [builders.add_agency(session, n, s, at=NOW) for n, s in BODIES]
        item = builders.add_item(
            session,
            plan,
            "1.1",
            at=NOW,
            title="Дни культуры",
            section=section,
            deadline="II квартал 2026 года",
            windows=[(date(2026, 4, 1), date(2026, 6, 30))],
            agencies=[agencies[0]],
        )
        return {"item": item.id, **{n: a.id for (n, _), a in zip(BODIES, agencies, strict=True)}}


@pytest.mark.parametrize(
    ("words", "first"),
    [
        pytest.param("культура беларусь", BODIES[1][0], id="other-cases"),
        pytest.param("министерству культуры", BODIES[1][0], id="dative"),
        pytest.param("могилевского облисполкома", BODIES[2][0], id="e-for-yo"),
        pytest.param("МОГИЛЁВ", BODIES[2][0], id="upper-case"),
        pytest.param("мчс", BODIES[3][0], id="abbreviation"),
        pytest.param("автоагрегатный-завод", BODIES[4][0], id="hyphen"),
        pytest.param("смоленский   завод\n", BODIES[4][0], id="spaces-line-break"),
    ],
)
def test_a_body_found_by_words(
    sqlite_factory: sessionmaker[Session], world: dict[str, int], words: str, first: str
) -> None:
    with sqlite_factory.begin() as session:
        found = body_choices(session, item_id=world["item"], query=words)
    assert found and found[0].name == first
    # The body already answering for the item is never offered.
    assert BODIES[0][0] not in [a.name for a in found]


def test_no_words_offer_every_other_body(
    sqlite_factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    with sqlite_factory.begin() as session:
        assert len(body_choices(session, item_id=world["item"])) == len(BODIES) - 1
        assert body_choices(session, item_id=world["item"], query="обороны") == []
        assert body_choices(session, item_id=world["item"], query="по и в") == body_choices(
            session, item_id=world["item"]
        )  # only short words: no search


def test_a_coordinator_sets_only_their_statuses(
    sqlite_factory: sessionmaker[Session], world: dict[str, int]
) -> None:
    actor = Actor(1, "Координатор", None)
    with sqlite_factory.begin() as session:
        with pytest.raises(LeverRefusedError):
            set_status(
                session,
                actor=actor,
                item_id=world["item"],
                agency_id=None,
                status=Status.POSTPONED,
                now=NOW,
            )
        with pytest.raises(LeverRefusedError):  # a body not on the item
            set_status(
                session,
                actor=actor,
                item_id=world["item"],
                agency_id=world[BODIES[1][0]],
                status=Status.DONE,
                now=NOW,
            )
        assert close_item(session, actor=actor, item_id=world["item"], now=NOW)
        assert not close_item(session, actor=actor, item_id=world["item"], now=NOW)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_lever_data_round_trips_under_64_bytes(action: str) -> None:
    ids = (10**15 - 1,) * ACTIONS[action]
    status = Status.CANCELLED if action == "is" else None
    data = lever_data(action, *ids, status=status)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    lever = parse_lever(data)
    assert (lever.action, lever.ids, lever.status) == (action, ids, status)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "st:1:dn",
        "lv:zz:1",
        "lv:ic",
        "lv:ic:1:2",
        "lv:is:1:2",
        "lv:is:1:2:pp",
        "lv:ic:1:dn",
        "lv:ic:-1",
        "lv:ic:1 ",
        "lv:ic:1234567890123456",
        "lv:pk:1:2",
    ],
)
def test_other_data_is_not_a_lever(data: str | None) -> None:
    with pytest.raises(BadLeverDataError):
        parse_lever(data)


def test_a_closed_item_owes_nothing() -> None:
    window = (date(2026, 4, 1), date(2026, 6, 30))
    june = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
    ob = Obligation(1, 10, "RU", "Europe/Moscow", (window,), closed=True)
    assert plan_specs([ob], now=june, policy=Policy()) == []
    assert plan_specs([ob._replace(closed=False)], now=june, policy=Policy())
    assert moot_reason(ReminderKind.BEFORE_END, window, ob) == REASON_CLOSED
    assert moot_reason(ReminderKind.ASK_DATE, None, ob) == REASON_CLOSED
    assert REASON_CLOSED in CANCEL_REASONS  # so that returning it revives them
