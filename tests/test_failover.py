"""Two real `srok run` processes on one PostgreSQL database: one polls, the other waits;
SIGKILL the poller and the other takes over within seconds, losing no update."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models.chats.updates import record_update
from models.db import make_engine, make_session_factory
from models.schema.chats import ProcessedUpdate
from scheduler.rules.domain import ReminderKind
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import CONTACT_CHAT_BASE, seed_plan
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

LEADER = "became the polling leader"
#: More than one pass's batch (50) at Telegram's pace: the other process claims the rest.
REMINDERS = 60
WAITING = "another process polls"


class SrokRun:
    """One `srok run` process whose JSON log lines go to a file the test reads."""

    def __init__(self, name: str, env: dict[str, str], cwd: Path) -> None:
        self.name = name
        self.log_path = cwd / f"{name}.log"
        self._log = self.log_path.open("wb")
        srok = Path(sys.executable).parent / "srok"
        self.process = subprocess.Popen(
            [str(srok), "-v", "run"], cwd=cwd, env=env, stdout=self._log, stderr=self._log
        )

    def text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def lines(self) -> list[dict[str, object]]:
        """The JSON log lines written so far (a line being written is skipped)."""
        parsed = []
        for line in self.text().splitlines():
            try:
                parsed.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        return parsed

    def said(self, words: str) -> int:
        return sum(words in str(line.get("message", "")) for line in self.lines())

    def stop(self, signum: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout=20)
        self._log.close()
        return code


def _wait(predicate, within: float, what: str) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > within:
            raise AssertionError(f"not within {within} s: {what}")
        time.sleep(0.05)
    return time.monotonic() - started


def _replied(fake_api: FakeBotApi, chat_id: int) -> int:
    """How many messages the bot sent to `chat_id`."""
    return sum(message.from_bot for message in fake_api.messages(chat_id))


def _due_manual_reminders(factory: sessionmaker[Session], count: int) -> list[int]:
    """`count` reminders due now, one per agency and chat (manual ones: any hour goes)."""
    now = datetime.now(UTC)
    with factory.begin() as session:
        seeded = seed_plan(session, now=now, items=1, agencies=count, coordinators=0)
        return [
            add_reminder(
                session,
                kind=ReminderKind.MANUAL,
                due_at=now,
                now=now,
                item_id=seeded.item_ids[0],
                agency_id=agency_id,
            )
            for agency_id in seeded.agency_ids
        ]


def _sent_reminders(run: SrokRun) -> list[int]:
    """The reminders this process's dispatcher logged as sent, in order."""
    return [
        int(line["reminder_id"])  # type: ignore[call-overload]
        for line in run.lines()
        if line.get("logger") == "scheduler.runtime.dispatch" and "reminder_id" in line
    ]


def _all_sent(runs: list[SrokRun]) -> list[int]:
    return sorted(reminder for run in runs for reminder in _sent_reminders(run))


def _recorded_and_confirmed_only(
    fake_api: FakeBotApi, factory: sessionmaker[Session], chat_id: int
) -> int:
    """An update the leader received, recorded and confirmed to Telegram, and then died
    before handling: gone from the server, unhandled in the database."""
    with fake_api.world.lock:  # the server cannot hand it out meanwhile
        update_id = fake_api.send_command(chat_id, "start")
        fake_api.world.updates = [e for e in fake_api.world.updates if e[0] != update_id]
        payload = fake_api.world.delivered[update_id]
    with factory.begin() as session:
        assert record_update(session, update_id=update_id, payload=payload, now=datetime.now(UTC))
    return update_id


def test_the_waiting_process_takes_over_polling_when_the_leader_is_killed(
    pg_url: str, fake_api: FakeBotApi, tmp_path: Path
) -> None:
    engine = make_engine(pg_url)  # an empty schema: the two processes migrate it in turn
    factory = make_session_factory(engine)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.root,
        "DATABASE_URL": pg_url,
        "SROK_LOG_FORMAT": "json",
        "SROK_POLL_TIMEOUT": "1",
        "SROK_LEADER_RETRY_SECONDS": "0.3",
        "SROK_SWEEP_SECONDS": "0.5",
    }
    runs = [SrokRun(name, env, tmp_path) for name in ("a", "b")]
    try:
        _wait(lambda: sum(r.said(LEADER) for r in runs) == 1, 20, "one process leads")
        _wait(lambda: sum(r.said(WAITING) for r in runs) == 1, 5, "the other waits")
        leader, follower = sorted(runs, key=lambda r: -r.said(LEADER))
        # Both dispatch meanwhile, the waiting one too, each reminder once.
        reminders = _due_manual_reminders(factory, REMINDERS)
        _wait(lambda: len(_all_sent(runs)) >= len(reminders), 10, "every reminder sent")
        assert _all_sent(runs) == reminders  # none twice
        to_contacts = [
            call.params["chat_id"]
            for call in fake_api.calls("sendMessage")
            if CONTACT_CHAT_BASE <= call.params["chat_id"] < CONTACT_CHAT_BASE + REMINDERS
        ]
        assert len(to_contacts) == len(set(to_contacts)) == REMINDERS  # at the server too
        assert all(_sent_reminders(run) for run in runs)
        sent = [fake_api.send_command(7001, "start")]
        _wait(lambda: _replied(fake_api, 7001) == 1, 5, "the leader answers")
        # In flight when the leader dies: fetched or not, recorded or not, claimed or not.
        sent += [fake_api.send_command(chat, "start") for chat in (7002, 7003, 7004)]
        sent.append(_recorded_and_confirmed_only(fake_api, factory, 7006))
        assert leader.stop(signal.SIGKILL) == -signal.SIGKILL
        sent.append(fake_api.send_command(7005, "start"))
        took = _wait(lambda: _replied(fake_api, 7005), 8, "the follower takes over and answers")
        _wait(lambda: _replied(fake_api, 7006), 2, "the follower handles what the leader left")
        assert follower.said("replaying") == 1
        assert follower.said(LEADER) == 1 and follower.said(WAITING) == 1
        assert took < 5
        assert follower.stop() == 0
    finally:
        for run in runs:
            if run.process.poll() is None:
                run.stop(signal.SIGKILL)
    with factory.begin() as session:
        rows = session.execute(select(ProcessedUpdate.update_id, ProcessedUpdate.handled_at)).all()
    engine.dispose()
    assert sorted(update_id for update_id, _ in rows) == sorted(sent)  # each once
    assert all(handled is not None for _, handled in rows)  # and handled
    # Handled once: no chat got two answers. (One whose handler the kill cut short after
    # its claim may have none: the documented window of one handler's transaction.)
    assert all(_replied(fake_api, chat) <= 1 for chat in (7002, 7003, 7004))
    logs = leader.text() + follower.text()
    assert "Conflict" not in logs  # never two pollers at once (no 409 from getUpdates)
    assert DEFAULT_TOKEN not in logs and "TEST-token" not in logs
