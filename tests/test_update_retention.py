"""processed_updates keeps what replay and idempotency need: every id and its times; a
payload until handled, then for SROK_UPDATE_RETENTION_DAYS when it came from a contact or
a coordinator, and not at all when it came from a stranger."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import build_application
from bot.cli.run import _install_ticks
from models.chats.updates import (
    claim_updates,
    forget_strangers,
    prune_updates,
    record_updates,
    sender_of,
    unhandled_updates,
)
from models.db import make_engine, make_session_factory, upgrade
from models.schema.chats import ProcessedUpdate
from tests.support import botkit
from tests.support.botkit import make_settings, seed
from tests.support.fakebotapi import FakeBotApi

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
CONTACT, COORDINATOR, STRANGER = 6001, 5001, 9999
RETENTION = timedelta(days=30)


def _message(update_id: int, user_id: int, text: str = "привет") -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user_id, "type": "private"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Имя"},
            "text": text,
        },
    }


def _press(update_id: int, user_id: int) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": "1",
            "from": {"id": user_id, "is_bot": False, "first_name": "Имя"},
            "chat_instance": "x",
            "data": "st:1:done",
        },
    }


CHANNEL_POST = {"update_id": 15, "channel_post": {"message_id": 1, "date": 0, "chat": {"id": -1}}}


def _payloads(factory: sessionmaker[Session]) -> dict[int, bool]:
    """update_id -> whether its payload is still kept."""
    with factory.begin() as session:
        rows = session.execute(select(ProcessedUpdate.update_id, ProcessedUpdate.payload))
        return {update_id: payload is not None for update_id, payload in rows}


def _store(factory: sessionmaker[Session], updates: list[dict[str, Any]], handled: int) -> None:
    """Record `updates` at NOW and claim the first `handled` of them."""
    payloads = {u["update_id"]: u for u in updates}
    with factory.begin() as session:
        record_updates(session, payloads, now=NOW)
        claimed = {u["update_id"]: (lambda u=u: u) for u in updates[:handled]}
        claim_updates(session, claimed, now=NOW)


def test_the_sender_of_any_kind_of_update() -> None:
    assert sender_of(_message(1, CONTACT)) == CONTACT
    assert sender_of(_press(2, STRANGER)) == STRANGER
    assert sender_of(CHANNEL_POST) is None


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A migrated database: SQLite, then PostgreSQL."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def test_payloads_of_strangers_go_once_handled_and_of_contacts_after_the_retention(
    factory: sessionmaker[Session],
) -> None:
    sqlite_factory = factory
    world = seed(sqlite_factory)
    botkit.bind(sqlite_factory, CONTACT, world.agency_id)
    updates = [
        _message(11, CONTACT),
        _press(12, CONTACT),
        _message(13, COORDINATOR),  # configured in SROK_COORDINATOR_IDS only
        _message(14, STRANGER),
        CHANNEL_POST,
        _message(16, STRANGER, "/start"),  # not handled yet: kept for replay
    ]
    _store(sqlite_factory, updates, handled=5)

    with sqlite_factory.begin() as session:
        assert forget_strangers(session, known_users=[COORDINATOR]) == 2
    assert _payloads(sqlite_factory) == {
        11: True,
        12: True,
        13: True,
        14: False,
        15: False,
        16: True,
    }

    with sqlite_factory.begin() as session:
        later = NOW + RETENTION - timedelta(minutes=1)
        assert (
            prune_updates(session, now=later, retention=RETENTION, known_users=[COORDINATOR]) == 0
        )
    with sqlite_factory.begin() as session:
        later = NOW + RETENTION + timedelta(minutes=1)
        assert (
            prune_updates(session, now=later, retention=RETENTION, known_users=[COORDINATOR]) == 3
        )
    assert _payloads(sqlite_factory) == {
        11: False,
        12: False,
        13: False,
        14: False,
        15: False,
        16: True,
    }

    with sqlite_factory.begin() as session:
        # Idempotency holds without the payloads: a repeat is still known as handled.
        verdicts = record_updates(session, {u["update_id"]: u for u in updates}, now=later)
        assert verdicts == {11: False, 12: False, 13: False, 14: False, 15: False, 16: True}
        assert [p["update_id"] for p in unhandled_updates(session)] == [16]


def test_the_coordinator_ids_only_protect_when_given(sqlite_factory: sessionmaker[Session]) -> None:
    _store(sqlite_factory, [_message(21, COORDINATOR)], handled=1)
    with sqlite_factory.begin() as session:
        assert forget_strangers(session) == 1  # nobody says 5001 is a coordinator
    assert _payloads(sqlite_factory) == {21: False}


def test_the_daily_tick_prunes_and_the_sweep_forgets_strangers(
    sqlite_factory: sessionmaker[Session], sqlite_url: str, fake_api: FakeBotApi
) -> None:
    world = seed(sqlite_factory)
    botkit.bind(sqlite_factory, CONTACT, world.agency_id)
    long_ago = datetime.now(UTC) - timedelta(days=8)
    with sqlite_factory.begin() as session:
        updates = {1: _message(1, CONTACT), 2: _message(2, STRANGER)}
        record_updates(session, updates, now=long_ago)
        claim_updates(session, {i: (lambda u=u: u) for i, u in updates.items()}, now=long_ago)
    settings = make_settings(fake_api, sqlite_url, srok_update_retention_days=7)
    app = build_application(settings, sqlite_factory)
    _install_ticks(app, settings, sqlite_factory, asyncio.Event())
    assert app.job_queue is not None

    def tick(name: str) -> None:
        (job,) = app.job_queue.get_jobs_by_name(name)  # type: ignore[union-attr]
        asyncio.run(job.callback(None))

    tick("dispatch-sweep")
    assert _payloads(sqlite_factory) == {1: True, 2: False}
    tick("daily-refresh")
    assert _payloads(sqlite_factory) == {1: False, 2: False}
