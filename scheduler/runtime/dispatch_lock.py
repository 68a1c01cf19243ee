"""One dispatcher per SQLite database: an exclusive `flock` held for the process's life.

SQLite has no `SKIP LOCKED`, so two dispatchers on one file could both claim a reminder.
The first dispatcher takes `<database file>.dispatch.lock`; a second process is refused
with a clear message. The kernel drops the lock when the process dies (even by SIGKILL),
so a crash never leaves a stale lock behind. PostgreSQL needs no lock.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy.engine import make_url

#: Locks this process holds, by path: taking one twice in a process is not a conflict.
_HELD: dict[Path, int] = {}


class DispatchLockError(Exception):
    """The dispatch lock could not be taken; the message says why, in one line."""


class DispatchLockUnavailableError(DispatchLockError):
    """The lock file cannot be created or opened (a read-only directory, say)."""

    def __init__(self, lock_path: Path, error: OSError) -> None:
        self.lock_path = lock_path
        why = error.strerror or str(error)
        super().__init__(
            f"не удалось создать файл блокировки рассылки {lock_path}: {why}; "
            "каталог базы SQLite должен быть доступен на запись"
        )


class DispatcherBusyError(DispatchLockError):
    """Another process already dispatches from this SQLite database."""

    def __init__(self, lock_path: Path) -> None:
        self.lock_path = lock_path
        super().__init__(
            f"рассылку из этой базы SQLite уже ведёт другой процесс (блокировка {lock_path}); "
            "на SQLite допустим один процесс рассылки — остановите другой или используйте "
            "PostgreSQL"
        )


def lock_path_for(database_url: str) -> Path | None:
    """`<database file>.dispatch.lock` for a SQLite file; None for other databases."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{Path(url.database).resolve()}.dispatch.lock")


def hold_dispatch_lock(database_url: str) -> Path | None:
    """Take the dispatch lock of a SQLite database until the process ends; its path.

    Raises DispatcherBusyError when another process holds it, DispatchLockUnavailableError
    when the lock file cannot be made. Does nothing (None) for
    PostgreSQL, where claims skip locked rows instead.
    """
    path = lock_path_for(database_url)
    if path is None or path in _HELD:
        return path
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DispatchLockUnavailableError(path, exc) from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        os.close(fd)
        raise DispatcherBusyError(path) from exc
    os.set_inheritable(fd, False)
    _HELD[path] = fd  # kept open on purpose: closing it would release the lock
    return path


def release_dispatch_lock(database_url: str) -> None:
    """Give the lock back before the process ends (tests; a clean shutdown)."""
    path = lock_path_for(database_url)
    fd = _HELD.pop(path, None) if path is not None else None
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
