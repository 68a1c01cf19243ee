"""The database goes away during `srok run` and comes back: backoff, two log lines, no
traceback, updates unconfirmed until recorded, and every update handled once it returns.

SQLite's write error is injected below SQLAlchemy (the dialect's execute raises the
driver's own `sqlite3.OperationalError`, as a full disk does); PostgreSQL's outage is a
`pg_terminate_backend` of every connection of the test's schema while a proxy refuses
new ones (see test_leader.py for the polling lock's side).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from bot.app import build_application
from bot.leader import PollingLeadership
from bot.runner import serve
from models.db import make_engine, make_session_factory, upgrade
from models.schema.chats import ProcessedUpdate
from scheduler.runtime.outage import Outage
from scheduler.runtime.ticks import _guarded
from tests.support.botkit import Clock, make_settings, running_bot, seed
from tests.support.fakebotapi import FakeBotApi

BOT_ID = 434343  # a polling lock no other test takes


class DiskFault:
    """Makes every statement on `engine` fail as a full disk does, while `on`."""

    def __init__(self, engine: Engine, error: str = "database or disk is full") -> None:
        self.on = False
        self.error = error
        self.failures = 0
        event.listen(engine, "do_execute", self._execute)
        event.listen(engine, "do_executemany", self._execute)

    def _execute(self, *_args: Any) -> None:
        if self.on:
            self.failures += 1
            raise sqlite3.OperationalError(self.error)


@pytest.fixture
def fault(sqlite_factory: sessionmaker[Session]) -> Iterator[DiskFault]:
    yield DiskFault(sqlite_factory.kw["bind"])


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.CRITICAL]


@pytest.mark.parametrize("error", ["database or disk is full", "disk I/O error"])
async def test_polling_backs_off_while_the_database_is_down_and_recovers(
    fake_api: FakeBotApi,
    sqlite_url: str,
    sqlite_factory: sessionmaker[Session],
    fault: DiskFault,
    caplog: pytest.LogCaptureFixture,
    error: str,
) -> None:
    seed(sqlite_factory)
    fault.error = error
    settings = make_settings(fake_api, sqlite_url)
    caplog.set_level(logging.INFO)
    async with running_bot(settings, sqlite_factory, Clock()) as app:
        app.bot.ledger.outage = Outage("update ledger", first=0.02, cap=0.1)
        fault.on = True
        before = len(fake_api.calls("getUpdates"))
        update_id = fake_api.send_command(7001, "help")
        await asyncio.sleep(0.8)
        polls = fake_api.calls("getUpdates")[before:]
        # 0.02, 0.04, 0.08, then 0.1 a try: about ten; a hot loop makes hundreds.
        assert 3 <= len(polls) <= 15, len(polls)
        # Nothing recorded, so nothing confirmed: every poll still asks for this update.
        assert all(int(c.params.get("offset", 0)) <= update_id for c in polls)
        assert fake_api.messages(7001) == []
        fault.on = False
        await fake_api.until(lambda: bool(fake_api.messages(7001)))
    with sqlite_factory.begin() as session:
        row = session.get(ProcessedUpdate, update_id)
        assert row is not None and row.handled_at is not None
    assert len(fake_api.messages(7001)) == 1  # answered once
    down = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    back = [r for r in caplog.records if "database available again" in r.getMessage()]
    assert len(down) == 1 and error in down[0].getMessage() and len(back) == 1
    assert _tracebacks(caplog) == []


async def test_a_claim_that_meets_the_outage_is_replayed_when_the_database_returns(
    fake_api: FakeBotApi,
    sqlite_url: str,
    sqlite_factory: sessionmaker[Session],
    fault: DiskFault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Recorded while the database was up, claimed while it was down: handled afterwards."""
    seed(sqlite_factory)
    settings = make_settings(fake_api, sqlite_url)
    async with running_bot(settings, sqlite_factory, Clock()) as app:
        ledger = app.bot.ledger
        ledger.outage = Outage("update ledger", first=0.02, cap=0.1)
        recorded = ledger.record

        async def record_then_fail(*args: Any, **kwargs: Any) -> None:
            await recorded(*args, **kwargs)
            fault.on = True  # the claim that follows meets the outage

        ledger.record = record_then_fail  # type: ignore[method-assign]
        update_id = fake_api.send_command(7001, "help")
        await fake_api.until(lambda: fault.failures > 0)
        ledger.record = recorded  # type: ignore[method-assign]
        await asyncio.sleep(0.6)  # empty polls meanwhile: each probes, none says «back»
        assert fake_api.messages(7001) == []  # no «Что-то пошло не так» either
        fault.on = False
        await fake_api.until(lambda: bool(fake_api.messages(7001)))
    assert len(fake_api.messages(7001)) == 1
    said = [r.getMessage() for r in caplog.records if "update ledger: database" in r.getMessage()]
    assert len(said) == 2 and "unavailable" in said[0] and "available again" in said[1], said
    with sqlite_factory.begin() as session:
        assert session.get(ProcessedUpdate, update_id).handled_at is not None  # type: ignore[union-attr]
        assert session.scalar(select(func.count()).select_from(ProcessedUpdate)) == 1
    assert _tracebacks(caplog) == []


