"""Messages per second through TelegramSender, against the local fake Bot API server.

    .venv/bin/python -m bench.sender [--messages 500] [--concurrency 16]

Three figures: one send at a time (the dispatcher's way), several in flight at once,
and a run under Telegram's flood limits (30 a second overall, one a second per chat)
where each 429 is counted and its chat retried after the others, never slept on.
The fake server shares this process (its own thread), so the figures are the cost of
the HTTP round trip and of PTB (httpx dominates: the server alone answers several
hundred requests a second to an aiohttp client), not Telegram's.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import warnings

from bot.telegram_sender import TelegramSender
from scheduler.runtime.sending import Button, OutgoingMessage, SendOutcome
from tests.support.fakebotapi import FakeBotApi

BUTTONS = ((Button("Выполнено", "st:1:dn"), Button("В работе", "st:1:wk")),)
TEXT = "<b>1.1</b> Дни культуры &amp; выставка — срок: II квартал 2026 г."


def _message(chat_id: int) -> OutgoingMessage:
    return OutgoingMessage(chat_id, TEXT, BUTTONS)


async def _sequential(sender: TelegramSender, count: int) -> float:
    started = time.perf_counter()
    for n in range(count):
        await sender.send(_message(10_000 + n))
    return count / (time.perf_counter() - started)


async def _concurrent(sender: TelegramSender, count: int, concurrency: int) -> float:
    queue = list(range(count))

    async def worker() -> None:
        while queue:
            await sender.send(_message(20_000 + queue.pop()))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return count / (time.perf_counter() - started)


async def _flood_limited(api: FakeBotApi, sender: TelegramSender, count: int) -> str:
    limiter = api.enable_rate_limit()
    pending = [30_000 + n for n in range(count)]
    started = time.perf_counter()
    while pending:
        chat_id = pending.pop(0)
        result = await sender.send(_message(chat_id))
        if result.outcome is SendOutcome.RETRY_AFTER:
            pending.append(chat_id)  # later, behind the others
            await asyncio.sleep(0.01)  # the benchmark's pacing, not the sender's
    elapsed = time.perf_counter() - started
    return (
        f"{count} delivered in {elapsed:.1f} s ({count / elapsed:.1f}/s); "
        f"{limiter.accepted} accepted, {limiter.limited} answered 429"
    )


async def main(count: int, concurrency: int) -> None:
    async with FakeBotApi() as api, api.new_bot() as bot:
        sender = TelegramSender(bot)
        print(f"one at a time:         {await _sequential(sender, count):7.0f} messages/s")
        rate = await _concurrent(sender, count, concurrency)
        print(f"{concurrency:2d} in flight:          {rate:7.0f} messages/s")
        print(f"under flood limits:    {await _flood_limited(api, sender, min(count, 90))}")
        api.assert_no_unexpected()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    warnings.simplefilter("ignore")  # PTB's notice that retry_after becomes a timedelta
    asyncio.run(main(args.messages, args.concurrency))
