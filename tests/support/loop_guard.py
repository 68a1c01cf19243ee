"""A check that the bot never opens a database session on the event loop's thread
(tests/conftest.py's `no_database_on_the_loop` puts it under every Application a test builds)."""

from __future__ import annotations

import asyncio
import traceback
from typing import Any

from sqlalchemy.orm import Session, sessionmaker


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
