"""The PostgreSQL server the tests (and `bench/planning.py`, `bench/summary.py`) use.

`SROK_TEST_PG_URL` (default: database `test` on 127.0.0.1:5432, user postgres) names it.
Under pytest-xdist each worker has a database of its own (`test_gw0`, `test_gw1`, …,
created on first use), because advisory locks and the migrations' lock are per
database: two workers in one database would wait for, or steal, each other's locks.
Inside its database every test has a schema of its own, or, when it wants the schema
migrated, a database of its own copied from a template migrated once (`CREATE DATABASE …
TEMPLATE`, some 30 ms against some 300 ms for the migrations).
"""

from __future__ import annotations

import os

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from models.db import make_engine

PG_URL = os.environ.get("SROK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def pg_schema_url(schema: str, base: str = PG_URL) -> str:
    """A URL to `base` whose connections use `schema` as their search path."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def pg_available(url: str = PG_URL) -> bool:
    """True when the server answers at `url`."""
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def worker_database(worker: str | None, base: str = PG_URL) -> str:
    """The URL of the database for pytest-xdist's `worker` (`gw0`, …): `base`'s database
    name with `_<worker>` appended, created empty if missing; `base` itself outside xdist."""
    if not worker or worker == "master":
        return base
    url = make_url(base)
    name = f"{url.database}_{worker}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    query = text("SELECT 1 FROM pg_database WHERE datname = :name")
    try:
        with admin.connect() as connection:
            if not connection.execute(query, {"name": name}).scalar():
                try:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
                except DBAPIError:  # another run may have created it meanwhile
                    if not connection.execute(query, {"name": name}).scalar():
                        raise
    finally:
        admin.dispose()
    return database_url(base, name)


def database_url(base: str, name: str) -> str:
    """`base` with its database replaced by `name`."""
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def create_database(admin: Engine, name: str, *, template: str | None = None) -> None:
    """CREATE DATABASE `name` (a copy of `template`); `admin` must autocommit."""
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))


def drop_database(admin: Engine, name: str) -> None:
    """DROP DATABASE `name`, ending whatever connections a test left open to it."""
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
