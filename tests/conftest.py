"""Shared fixtures: a fresh database per test, on SQLite and on PostgreSQL.

PostgreSQL tests use the server on 127.0.0.1:5432 (database `test`), each in a schema
of its own that is dropped afterwards. When the server is down they skip locally but
fail under CI (`CI` set), where they must run.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

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
