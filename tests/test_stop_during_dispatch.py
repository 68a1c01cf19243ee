"""SIGTERM while a dispatch pass waits on a slow Bot API: `srok run` stops within a few
seconds (systemd's TimeoutStopSec=30 must not kill it), and nothing is lost: the reminder
in flight is pending again and goes out at the next start, once more at most. And the
duplicate window in general: a send whose answer is lost repeats once, not more."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.telegram_sender import TelegramSender, build_bot
from models.db import make_engine, make_session_factory, upgrade
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderKind, ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import WORKING_NOW, seed_plan, seed_request
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi, Fault

SROK = Path(sys.executable).parent / "srok"


def _wait(predicate, within: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while not predicate():
        assert time.monotonic() < deadline, "not in time"
        time.sleep(0.05)


@pytest.mark.slow
def test_sigterm_during_a_slow_send_stops_within_seconds_and_loses_nothing(
    fake_api: FakeBotApi, sqlite_url: str, tmp_path: Path
) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    with factory.begin() as session:
        seeded = seed_plan(session, now=now, items=1, agencies=3, coordinators=0)
        reminders = [
            add_reminder(
                session,
                kind=ReminderKind.MANUAL,  # any hour, any day
                due_at=now,
                now=now,
                item_id=seeded.item_ids[0],
                agency_id=agency_id,
            )
            for agency_id in seeded.agency_ids
        ]
    fake_api.inject(Fault.slow(30), method="sendMessage", times=None)
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_BASE_URL=fake_api.root,
        DATABASE_URL=sqlite_url,
        SROK_SWEEP_SECONDS="0.2",
        SROK_POLL_TIMEOUT="0.5",
        SROK_STOP_GRACE_SECONDS="0.5",
    )
    process = subprocess.Popen(
        [str(SROK), "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        _wait(lambda: bool(fake_api.calls("sendMessage")), within=30)
        time.sleep(0.2)  # the send is in flight, its answer 30 s away
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        took = time.monotonic() - stopped_at
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = stderr.decode()
    assert process.returncode == 0, log
    print(f"took {took:.2f} s to stop")
    assert took < 5, f"took {took:.1f} s to stop"
    assert "Traceback" not in log and "Unclosed" not in log
    assert len(fake_api.calls("sendMessage")) == 1  # the pass went no further
    with factory.begin() as session:
        states = {rid: state for rid, state in session.execute(select(Reminder.id, Reminder.state))}
    # The one in flight and those after it: pending, to be sent at the next start.
    assert [states[rid] for rid in reminders] == [ReminderState.PENDING] * 3

    fake_api.clear_faults()
    restarted = subprocess.Popen(
        [str(SROK), "run"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:

        def all_sent() -> bool:
            with factory.begin() as session:
                found = session.scalars(select(Reminder.state).where(Reminder.id.in_(reminders)))
                return set(found) == {ReminderState.SENT}

        _wait(all_sent, within=30)
    finally:
        restarted.send_signal(signal.SIGTERM)
        restarted.communicate(timeout=30)
    engine.dispose()
    chats = [call.params["chat_id"] for call in fake_api.calls("sendMessage")]
    # Each reminder reached its chat; the abandoned one at most twice (Telegram took it).
    assert len(set(chats)) == 3 and len(chats) == 4


async def test_a_send_whose_answer_is_lost_goes_again_exactly_once(
    session_factory: sessionmaker[Session], fake_api: FakeBotApi
) -> None:
    """Telegram took the message and the answer never came (the Bot API has no idempotency
    key): the retry is the one duplicate that fault makes; later passes add none."""
    with session_factory.begin() as session:
        seeded, rid = seed_request(session, now=WORKING_NOW)
    chat = seeded.contact_chats[seeded.agency_ids[0]][0]
    fake_api.inject(Fault.slow(0.6), method="sendMessage")  # taken, answered too late
    for minutes in (0, 1, 2, 3):
        at = WORKING_NOW + timedelta(minutes=minutes)
        async with build_bot(DEFAULT_TOKEN, fake_api.root, read_timeout=0.2) as bot:
            dispatcher = Dispatcher(
                session_factory,
                TelegramSender(bot),
                config=DispatchConfig(owner="wire"),
                pacer=Pacer.unlimited(),
            )
            await dispatcher.run_pass(now=at, clock=lambda at=at: at)
    with session_factory.begin() as session:
        assert session.get_one(Reminder, rid).state == ReminderState.SENT
    assert len(fake_api.messages(chat)) == 2
