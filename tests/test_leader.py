"""The polling lock on PostgreSQL, the serialised re-plan, and one `srok run` per SQLite file."""

from __future__ import annotations

import asyncio
import logging
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from bot.app import build_application
from bot.cli import main
from bot.cli.run import _leadership
from bot.leader import PollingLeadership
from bot.runner import serve, webhook_secret
from bot.settings import Settings
from models.advisory import REPLAN, lock_key, serialise_in_transaction, share_in_transaction
from models.db import make_engine, make_session_factory, upgrade
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import replan_item
from tests.support.botkit import NOW, Clock, make_settings
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi

BOT_ID = 424242  # not the fake server's bot: no clash with a failover test's lock
ROOT = Path(__file__).resolve().parent.parent


def _terminate_holder(pg_url: str, key: int) -> int:
    """Kill the server backend that holds advisory lock `key` (a connection lost)."""
    engine = make_engine(pg_url)
    with engine.begin() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks "
                "WHERE locktype = 'advisory' AND granted "
                "AND ((classid::bigint << 32) | objid::bigint) = :key"
            ),
            {"key": key},
        ).scalar()
    engine.dispose()
    return int(killed or 0)


@pytest.mark.postgres
async def test_one_process_leads_the_other_takes_over_when_its_connection_drops(
    pg_url: str,
) -> None:
    first = PollingLeadership(pg_url, bot_id=BOT_ID, retry_seconds=0.05)
    second = PollingLeadership(pg_url, bot_id=BOT_ID, retry_seconds=0.05)
    other_bot = PollingLeadership(pg_url, bot_id=BOT_ID + 1, retry_seconds=0.05)
    stop = asyncio.Event()
    try:
        assert await first.acquire(stop)
        assert await other_bot.acquire(stop)  # another bot's lock is another key
        waiting = asyncio.create_task(second.acquire(stop))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # tried several times, still waiting
        watching = asyncio.create_task(first.watch(stop))
        assert _terminate_holder(pg_url, first.key) == 1
        assert await asyncio.wait_for(watching, 2) is False  # the leader knows it lost
        assert await asyncio.wait_for(waiting, 2) is True  # and the other one leads
        # The old leader comes back as a follower until the new one is gone.
        retry = asyncio.create_task(first.acquire(stop))
        await asyncio.sleep(0.2)
        assert not retry.done()
        second.release()
        assert await asyncio.wait_for(retry, 2) is True
        stop.set()
        assert await asyncio.wait_for(first.watch(stop), 1) is True
    finally:
        stop.set()
        for leadership in (first, second, other_bot):
            leadership.release()


@pytest.mark.postgres
async def test_a_waiting_process_stops_waiting_when_told_to_stop(pg_url: str) -> None:
    holder = PollingLeadership(pg_url, bot_id=BOT_ID, retry_seconds=0.05)
    waiter = PollingLeadership(pg_url, bot_id=BOT_ID, retry_seconds=10)
    stop = asyncio.Event()
    try:
        assert await holder.acquire(stop)
        waiting = asyncio.create_task(waiter.acquire(stop))
        await asyncio.sleep(0.1)
        stop.set()
        assert await asyncio.wait_for(waiting, 1) is False  # not after the 10 s pause
    finally:
        holder.release()
        waiter.release()


