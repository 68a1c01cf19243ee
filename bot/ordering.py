"""Updates handled concurrently across chats, one at a time within a chat.

Presses from many contacts overlap their Bot API round trips; a contact's own updates
(a press, then the reply to the question it asked) keep their order, because each chat
has a FIFO lock (asyncio.Lock wakes waiters in the order they came).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

#: Updates in flight at once (each waits mostly on the Bot API and the database).
MAX_CONCURRENT_UPDATES = 64


class PerChatOrderedProcessor(BaseUpdateProcessor):
    """A BaseUpdateProcessor that serialises the updates of one chat."""

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        key = chat.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:  # forget idle chats
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
