"""Shared fixtures: fresh databases (SQLite and PostgreSQL) and the fake Bot API server.

Databases. `db_url`, `engine` and `session_factory` run a test twice, on a fresh SQLite
file and on a fresh PostgreSQL database, both built through the Alembic migrations
(never `create_all`) once per session and copied for each test, because the migrations
cost more than most tests (`migrated_sqlite`, `pg_template`).
`sqlite_factory` is that SQLite copy alone, for scenarios whose SQL the both-backend
tests already cover. All of them are the test's one SQLite file, `sqlite_url`: empty
unless one of them filled it (tests that migrate it themselves take it alone).

PostgreSQL tests use the server named by `SROK_TEST_PG_URL` (database `test` on
127.0.0.1:5432; under pytest-xdist a database per worker, see tests/support/postgres.py):
`pg_url` is an empty schema of the test's own, `pg_migrated_url` a migrated database of
its own; both are dropped afterwards. When the server is down these tests skip locally
but fail under CI (`CI` set), where they must run.

The fake Telegram Bot API server: `fake_api` (tests/support/fakebotapi/). And every test
fails when the bot opens a database session on the event loop (`no_database_on_the_loop`).
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory, upgrade
from tests.support.fakebotapi import FakeBotApi
from tests.support.loop_guard import LoopGuard
from tests.support.postgres import (
    PG_URL,
    create_database,
    database_url,
    drop_database,
    pg_available,
    pg_schema_url,
    worker_database,
)
from tests.support.reports_seed import Seeded, seed

# ---- PostgreSQL -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """This worker's database on the PostgreSQL server, or None when it is unreachable."""
    if not pg_available():
        yield None
        return
    yield worker_database(os.environ.get("PYTEST_XDIST_WORKER"))


def _require(pg_database: str | None) -> str:
    if pg_database is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_URL} is required under CI and is not reachable")
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable")
    return pg_database


@pytest.fixture
def pg_url(pg_database: str | None) -> Iterator[str]:
    """A URL to a fresh, empty schema on the local PostgreSQL server."""
    database = _require(pg_database)
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(database)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(schema, database)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_admin(pg_database: str | None) -> Iterator[Engine]:
    """An autocommit engine on this worker's database, to create and drop databases."""
    admin = make_engine(_require(pg_database), isolation_level="AUTOCOMMIT")
    yield admin
    admin.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_admin: Engine, pg_database: str) -> Iterator[str]:
    """A database migrated once (per process) that `pg_migrated_url` copies."""
    name = f"srok_template_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    create_database(pg_admin, name)
    try:
        engine = make_engine(database_url(pg_database, name))
        upgrade(engine)
        engine.dispose()  # a template must have no connections while it is copied
        yield name
    finally:
        drop_database(pg_admin, name)


@pytest.fixture
def pg_migrated_url(pg_admin: Engine, pg_template: str, pg_database: str) -> Iterator[str]:
    """A URL to a fresh database of the test's own, migrated (a copy of `pg_template`)."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    create_database(pg_admin, name, template=pg_template)
    try:
        yield database_url(pg_database, name)
    finally:
        drop_database(pg_admin, name)


# ---- SQLite ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file with the whole schema, built through the migrations once."""
    path = tmp_path_factory.mktemp("template") / "srok.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL to an empty SQLite file of the test's own."""
    return f"sqlite:///{tmp_path / 'srok.db'}"


@pytest.fixture
def migrated_sqlite_url(migrated_sqlite: Path, sqlite_url: str) -> str:
    """`sqlite_url`, its file a fresh copy of the migrated SQLite database."""
    shutil.copyfile(migrated_sqlite, sqlite_url.removeprefix("sqlite:///"))
    return sqlite_url


@pytest.fixture
def sqlite_factory(migrated_sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh migrated SQLite database only, for scenarios whose SQL
    the both-backend tests already cover (keeps the suite fast)."""
    engine = make_engine(migrated_sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def reports_seeded(sqlite_factory: sessionmaker[Session]) -> Seeded:
    """tests/support/reports_seed.py's plan, on `sqlite_factory`."""
    return seed(sqlite_factory)


# ---- Both backends --------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each test that takes it runs twice: on SQLite and on PostgreSQL; migrated when the
    test takes `engine` (or `session_factory`), else empty."""
    migrated = "engine" in request.fixturenames
    if request.param == "sqlite":
        return str(request.getfixturevalue("migrated_sqlite_url" if migrated else "sqlite_url"))
    return str(request.getfixturevalue("pg_migrated_url" if migrated else "pg_url"))


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on `db_url` (copied from a template migrated through Alembic)."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


# ---- Telegram -------------------------------------------------------------------------


@pytest.fixture
def fake_api() -> Iterator[FakeBotApi]:
    """A running fake Bot API server; the test fails if the bot called an unknown method."""
    with FakeBotApi() as api:
        yield api
    api.assert_no_unexpected()


# ---- No database on the event loop ----------------------------------------------------


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
