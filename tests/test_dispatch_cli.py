"""`srok dispatch`, the SQLite dispatch lock and the console sender."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.cli.demo_sender import ConsoleSender, buttons_line, html_to_text
from models.db import make_engine, make_session_factory, upgrade
from models.schema.reminders import Reminder
from scheduler.rules.domain import ReminderKind, ReminderState
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.dispatch_lock import (
    DispatcherBusyError,
    hold_dispatch_lock,
    lock_path_for,
    release_dispatch_lock,
)
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.sending import Button, OutgoingMessage
from tests.support.builders import add_reminder
from tests.support.dispatch_seed import WORKING_NOW, seed_plan
from tests.support.fakebotapi import DEFAULT_TOKEN

HOLD_LOCK = (
    "import sys, time; from scheduler.runtime.dispatch_lock import hold_dispatch_lock; "
    "hold_dispatch_lock(sys.argv[1]); print('held', flush=True); time.sleep(30)"
)


@pytest.fixture
def seeded_sqlite(sqlite_url: str) -> tuple[str, int]:
    engine = make_engine(sqlite_url)
    upgrade(engine)
    with make_session_factory(engine).begin() as s:
        seeded = seed_plan(s, now=WORKING_NOW)
        rid = add_reminder(
            s,
            kind=ReminderKind.STATUS_REQUEST,
            due_at=WORKING_NOW,
            now=WORKING_NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
        )
    engine.dispose()
    return sqlite_url, rid


def srok(*args: str, env: dict[str, str]) -> Result:
    """`srok …` in this process (the dispatch lock then belongs to this process)."""
    try:
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    finally:
        release_dispatch_lock(env["DATABASE_URL"])


@pytest.fixture
def holder(seeded_sqlite: tuple[str, int], tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the dispatch lock of the test database."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, seeded_sqlite[0]],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    yield process
    process.kill()
    process.wait()


def test_srok_dispatch_sends_and_a_second_dispatcher_is_refused(
    seeded_sqlite, fake_api, holder
) -> None:
    url, rid = seeded_sqlite
    env = {
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
        "TELEGRAM_API_BASE_URL": fake_api.root,
    }
    refused = srok("dispatch", "--now", "2026-04-15T10:00", env=env)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("srok: рассылку из этой базы SQLite уже ведёт")
    assert fake_api.calls() == []
    holder.kill()
    holder.wait()
    done = srok("dispatch", "--now", "2026-04-15T10:00", "--json", env=env)
    assert done.exit_code == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["delivered"] == 1 and report["reminders"] == {"sent": 1}
    assert len(fake_api.calls("sendMessage")) == 1
    engine = make_engine(url)
    with make_session_factory(engine).begin() as s:
        assert s.get_one(Reminder, rid).state == ReminderState.SENT
    engine.dispose()
    again = srok("dispatch", "--now", "2026-04-15T10:01", env=env)
    assert again.exit_code == 0
    assert again.stdout.startswith("Рассылка на 15 апреля 2026 г., 10:01: отправлено сообщений — 0")


def test_srok_dispatch_without_a_token_says_so(seeded_sqlite) -> None:
    result = srok("dispatch", env={"DATABASE_URL": seeded_sqlite[0], "TELEGRAM_BOT_TOKEN": ""})
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "srok: не задан TELEGRAM_BOT_TOKEN: для рассылки нужен токен бота от @BotFather"
    )


def test_lock_is_per_sqlite_file_and_reentrant_in_one_process(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert lock_path_for(url) == Path(f"{(tmp_path / 'a.db').resolve()}.dispatch.lock")
    assert lock_path_for("postgresql://postgres@127.0.0.1/test") is None
    assert lock_path_for("sqlite://") is None
    try:
        assert hold_dispatch_lock(url) == lock_path_for(url)
        assert hold_dispatch_lock(url) == lock_path_for(url)  # same process: no conflict
        other = subprocess.run(
            [sys.executable, "-c", HOLD_LOCK.replace("time.sleep(30)", "pass"), url],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent.parent,
        )
        assert other.returncode == 1 and "DispatcherBusyError" in other.stderr
    finally:
        release_dispatch_lock(url)
    with pytest.raises(DispatcherBusyError) as error:
        raise DispatcherBusyError(Path("/x.db.dispatch.lock"))
    assert "/x.db.dispatch.lock" in str(error.value)


def test_console_sender_prints_what_the_contact_reads(session_factory) -> None:
    with session_factory.begin() as s:
        seeded = seed_plan(s, now=WORKING_NOW)
        add_reminder(
            s,
            kind=ReminderKind.HEADS_UP,
            due_at=WORKING_NOW,
            now=WORKING_NOW,
            item_id=seeded.item_ids[0],
            agency_id=seeded.agency_ids[0],
        )
    out = io.StringIO()
    sender = ConsoleSender(out, names={1000: "Контакт Минобразования"})
    dispatcher = Dispatcher(
        session_factory, sender, config=DispatchConfig(owner="demo"), pacer=Pacer.unlimited()
    )
    asyncio.run(dispatcher.run_pass(now=WORKING_NOW, clock=lambda: WORKING_NOW))
    printed = out.getvalue()
    assert printed.startswith("── Кому: Контакт Минобразования ──\n🔔 Скоро начинается")
    assert "Обмен делегациями & встреча <1>" in printed  # unescaped for the terminal
    assert "<b>" not in printed
    assert "[В работе] [Выполнено]\n[Перенос] [Отменено] [Комментарий]" in printed


def test_html_to_text() -> None:
    assert html_to_text("<b>Пункт 1</b> &lt;a&gt; &amp; «б»") == "Пункт 1 <a> & «б»"
    message = OutgoingMessage(1, "x", ((Button("Да", "ok:1"), Button("Нет", "no:1")), ()))
    assert buttons_line(message) == ["[Да] [Нет]"]
