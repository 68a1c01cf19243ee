"""What tests read from the fake Bot API server, and how they make it misbehave.

A mixin of `FakeBotApi`, which provides `world`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from tests.support.fakebotapi.state import (
    Call,
    CallbackQuery,
    FakeMessage,
    Fault,
    Injection,
    RateLimiter,
    World,
)


class Inspection:
    """Reading calls and chats, waiting for the bot, arming faults and flood limits."""

    world: World

    # ---- what tests read ----------------------------------------------------------------

    def calls(self, method: str | None = None) -> list[Call]:
        """Every request received (optionally of one method), oldest first."""
        with self.world.lock:
            return [c for c in self.world.calls if method is None or c.method == method]

    def messages(self, chat_id: int, *, include_user: bool = False) -> list[FakeMessage]:
        """What the chat shows from the bot (and from the user when asked), edits applied."""
        with self.world.lock:
            found = self.world.chats.get(chat_id, [])
            return [m for m in found if include_user or m.from_bot]

    def chats(self) -> list[int]:
        """Chats the bot has written to."""
        with self.world.lock:
            return [c for c, ms in self.world.chats.items() if any(m.from_bot for m in ms)]

    def callback_query(self, query_id: str) -> CallbackQuery:
        with self.world.lock:
            return self.world.callbacks[query_id]

    def commands(self, scope: str = "default", chat_id: int | str = "", language: str = ""):
        """The command list set by setMyCommands for a scope, or None."""
        with self.world.lock:
            return self.world.commands.get(f"{scope}:{chat_id}:{language}")

    @property
    def webhook(self) -> dict[str, Any] | None:
        with self.world.lock:
            return self.world.webhook

    def pending_updates(self) -> list[int]:
        """Update ids queued and not yet confirmed by an offset."""
        with self.world.lock:
            return [update_id for update_id, _, _ in self.world.updates]

    @property
    def unexpected(self) -> list[Call]:
        with self.world.lock:
            return list(self.world.unexpected)

    def assert_no_unexpected(self) -> None:
        """Fail if the bot called a method this server does not implement."""
        unexpected = self.unexpected
        if unexpected:
            listed = ", ".join(f"{c.method}({c.params})" for c in unexpected)
            raise AssertionError(f"unexpected Bot API calls: {listed}")

    def wait_for(self, predicate: Callable[[], object], within: float = 5.0) -> None:
        """Block (in a sync test) until `predicate()` holds; it reads state under the lock."""
        with self.world.changed:
            if not self.world.changed.wait_for(predicate, within):
                raise AssertionError(f"condition not met within {within} s")

    async def until(self, predicate: Callable[[], object], within: float = 5.0) -> None:
        """Await (in an async test) until `predicate()` holds."""
        deadline = time.monotonic() + within
        while True:
            with self.world.lock:
                if predicate():
                    return
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met within {within} s")
            await asyncio.sleep(0.01)

    # ---- faults and limits --------------------------------------------------------------

    def inject(
        self,
        fault: Fault,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        times: int | None = 1,
    ) -> Injection:
        """Misbehave on the next `times` matching calls (None: on every one)."""
        injection = Injection(fault, method, chat_id, times)
        with self.world.lock:
            self.world.injections.append(injection)
        return injection

    def clear_faults(self) -> None:
        with self.world.lock:
            self.world.injections.clear()

    def enable_rate_limit(
        self,
        *,
        per_second: int = 30,
        per_chat_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> RateLimiter:
        """Answer 429 beyond Telegram's flood limits; the limiter counts accepted/limited.

        Pass a `clock` (seconds) to make the limits independent of how fast the test runs.
        """
        limiter = RateLimiter(
            per_second=per_second, per_chat_interval=per_chat_interval, clock=clock
        )
        with self.world.lock:
            self.world.rate_limiter = limiter
        return limiter
