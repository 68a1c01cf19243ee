"""Engines, sessions and schema migrations (Alembic, applied from code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, CursorResult, Engine, Result, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    InterfaceError,
    NoSuchModuleError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class DatabaseUnavailableError(Exception):
    """The database cannot be reached or opened; the message says which and why."""

    def __init__(self, url: str, why: str) -> None:
        self.url = url
        # Drivers' messages run over several lines; the caller prints one.
        self.why = " ".join(why.split())
        super().__init__(f"база данных {url} недоступна: {self.why}")


#: What a database that is down (or a full disk under SQLite) raises: worth trying again.
OUTAGE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
    DatabaseUnavailableError,
)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets foreign keys, WAL and a busy timeout."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailableError(url, f"неверный адрес ({exc})") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            kwargs.setdefault("connect_args", {"timeout": 30})
            engine = create_engine(parsed, **kwargs)
            event.listen(engine, "connect", _sqlite_pragmas)
            return engine
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        kwargs.setdefault("pool_pre_ping", True)
        return create_engine(parsed, **kwargs)
    except (ImportError, NoSuchModuleError) as exc:  # a driver Srok does not ship
        shown = parsed.render_as_string(hide_password=True)
        raise DatabaseUnavailableError(shown, f"драйвер {parsed.drivername} не установлен") from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def core(session: Session) -> Connection:
    """The session's connection, for Core statements on hot paths (a button press, a
    re-plan): `Session.execute` adds the ORM's per-statement setup, most of a small query's
    cost. Pending ORM changes are flushed first, so the statements see them."""
    session.flush()
    return session.connection()


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE run by `Session.execute` matched.

    The session types every result as a plain `Result`; a DML statement's is a
    `CursorResult`, which has the count."""
    return cast(CursorResult[Any], result).rowcount


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`; raises DatabaseUnavailableError if unreachable."""
    try:
        command.upgrade(alembic_config(engine), revision)
    except OperationalError as exc:
        raise DatabaseUnavailableError(
            engine.url.render_as_string(hide_password=True), str(exc.orig)
        ) from exc


def is_up_to_date(engine: Engine) -> bool:
    """True when the database is at the newest migration."""
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == set(script.get_heads())
