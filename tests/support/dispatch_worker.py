"""A fork server of dispatch processes for the crash test:
`python -m tests.support.dispatch_worker`.

Starting Python with SQLAlchemy, alembic and python-telegram-bot costs seconds; fifty kills
would spend the test's budget on imports and first-use compiling. This process imports
and warms everything once (templates, mappers, the engine's statement cache; it then
closes its connections), and for each line on standard input forks a child that runs
one real dispatch pass — the SQLite dispatch lock, the Telegram sender over HTTP, leases
on the wall clock — and prints the child's pid; the test kills the child with SIGKILL
whenever it likes. When the child has ended (killed or not) it prints «done <status>».
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import configure_mappers

from bot.http import tls_context
from bot.telegram_sender import TelegramSender, build_bot
from messages.render import environment
from models.db import make_engine, make_session_factory
from models.outbox.deliveries import open_deliveries
from models.outbox.queue import claim_due
from scheduler.rules.domain import ReminderKind
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.dispatch_lock import hold_dispatch_lock
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.reminder_text import reminder_content


def wall_clock() -> datetime:
    return datetime.now(UTC)


async def _say_hello(api_root: str, token: str) -> None:
    async with build_bot(token, api_root):
        pass  # getMe: loads what the HTTP client imports on first use


def warm_up(engine: Engine, api_root: str, token: str) -> None:
    """Compile templates and main statements, load HTTP code; leave the database untouched."""
    tls_context()
    asyncio.run(_say_hello(api_root, token))  # its loop and executor threads end with it
    configure_mappers()
    for kind in ReminderKind:
        environment().get_template(f"reminders/{kind.value}.j2")
    session = make_session_factory(engine)()
    try:
        claim = claim_due(
            session,
            now=wall_clock(),
            lease_now=wall_clock(),
            owner="warm-up",
            lease_for=timedelta(seconds=1),
            limit=1,
        )
        for reminder_id in claim.claimed:
            open_deliveries(session, reminder_id=reminder_id, now=wall_clock())
            reminder_content(session, reminder_id=reminder_id, now=wall_clock())
    finally:
        session.rollback()
        session.close()
    engine.dispose()  # no connection may be shared with the children


async def one_pass(engine: Engine, database_url: str, api_root: str, token: str, lease: float):  # type: ignore[no-untyped-def]
    """What `srok dispatch --any-hour --no-pacing` does, in this process."""
    hold_dispatch_lock(database_url)
    config = DispatchConfig(
        owner=f"child-{os.getpid()}", lease_for=timedelta(seconds=lease), batch=5, work_hours=None
    )
    async with build_bot(token, api_root) as bot:
        dispatcher = Dispatcher(
            make_session_factory(engine),
            TelegramSender(bot),
            config=config,
            pacer=Pacer.unlimited(),
        )
        await dispatcher.run_pass(now=wall_clock(), clock=wall_clock, lease_clock=wall_clock)


def main() -> None:
    database_url, api_root, token, lease = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    engine = make_engine(database_url)
    warm_up(engine, api_root, token)
    for _ in sys.stdin:
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                asyncio.run(one_pass(engine, database_url, api_root, token, lease))
            except BaseException as exc:  # report, then leave without running parent code
                print(f"child error: {exc!r}", file=sys.stderr, flush=True)
                code = 1
            os._exit(code)
        print(pid, flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"done {status}", flush=True)


if __name__ == "__main__":
    main()
