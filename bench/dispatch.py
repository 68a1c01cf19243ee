"""Dispatch throughput against the local fake Bot API server, without and with limits.

    .venv/bin/python -m bench.dispatch [--count 10000] [--limited-count N] [--database-url URL]

Two runs over `count` due status requests spread over 500 agencies (one contact each):

1. unlimited — the server has no flood limits and Srok's pacing is off: messages a second.
2. limited — the server answers 429 beyond Telegram's limits (30 a second, one a second
   per chat) and Srok paces itself (25 a second, one a second per chat): the share of
   25 messages a second held, the 429s met, and what was lost (reminders not sent at
   the end; must be 0). At 25 a second, 10,000 messages take 400 s: `--limited-count`
   runs a shorter second run.

The dispatcher is the real one (`scheduler.runtime.dispatch`, the Telegram sender over HTTP).
The server runs in a thread of this process, so both share one interpreter: the
unlimited figure is a floor. The database is a fresh SQLite file unless `--database-url`
names an empty PostgreSQL schema.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.telegram_sender import TelegramSender, build_bot
from models.db import make_engine, make_session_factory, upgrade
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import OVERALL_PER_SECOND, Pacer
from tests.support.dispatch_seed import WORKING_NOW, seed_many_due
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi

AGENCIES = 500


def wall_clock() -> datetime:
    return datetime.now(UTC)


def fresh_database(url: str | None, folder: Path, name: str, count: int):  # type: ignore[no-untyped-def]
    """A migrated database with `count` due reminders."""
    engine = make_engine(url or f"sqlite:///{folder / name}.db")
    upgrade(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        seed_many_due(session, count=count, now=WORKING_NOW, agencies=min(AGENCIES, count))
    return engine, session_factory


async def run_pass(session_factory, api: FakeBotApi, pacer: Pacer) -> float:  # type: ignore[no-untyped-def]
    """One pass until nothing is due; its duration from the first send on, in seconds."""
    config = DispatchConfig(owner="bench", batch=100, work_hours=None)
    async with build_bot(DEFAULT_TOKEN, api.root) as bot:
        dispatcher = Dispatcher(session_factory, TelegramSender(bot), config=config, pacer=pacer)
        started = time.perf_counter()
        while True:
            report = await dispatcher.run_pass(now=wall_clock(), lease_clock=wall_clock)
            if report.reminders.get("pending", 0) == 0 and report.claimed == 0:
                break
            # 429s left some pending until their retry_after: wait for them, as the sweep does.
            await asyncio.sleep(1)
    calls = api.calls("sendMessage")
    first = calls[0].at if calls else time.time()
    return max(time.time() - first, 1e-9) if calls else time.perf_counter() - started


def states(session_factory) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_factory.begin() as session:
        rows = session.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all()
    return {ReminderState(state).value: n for state, n in rows}


def unlimited(count: int, url: str | None, folder: Path) -> dict[str, object]:
    engine, session_factory = fresh_database(url, folder, "unlimited", count)
    with FakeBotApi() as api:
        seconds = asyncio.run(run_pass(session_factory, api, Pacer.unlimited()))
        sent = len(api.calls("sendMessage"))
    result = states(session_factory)
    engine.dispose()
    return {
        "run": "unlimited",
        "reminders": count,
        "messages": sent,
        "seconds": round(seconds, 2),
        "messages_per_second": round(sent / seconds, 1),
        "states": result,
    }


def limited(count: int, url: str | None, folder: Path) -> dict[str, object]:
    engine, session_factory = fresh_database(url, folder, "limited", count)
    with FakeBotApi() as api:
        limiter = api.enable_rate_limit(per_second=30, per_chat_interval=1.0)
        seconds = asyncio.run(run_pass(session_factory, api, Pacer()))
        accepted, limited_calls = limiter.accepted, limiter.limited
    result = states(session_factory)
    engine.dispose()
    rate = accepted / seconds
    return {
        "run": "limited",
        "reminders": count,
        "messages": accepted,
        "seconds": round(seconds, 2),
        "messages_per_second": round(rate, 1),
        "share_of_25_per_second": round(rate / OVERALL_PER_SECOND, 3),
        "answered_429": limited_calls,
        "lost": count - result.get("sent", 0),
        "states": result,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--limited-count", type=int, default=None)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL schema")
    parser.add_argument("--skip-unlimited", action="store_true")
    args = parser.parse_args()
    if args.database_url and not args.skip_unlimited and args.limited_count != 0:
        parser.error("with --database-url run one of the two (the schema must be empty)")
    with tempfile.TemporaryDirectory() as folder:
        results = []
        if not args.skip_unlimited:
            results.append(unlimited(args.count, args.database_url, Path(folder)))
        limited_count = args.count if args.limited_count is None else args.limited_count
        if limited_count:
            results.append(limited(limited_count, args.database_url, Path(folder)))
    for result in results:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
