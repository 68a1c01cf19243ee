"""Seen updates: recorded on receipt, claimed once, the unclaimed ones replayed."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from sqlalchemy import Engine, event, func, select
from telegram import Update

from bot.updates import RecordingBot, UpdateLedger, UpdatesRequest
from models.chats.updates import (
    claim_update,
    claim_updates,
    record_update,
    record_updates,
    unhandled_updates,
)
from models.schema.chats import ProcessedUpdate
from tests.support.botkit import CONTACT_USER, NOW
from tests.support.fakebotapi import FakeBotApi


def test_record_claim_and_replay(session_factory) -> None:
    with session_factory.begin() as session:
        assert record_update(session, update_id=1, payload={"update_id": 1}, now=NOW)
        assert record_update(session, update_id=2, payload={"update_id": 2}, now=NOW)
        assert record_update(session, update_id=1, payload={"update_id": 1}, now=NOW)
    with session_factory.begin() as session:
        assert unhandled_updates(session) == [{"update_id": 1}, {"update_id": 2}]
        assert claim_update(session, update_id=1, payload=dict, now=NOW)
        assert not claim_update(session, update_id=1, payload=dict, now=NOW)
        # Once handled, receiving it again says so, and it is not replayed.
        assert not record_update(session, update_id=1, payload={"update_id": 1}, now=NOW)
        assert unhandled_updates(session) == [{"update_id": 2}]


def test_an_update_never_recorded_is_claimed_once(session_factory) -> None:
    calls = []

    def payload() -> dict[str, int]:
        calls.append(1)
        return {"update_id": 9}

    with session_factory.begin() as session:
        assert claim_update(session, update_id=9, payload=payload, now=NOW)
        assert not claim_update(session, update_id=9, payload=payload, now=NOW)
        assert unhandled_updates(session) == []
    assert calls == [1]


def test_a_batch_is_recorded_and_claimed_in_one_go(session_factory) -> None:
    with session_factory.begin() as session:
        assert record_updates(session, {1: {"update_id": 1}, 2: {"update_id": 2}}, now=NOW) == {
            1: True,
            2: True,
        }
        assert claim_updates(session, {1: dict}, now=NOW) == {1}
    with session_factory.begin() as session:
        # 1 was handled, 2 waits, 3 is new: one answer each, and nothing is written twice.
        verdicts = record_updates(session, {i: {"update_id": i} for i in (1, 2, 3)}, now=NOW)
        assert verdicts == {1: False, 2: True, 3: True}
        never_recorded = {"update_id": 4}
        claimed = claim_updates(
            session, {1: dict, 2: dict, 3: dict, 4: lambda: never_recorded}, now=NOW
        )
        assert claimed == {2, 3, 4}
        assert claim_updates(session, {2: dict, 4: dict}, now=NOW) == set()
        assert unhandled_updates(session) == []
        assert session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 4
        assert session.get(ProcessedUpdate, 4).payload == never_recorded


def _update(update_id: int) -> Update:
    return Update(update_id)


async def test_updates_starting_together_share_one_claim_transaction(
    engine: Engine, session_factory
) -> None:
    ledger = UpdateLedger(session_factory, lambda: NOW)
    await ledger.record([_update(i) for i in range(1, 6)])
    assert [await ledger.fresh(_update(i)) for i in range(1, 6)] == [True] * 5  # as queued
    commits: list[int] = []
    event.listen(engine, "commit", lambda _connection: commits.append(1))
    # Five handlers start in one tick, one of them for an update already being claimed.
    results = await asyncio.gather(
        *(ledger.claim(_update(i)) for i in (1, 2, 3, 4, 5)), ledger.claim(_update(3))
    )
    assert results == [True, True, True, True, True, False]
    assert len(commits) == 1
    assert not await ledger.claim(_update(2))  # a repeat, later
    assert await ledger.fresh(_update(6))  # not in a batch: recorded on its own
    assert not await ledger.fresh(_update(1))


async def test_a_failed_claim_reaches_each_waiting_handler(session_factory) -> None:
    def broken() -> datetime:
        raise RuntimeError("база недоступна")

    ledger = UpdateLedger(session_factory, broken)
    results = await asyncio.gather(
        ledger.claim(_update(1)), ledger.claim(_update(2)), return_exceptions=True
    )
    assert [str(result) for result in results] == ["база недоступна"] * 2
    assert await UpdateLedger(session_factory, lambda: NOW).claim(_update(1))  # nothing kept


async def test_a_polled_batch_is_recorded_as_telegram_sent_it(
    fake_api: FakeBotApi, session_factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The payload kept for a replay is the update's own JSON, not PTB's rebuilding of it."""
    first = fake_api.send_text(CONTACT_USER, "первое")
    second = fake_api.send_text(CONTACT_USER, "второе")
    ledger = UpdateLedger(session_factory, lambda: NOW)
    request = UpdatesRequest(pool_size=1)
    bot = RecordingBot(
        fake_api.token, base_url=fake_api.base_url, updates_request=request, ledger=ledger
    )

    def rebuilt(_: Update) -> dict[str, object]:
        raise AssertionError("the update was rebuilt with to_dict")

    monkeypatch.setattr(Update, "to_dict", rebuilt)
    async with bot:
        updates = await bot.get_updates(timeout=0)
    assert [update.update_id for update in updates] == [first, second]
    with session_factory.begin() as session:
        kept = {row.update_id: row.payload for row in session.scalars(select(ProcessedUpdate))}
    assert kept == request.received
    assert kept[second]["message"]["text"] == "второе"
    assert [await ledger.fresh(update) for update in updates] == [True, True]
