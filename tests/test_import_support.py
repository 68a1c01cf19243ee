"""Shared by the import tests: a table dump, and fresh SQLite databases made fast.

Building the schema through Alembic costs more than most import tests themselves, so
SQLite-only tests copy a database migrated once per session. The cases that must hold
on both backends use the `db_url`/`session_factory` fixtures instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from models import Base
from models.db import make_engine, make_session_factory, upgrade


def dump(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in Base.metadata.sorted_tables
        }


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
def fast_sqlite_url(migrated_sqlite: Path, tmp_path: Path) -> str:
    """A URL to a fresh copy of the migrated SQLite database."""
    target = tmp_path / "fast.db"
    shutil.copyfile(migrated_sqlite, target)
    return f"sqlite:///{target}"


@pytest.fixture
def fast_sqlite(fast_sqlite_url: str) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh copy of the migrated SQLite database."""
    engine = make_engine(fast_sqlite_url)
    yield make_session_factory(engine)
    engine.dispose()
