"""Crash safety: dispatchers killed with SIGKILL at random moments, then let finish.

Every due reminder ends sent, and the fake server sees at most one duplicate message per
kill (the message in flight when the process died). Each contact has two reminders due:
they go as one batched message, and a kill during it repeats that one message.
"""

from __future__ import annotations

import contextlib
import functools
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.db import make_engine, make_session_factory, upgrade
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderState
from tests.support.dispatch_seed import WORKING_NOW, reminders_in, seed_many_due
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi, Fault

REMINDERS = 500
KILLS = 50
LEASE = 0.3
ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


class ForkServer:
    """The `tests.support.dispatch_worker` process: forks one dispatch pass per request."""

    def __init__(self, database_url: str, api_root: str) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.dispatch_worker",
                database_url,
                api_root,
                DEFAULT_TOKEN,
                str(LEASE),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def start(self) -> int:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def wait(self) -> int:
        assert self.process.stdout
        line = self.process.stdout.readline()
        assert line.startswith("done"), line
        return int(line.split()[1])

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(10)


def sent_at_least(fake_api: FakeBotApi, count: int) -> bool:
    """The server got `count` sendMessage calls (called under the server's lock)."""
    return sum(1 for call in fake_api.world.calls if call.method == "sendMessage") >= count


def sends_per_reminder(fake_api: FakeBotApi) -> tuple[Counter[str], int]:
    """How many messages carried each reminder; how many messages repeated one sent before."""
    counts: Counter[str] = Counter()
    repeated = 0
    for call in fake_api.calls("sendMessage"):
        carried = reminders_in(call)
        repeated += any(counts[rid] for rid in carried)
        counts.update(carried)
    return counts, repeated


def states(session_factory) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with session_factory.begin() as s:
        rows = s.execute(select(Reminder.state, func.count()).group_by(Reminder.state)).all()
    return {ReminderState(state).value: n for state, n in rows}


def test_sigkill_at_random_moments_loses_nothing_and_repeats_little(tmp_path, fake_api) -> None:
    # In memory-backed storage when there is some: fsyncs cost time and SIGKILL loses no
    # page cache anyway.
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(dir=shm if shm.is_dir() else tmp_path))
    database_url = f"sqlite:///{folder / 'crash.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as s:
        seed_many_due(s, count=REMINDERS, now=WORKING_NOW, agencies=REMINDERS // 2)
    fake_api.inject(Fault.slow(0.02), method="sendMessage", times=None)  # kills land mid-send
    rng = random.Random(20260415)
    server = ForkServer(database_url, fake_api.root)
    kills = 0
    try:
        for _ in range(KILLS + 20):  # a pass that ends before its kill does not count
            if kills >= KILLS:
                break
            before = len(fake_api.calls("sendMessage"))
            pid = server.start()
            # Kill after a few sends, at a random moment inside the next one or after it.
            target = before + rng.randint(1, 5)
            with contextlib.suppress(AssertionError):  # the pass may end first
                fake_api.wait_for(functools.partial(sent_at_least, fake_api, target), within=10)
            time.sleep(rng.uniform(0, 0.03))
            with contextlib.suppress(ProcessLookupError):  # it finished first
                os.kill(pid, signal.SIGKILL)
            status = server.wait()
            if os.WIFSIGNALED(status):
                kills += 1
            else:
                assert os.WEXITSTATUS(status) == 0
        for _ in range(20):  # let it finish: leases of the last victims expire first
            if states(session_factory).get("sent") == REMINDERS:
                break
            time.sleep(LEASE)
            server.start()
            assert server.wait() == 0
    finally:
        server.close()
    assert states(session_factory) == {"sent": REMINDERS}
    per_reminder, duplicates = sends_per_reminder(fake_api)
    assert len(per_reminder) == REMINDERS
    assert len(fake_api.calls("sendMessage")) - duplicates == REMINDERS // 2  # one a contact
    assert kills >= 50
    assert duplicates <= kills, (duplicates, kills)
