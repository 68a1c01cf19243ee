"""Which `srok run` process polls Telegram: the one holding a PostgreSQL advisory lock.

Telegram lets one getUpdates loop run per token (a second one gets 409 Conflict). On
PostgreSQL every process tries `pg_try_advisory_lock(<key of the bot id>)` on a
connection of its own, kept open for as long as it leads: the holder polls, the others
try again every few seconds and meanwhile run the ticks (dispatch sweeps share the work
through SKIP LOCKED claims). A process killed outright loses its connection, the server
frees the lock, and the next try of another process makes that one the leader. A leader
that loses its connection stops polling and goes back to waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from models.advisory import POLLING, holds_session_lock, lock_key, try_session_lock
from models.db import DatabaseUnavailableError, make_engine
from scheduler.runtime.outage import Outage

_LOG = logging.getLogger("srok.leader")


async def pause(stop: asyncio.Event, seconds: float) -> None:
    """Sleep `seconds`, or less when `stop` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class PollingLeadership:
    """The polling lock of one bot on one PostgreSQL database, tried and watched."""

    def __init__(self, database_url: str, *, bot_id: int, retry_seconds: float = 5.0) -> None:
        # No pool: closing the connection must really close it, and the lock with it.
        self._engine = make_engine(database_url, poolclass=NullPool)
        self.key = lock_key(POLLING, str(bot_id))
        self.retry_seconds = retry_seconds
        self._connection: Connection | None = None
        self._outage = Outage("polling lock", logger=_LOG)

    async def acquire(self, stop: asyncio.Event) -> bool:
        """Wait until this process holds the lock (True) or `stop` is set (False)."""
        said_waiting = False
        while not stop.is_set():
            if await asyncio.to_thread(self._try):
                _LOG.warning("became the polling leader (lock %s)", self.key)
                return True
            if not said_waiting:
                _LOG.warning(
                    "another process polls; waiting for the lock (a try every %s s)",
                    self.retry_seconds,
                )
                said_waiting = True
            await pause(stop, self.retry_seconds)
        return False

    async def watch(self, stop: asyncio.Event) -> bool:
        """Return when `stop` is set (True) or the lock is lost (False)."""
        while not stop.is_set():
            await pause(stop, self.retry_seconds)
            if stop.is_set():
                break
            if not await asyncio.to_thread(self._still_held):
                _LOG.error("lost the polling lock (database connection lost); polling stops")
                return False
        return True

    def release(self) -> None:
        """Give the lock back by closing its connection (at shutdown)."""
        self._drop()
        self._engine.dispose()

    def _try(self) -> bool:
        try:
            if self._connection is None:
                self._connection = self._engine.connect()
            return try_session_lock(self._connection, key=self.key)
        except (SQLAlchemyError, DatabaseUnavailableError) as exc:
            self._outage.failed(exc)  # logged once, not at every try
            self._drop()
            return False
        finally:
            if self._connection is not None:
                self._outage.recovered()

    def _still_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            if holds_session_lock(self._connection, key=self.key):
                return True
        except SQLAlchemyError as exc:
            why = " ".join(str(getattr(exc, "orig", None) or exc).split())
            _LOG.warning("polling lock check failed: %s", why)
        self._drop()
        return False

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                connection.close()
