"""No handler opens a database session on the event loop: every bot test runs with
conftest's `LoopGuard` (it fails the test); these show the guard itself at work."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import CommandHandler

from bot.chat import off_loop
from bot.services import SrokContext
from tests.support.botkit import CONTACT_USER, Clock, bind, make_settings, running_bot, seed
from tests.support.fakebotapi import FakeBotApi
from tests.support.loop_guard import LoopGuard


async def test_a_session_opened_on_the_loop_is_refused(
    sqlite_factory: sessionmaker[Session],
) -> None:
    guard = LoopGuard()
    guarded = guard.guarded(sqlite_factory)
    with pytest.raises(AssertionError, match="event loop"):
        guarded()
    assert len(guard.violations) == 1

    def in_a_worker() -> int:
        with guarded.begin() as session:
            return session.connection().exec_driver_sql("select 1").scalar_one()

    assert await asyncio.to_thread(in_a_worker) == 1
    assert len(guard.violations) == 1


async def test_a_handler_that_reads_the_database_on_the_loop_is_caught(
    fake_api: FakeBotApi,
    sqlite_factory: sessionmaker[Session],
    sqlite_url: str,
    no_database_on_the_loop: LoopGuard,
) -> None:
    world = seed(sqlite_factory)
    bind(sqlite_factory, CONTACT_USER, world.agency_id)
    seen: list[str] = []

    async def careless(update: Update, context: SrokContext) -> None:
        with context.services.session_factory.begin():  # on the loop: refused
            seen.append("careless")

    async def careful(update: Update, context: SrokContext) -> None:
        def read() -> None:
            with context.services.session_factory.begin():
                seen.append("careful")

        await off_loop(read)

    async with running_bot(make_settings(fake_api, sqlite_url), sqlite_factory, Clock()) as app:
        app.add_handler(CommandHandler("careless", careless), group=5)
        app.add_handler(CommandHandler("careful", careful), group=5)
        fake_api.send_command(CONTACT_USER, "careful")
        await fake_api.until(lambda: seen == ["careful"])
        fake_api.send_command(CONTACT_USER, "careless")
        await fake_api.until(lambda: bool(no_database_on_the_loop.violations))
    assert seen == ["careful"]
    assert "careless" in no_database_on_the_loop.violations[0]
    no_database_on_the_loop.violations.clear()  # caught as it should be: the test passes
