"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests use the server on 127.0.0.1:5432 (database `test`), each in a schema
of its own that is dropped afterwards. When the server is down they skip locally but
fail under CI (`CI` set), where they must run.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory, upgrade

PG_URL = os.environ.get("SROK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")
SAMPLES = Path(__file__).resolve().parent.parent / "models" / "samples"
ROADMAP_SAMPLE = SAMPLES / "smolensk_mogilev_roadmap_2026_2028.txt"
EVENTS_SAMPLE = SAMPLES / "smolensk_international_events_h1_2026.txt"
EVENTS_ASSIGNMENTS = SAMPLES / "smolensk_international_events_h1_2026.assignments.yaml"


def _pg_available() -> bool:
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def pg_schema_url(schema: str) -> str:
    """A PostgreSQL URL whose connections use `schema` as their search path."""
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL to a fresh, empty schema on the local PostgreSQL server."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_URL} is required under CI and is not reachable")
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'srok.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test that takes it runs twice: on a fresh SQLite file and a fresh PG schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'srok.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine (the schema is built through Alembic, not create_all)."""
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


class LoopGuard:
    """Fails a test in which the bot opens a database session on the event loop's thread.

    Handlers reach the database only through `bot.chat.off_loop` (a worker thread); a
    session opened where an event loop runs would stall every chat while it waits.
    """

    def __init__(self) -> None:
        self.violations: list[str] = []

    def guarded(self, factory: sessionmaker[Session]) -> sessionmaker[Session]:
        """`factory`'s sessions, each checked as it is opened (a violation is recorded,
        for the test's end, and raised, for the handler)."""
        base = factory.class_

        def opened(session: Session, *args: Any, **kwargs: Any) -> None:
            try:
                asyncio.get_running_loop()
            except RuntimeError:  # no loop runs in this thread: a worker thread
                base.__init__(session, *args, **kwargs)
                return
            self.violations.append("".join(traceback.format_stack(limit=12)[:-1]))
            raise AssertionError("a database session opened on the event loop")

        OffLoopSession = type("OffLoopSession", (base,), {"__init__": opened})
        return sessionmaker(class_=OffLoopSession, **factory.kw)


@pytest.fixture(autouse=True)
def no_database_on_the_loop(monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopGuard]:
    """Every Application a test builds (`bot.app.build_application`) gets the guarded
    session factory in its Services; the test fails if a handler opened a session on the
    event loop."""
    guard = LoopGuard()
    app = sys.modules.get("bot.app")  # only tests that build the bot have imported it
    if app is not None:
        services = app.Services

        def guarded_services(settings: Any, factory: sessionmaker[Session], *rest: Any) -> Any:
            return services(settings, guard.guarded(factory), *rest)

        monkeypatch.setattr(app, "Services", guarded_services)
    yield guard
    assert not guard.violations, "database session opened on the event loop:\n" + "\n".join(
        guard.violations
    )
