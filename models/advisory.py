"""PostgreSQL advisory locks: who polls Telegram, and one re-plan at a time.

A session-level lock (`pg_try_advisory_lock`) lives as long as the connection that took
it: when a process dies, the server drops its connection and the lock with it, so a
dead leader never blocks the others. A transaction-level lock
(`pg_advisory_xact_lock`) ends with its transaction and serialises short work such as
the daily re-plan, which a contact's re-plan of one item waits for (in shared mode: such
re-plans do not wait for one another). On other databases these functions do nothing
(and say so).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

#: Namespaces of the keys, so that two purposes never share a lock.
POLLING = "srok:polling"
REPLAN = "srok:replan"
MIGRATE = "srok:migrate"


def lock_key(purpose: str, name: str = "") -> int:
    """A stable signed 64-bit key for `purpose` and `name` (e.g. the bot's id)."""
    digest = hashlib.sha256(f"{purpose}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def supports_advisory_locks(bind: Connection | Session) -> bool:
    """Only PostgreSQL has them; SQLite runs one process per file instead."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    return dialect.name == "postgresql"


def try_session_lock(connection: Connection, *, key: int) -> bool:
    """Take the session-level lock `key` without waiting; True when this connection holds it.

    Runs outside any transaction the caller keeps open: the lock is the connection's.
    """
    taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
    connection.commit()  # end the implicit transaction; the session lock stays
    return bool(taken)


@contextmanager
def session_lock(connection: Connection, *, key: int) -> Iterator[None]:
    """Wait for the session-level lock `key`, hold it inside the block, then give it back."""
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": key})
    connection.commit()
    try:
        yield
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
        connection.commit()


def holds_session_lock(connection: Connection, *, key: int) -> bool:
    """Whether this connection still holds `key` (raises when the connection is gone)."""
    held = connection.execute(
        text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND pid = pg_backend_pid() "
            "AND ((classid::bigint << 32) | objid::bigint) = :key"
        ),
        {"key": key},
    ).scalar()
    connection.commit()
    return bool(held)


def serialise_in_transaction(session: Session, *, key: int) -> bool:
    """Wait for the transaction-level lock `key`; False (and no lock) off PostgreSQL."""
    if not supports_advisory_locks(session):
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    return True


def share_in_transaction(session: Session, *, key: int) -> bool:
    """Wait for `key` in shared mode, till the transaction ends: any number of holders at
    once, none while someone serialises on it. False (and no lock) off PostgreSQL."""
    if not supports_advisory_locks(session):
        return False
    session.execute(text("SELECT pg_advisory_xact_lock_shared(:key)"), {"key": key})
    return True
