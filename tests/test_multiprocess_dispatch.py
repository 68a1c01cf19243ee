"""Three `srok dispatch` processes on one PostgreSQL database share 2,000 due reminders:
each is delivered exactly once (counted at the fake Bot API server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.db import make_engine, make_session_factory, upgrade
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderState
from tests.support.dispatch_seed import WORKING_NOW, reminders_in, seed_many_due
from tests.support.fakebotapi import DEFAULT_TOKEN

REMINDERS = 2000
PROCESSES = 3

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def srok_dispatch(database_url: str, api_root: str, cwd: Path) -> subprocess.Popen[str]:
    """`srok dispatch` in a process of its own (no pacing: the server has no limits)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": api_root,
    }
    command = "from bot.cli import main; main()"
    args = ["dispatch", "--json", "--no-pacing", "--any-hour", "--batch", "10"]
    return subprocess.Popen(
        [sys.executable, "-c", command, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_three_dispatchers_deliver_each_reminder_exactly_once(pg_url, fake_api, tmp_path) -> None:
    engine = make_engine(pg_url)
    upgrade(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as s:
        seed_many_due(s, count=REMINDERS, now=WORKING_NOW, agencies=50)
    processes = [srok_dispatch(pg_url, fake_api.root, tmp_path) for _ in range(PROCESSES)]
    reports = []
    try:
        for process in processes:
            out, err = process.communicate(timeout=240)
            assert process.returncode == 0, err
            reports.append(json.loads(out))
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    per_reminder = Counter(
        rid for call in fake_api.calls("sendMessage") for rid in reminders_in(call)
    )
    assert len(per_reminder) == REMINDERS
    assert set(per_reminder.values()) == {1}
    delivered = [report["delivered"] for report in reports]
    assert sum(delivered) == REMINDERS
    assert sum(1 for n in delivered if n > 0) >= 2, delivered  # the work was shared
    with session_factory.begin() as s:
        rows = s.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all()
    assert {ReminderState(state): n for state, n in rows} == {ReminderState.SENT: REMINDERS}
    engine.dispose()