@pytest.mark.postgres
def test_re_plans_of_several_processes_run_one_after_another(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    key = lock_key(REPLAN)
    probe = "SELECT pg_try_advisory_xact_lock(:key)"
    with factory.begin() as session:
        assert serialise_in_transaction(session, key=key)
        with engine.connect() as other:
            assert other.execute(text(probe), {"key": key}).scalar() is False
    with engine.connect() as other:
        assert other.execute(text(probe), {"key": key}).scalar() is True  # freed at commit
    engine.dispose()


@pytest.mark.postgres
def test_a_contacts_re_plan_waits_for_the_daily_one(pg_url: str) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    done = threading.Event()

    def contact_re_plan() -> None:
        with factory.begin() as session:
            replan_item(session, policy=Policy(), now=NOW, item_id=1, reason="тест")
        done.set()

    with factory.begin() as daily:
        assert serialise_in_transaction(daily, key=lock_key(REPLAN))
        waiting = threading.Thread(target=contact_re_plan)
        waiting.start()
        assert not done.wait(0.3)  # held up while the daily re-plan's transaction lasts
    assert done.wait(10)
    waiting.join()
    # Contacts' re-plans share the lock: one does not wait for another.
    with factory.begin() as first, factory.begin() as second:
        assert share_in_transaction(first, key=lock_key(REPLAN))
        assert share_in_transaction(second, key=lock_key(REPLAN))
    engine.dispose()


def test_sqlite_and_webhooks_need_no_polling_lock(sqlite_url: str) -> None:
    token = {"telegram_bot_token": DEFAULT_TOKEN}
    assert _leadership(Settings(database_url=sqlite_url, **token)) is None  # type: ignore[arg-type]
    pg = "postgresql://postgres@127.0.0.1:5432/test"
    hooked = Settings(database_url=pg, webhook_url="https://x.org/telegram", **token)  # type: ignore[arg-type]
    assert _leadership(hooked) is None
    leadership = _leadership(Settings(database_url=pg, **token))  # type: ignore[arg-type]
    assert leadership is not None
    assert leadership.key == PollingLeadership(pg, bot_id=123456).key
    leadership.release()
    engine = make_engine(sqlite_url)
    with make_session_factory(engine).begin() as session:
        assert serialise_in_transaction(session, key=lock_key(REPLAN)) is False
    engine.dispose()


HOLD_LOCK = (
    "import sys, time; from scheduler.runtime.dispatch_lock import hold_dispatch_lock; "
    "hold_dispatch_lock(sys.argv[1]); print('held', flush=True); time.sleep(30)"
)


def test_a_second_srok_run_on_one_sqlite_file_is_refused_in_one_line(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    upgrade(make_engine(sqlite_url))
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, sqlite_url], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("DATABASE_URL", sqlite_url)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9")
        result = CliRunner().invoke(main, ["run"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 1
    assert result.stderr.startswith("srok: рассылку из этой базы SQLite уже ведёт другой процесс")
    assert result.stderr.count("\n") == 1


def test_webhook_processes_without_a_set_secret_agree_on_one() -> None:
    token = {"telegram_bot_token": DEFAULT_TOKEN, "webhook_url": "https://x.org/telegram"}
    one, two = (webhook_secret(Settings(**token)) for _ in range(2))  # type: ignore[arg-type]
    assert one == two and re.fullmatch(r"[A-Za-z0-9_-]{32,256}", one)
    assert "TEST-token" not in one
    other = webhook_secret(Settings(**{**token, "telegram_bot_token": "654321:other"}))  # type: ignore[arg-type]
    assert other != one
    assert webhook_secret(Settings(**token, webhook_secret="set-by-admin")) == "set-by-admin"  # type: ignore[arg-type]


@pytest.mark.postgres
async def test_a_leader_whose_connection_drops_stops_polling_then_leads_again(
    pg_url: str, fake_api: FakeBotApi, caplog: pytest.LogCaptureFixture
) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    settings = make_settings(fake_api, pg_url)
    app = build_application(settings, make_session_factory(engine), clock=Clock())
    leadership = PollingLeadership(pg_url, bot_id=BOT_ID, retry_seconds=0.1)
    stop = asyncio.Event()
    caplog.set_level(logging.WARNING, logger="srok")

    def said(words: str) -> int:
        return sum(words in record.getMessage() for record in caplog.records)

    serving = asyncio.create_task(
        serve(app, settings, stop=stop, poll_timeout=0.2, leadership=leadership)
    )
    try:
        await fake_api.until(lambda: fake_api.calls("getUpdates"), within=10)
        assert await asyncio.to_thread(_terminate_holder, pg_url, leadership.key) == 1
        await fake_api.until(lambda: said("polling stops") and said("polling leader") == 2)
        assert said("waiting for the lock again") == 1
        fake_api.send_command(7001, "start")
        await fake_api.until(lambda: any(m.from_bot for m in fake_api.messages(7001)))
    finally:
        stop.set()
        await asyncio.wait_for(serving, 10)
        engine.dispose()