async def test_a_tick_survives_the_outage_with_one_line_each_way(
    sqlite_factory: sessionmaker[Session], fault: DiskFault, caplog: pytest.LogCaptureFixture
) -> None:
    def count() -> int:
        with sqlite_factory.begin() as session:
            return session.scalar(select(func.count()).select_from(ProcessedUpdate)) or 0

    async def sweep() -> object:
        return await asyncio.to_thread(count)

    tick = _guarded("dispatch-sweep", sweep)
    caplog.set_level(logging.INFO)
    fault.on = True
    for _ in range(5):
        await tick()
    fault.on = False
    await tick()
    await tick()
    lines = [r.getMessage() for r in caplog.records if "tick dispatch-sweep" in r.getMessage()]
    assert len(lines) == 2, lines
    assert "database unavailable" in lines[0] and "available again" in lines[1]
    assert _tracebacks(caplog) == []


class CuttableProxy:
    """A TCP proxy on 127.0.0.1 to PostgreSQL that the test can cut (every connection
    closed, new ones refused) and restore on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            doomed, self._sockets = self._sockets, set()
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() blocked on it
            listener.close()
        for sock in doomed:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_RDWR)


@pytest.mark.postgres
async def test_the_polling_leader_rides_out_a_postgresql_outage(
    fake_api: FakeBotApi, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = make_url(pg_url)
    proxy = CuttableProxy((url.host or "127.0.0.1", url.port or 5432))
    proxied = url.set(port=proxy.port).render_as_string(hide_password=False)
    engine = make_engine(proxied)
    upgrade(engine)
    factory = make_session_factory(engine)
    seed(factory)
    settings = make_settings(fake_api, proxied)
    app = build_application(settings, factory, clock=Clock())
    app.bot.ledger.outage = Outage("update ledger", first=0.02, cap=0.1)
    leadership = PollingLeadership(proxied, bot_id=BOT_ID, retry_seconds=0.05)
    stop = asyncio.Event()
    started = asyncio.Event()

    async def on_started(_: object) -> None:
        started.set()

    caplog.set_level(logging.INFO)
    serving = asyncio.create_task(
        serve(
            app, settings, stop=stop, poll_timeout=0.2, on_started=on_started, leadership=leadership
        )
    )
    try:
        await asyncio.wait_for(started.wait(), 10)
        await fake_api.until(lambda: bool(fake_api.calls("getUpdates")))
        proxy.cut()
        update_id = fake_api.send_command(7001, "help")
        await asyncio.sleep(0.8)
        assert not serving.done()  # no crash
        assert fake_api.messages(7001) == []
        proxy.restore()
        await fake_api.until(lambda: bool(fake_api.messages(7001)), within=10)
    finally:
        stop.set()
        await asyncio.wait_for(serving, 10)  # stops cleanly: no error escapes
        engine.dispose()
        proxy.cut()
    assert len(fake_api.messages(7001)) == 1
    assert update_id  # recorded once the database was back, then handled
    assert _tracebacks(caplog) == []
    lock_lines = [r for r in caplog.records if "polling lock: database" in r.getMessage()]
    assert len(lock_lines) <= 2  # one when it goes, one when it is back: not one per try


async def test_a_webhook_update_meets_the_outage_with_503_and_is_handled_when_resent(
    fake_api: FakeBotApi,
    sqlite_url: str,
    sqlite_factory: sessionmaker[Session],
    fault: DiskFault,
    caplog: pytest.LogCaptureFixture,
) -> None:
    seed(sqlite_factory)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = make_settings(
        fake_api, sqlite_url, webhook_url="https://srok.example.org/hook", webhook_port=port
    )
    caplog.set_level(logging.INFO)
    update = {
        "update_id": 777,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": 7001, "type": "private"},
            "from": {"id": 7001, "is_bot": False, "first_name": "Вера"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    async with running_bot(settings, sqlite_factory, Clock()):
        assert fake_api.webhook is not None
        headers = {"X-Telegram-Bot-Api-Secret-Token": fake_api.webhook["secret_token"]}
        url = f"http://127.0.0.1:{port}/hook"
        async with httpx.AsyncClient() as client:
            fault.on = True
            refused = [(await client.post(url, json=update, headers=headers)).status_code]
            refused.append((await client.post(url, json=update, headers=headers)).status_code)
            fault.on = False
            accepted = await client.post(url, json=update, headers=headers)
        assert refused == [503, 503] and accepted.status_code == 200
        await fake_api.until(lambda: bool(fake_api.messages(7001)))
    assert len(fake_api.messages(7001)) == 1
    down = [r for r in caplog.records if "database unavailable" in r.getMessage()]
    assert len(down) == 1
    assert _tracebacks(caplog) == []
