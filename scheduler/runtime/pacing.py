"""Srok's own pacing: at most 25 messages a second overall and one a second per chat.

python-telegram-bot's AIORateLimiter has no per-chat limit, and a 429 costs more than a
wait, so dispatch paces itself. The clock and the sleeper are injectable: tests drive a
fake monotonic clock and never sleep.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

#: Telegram's documented limits for bots (broadcasts).
OVERALL_PER_SECOND = 25
PER_CHAT_INTERVAL = 1.0


class Pacer:
    """Waits before each send until both the overall and the per-chat limit allow it."""

    def __init__(
        self,
        *,
        per_second: int = OVERALL_PER_SECOND,
        per_chat_interval: float = PER_CHAT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.per_second = per_second
        self.per_chat_interval = per_chat_interval
        self._clock = clock
        self._sleep = sleep
        self._recent: deque[float] = deque(maxlen=max(per_second, 1))
        self._chat_last: dict[int, float] = {}
        self._chat_blocked: dict[int, float] = {}
        self.waited = 0.0

    @classmethod
    def unlimited(cls) -> Pacer:
        """A pacer that never waits (benchmarks, a fake server without limits)."""
        return cls(per_second=0, per_chat_interval=0.0)

    def delay(self, chat_id: int) -> float:
        """Seconds to wait before a message to `chat_id` may go."""
        now = self._clock()
        ready = now
        if self.per_second > 0 and len(self._recent) == self.per_second:
            ready = max(ready, self._recent[0] + 1.0)
        last = self._chat_last.get(chat_id)
        if last is not None:
            ready = max(ready, last + self.per_chat_interval)
        ready = max(ready, self._chat_blocked.get(chat_id, now))
        return max(0.0, ready - now)

    def blocked_for(self, chat_id: int) -> float:
        """Seconds this chat stays blocked by a 429 (0 when it is not)."""
        return max(0.0, self._chat_blocked.get(chat_id, 0.0) - self._clock())

    async def wait(self, chat_id: int) -> None:
        """Sleep until a message to `chat_id` may go, then count it as sent now."""
        pause = self.delay(chat_id)
        if pause > 0:
            self.waited += pause
            await self._sleep(pause)
        now = self._clock()
        if self.per_second > 0:
            self._recent.append(now)
        if self.per_chat_interval > 0:
            self._chat_last[chat_id] = now

    def block(self, chat_id: int, seconds: float) -> None:
        """Telegram said «retry after `seconds`» for this chat."""
        until = self._clock() + seconds
        self._chat_blocked[chat_id] = max(self._chat_blocked.get(chat_id, until), until)
