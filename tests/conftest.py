"""Shared fixtures: fresh databases (SQLite and PostgreSQL) and the fake Bot API server.

Databases. `db_url`, `engine` and `session_factory` run a test twice, on a fresh SQLite
file and on a fresh PostgreSQL schema, both built through the Alembic migrations (never
`create_all`). SQLite copies a file migrated once per session (the migrations cost more
than most tests; `migrated_sqlite`); PostgreSQL migrates each test's own schema.
`sqlite_factory` is that SQLite copy alone, for scenarios whose SQL the both-backend
tests already cover; `sqlite_url` an empty file, for tests that migrate it themselves.

PostgreSQL tests use the server named by `SROK_TEST_PG_URL` (database `test` on
127.0.0.1:5432; under pytest-xdist a database per worker, see tests/support/postgres.py),
each in a schema of its own that is dropped afterwards. When the server is down they
skip locally but fail under CI (`CI` set), where they must run.

The fake Telegram Bot API server: `fake_api` (tests/support/fakebotapi/).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, make_session_factory, upgrade
from tests.support.fakebotapi import FakeBotApi
from tests.support.postgres import PG_URL, pg_available, pg_schema_url, worker_database
from tests.support.reports_seed import Seeded, seed

# ---- PostgreSQL -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """This worker's database on the PostgreSQL server, or None when it is unreachable."""
    if not pg_available():
        yield None
        return
    yield worker_database(os.environ.get("PYTEST_XDIST_WORKER"))


@pytest.fixture
def pg_url(pg_database: str | None) -> Iterator[str]:
    """A URL to a fresh, empty schema on the local PostgreSQL server."""
    if pg_database is None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at {PG_URL} is required under CI and is not reachable")
        pytest.skip(f"PostgreSQL at {PG_URL} is not reachable")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = make_engine(pg_database)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(schema, pg_database)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


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
def migrated_sqlite_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    """A URL to a fresh copy of the migrated SQLite database."""
    target = tmp_path / "migrated.db"
    shutil.copyfile(migrated_sqlite, target)
    return f"sqlite:///{target}"


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
    """Each test that takes it runs twice: on an empty SQLite file and an empty PG schema."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def engine(request: pytest.FixtureRequest, db_url: str) -> Iterator[Engine]:
    """A migrated engine on `db_url`'s backend (SQLite: a copy of `migrated_sqlite`)."""
    if db_url.startswith("sqlite"):
        shutil.copyfile(
            request.getfixturevalue("migrated_sqlite"), db_url.removeprefix("sqlite:///")
        )
        engine = make_engine(db_url)
    else:
        engine = make_engine(db_url)
        upgrade(engine)
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
