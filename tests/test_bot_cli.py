"""`srok invite`, `srok check` and `srok run`: one clear line on failure, tokens kept secret."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.app import build_application
from bot.cli import main
from bot.cli.run import TokenFilter
from bot.runner import PollingConflictError, serve
from models import Invite
from models.chats.invites import hash_token
from models.db import make_engine, make_session_factory, upgrade
from tests.support.botkit import AGENCY, Clock, make_settings, seed
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi, Fault

LINK = re.compile(r"https://t\.me/(\w+)\?start=([A-Za-z0-9_-]{1,64})")


@pytest.fixture
def factory(sqlite_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(sqlite_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def srok(sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "TELEGRAM_BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def test_invite_prints_a_deep_link_whose_token_is_stored_hashed(
    srok: CliRunner, factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(factory)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "@srok_bot")
    result = srok.invoke(main, ["invite", "по культуре", "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    username, token = LINK.fullmatch(shown["link"]).groups()  # type: ignore[union-attr]
    assert (username, shown["agency"], shown["role"]) == ("srok_bot", AGENCY, "contact")
    with factory.begin() as session:
        assert session.scalars(select(Invite.token_hash)).all() == [hash_token(token)]
    plain = srok.invoke(main, ["invite", "--role", "coordinator"])
    assert plain.exit_code == 0 and LINK.search(plain.stdout) and "координатор" in plain.stdout


def test_invite_asks_the_bot_api_for_the_name(
    srok: CliRunner, factory, fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(factory)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_api.root)
    result = srok.invoke(main, ["invite", AGENCY])
    assert result.exit_code == 0, result.output
    assert "https://t.me/srok_test_bot?start=" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["invite", "министерство обороны"], "не найден"),
        (["invite"], "укажите орган"),
        (["invite", "о"], "нескольким органам"),
    ],
)
def test_invite_failures_are_one_line(
    srok: CliRunner, factory, monkeypatch: pytest.MonkeyPatch, args: list[str], expected: str
) -> None:
    seed(factory)
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "srok_bot")
    result = srok.invoke(main, args)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and expected in result.stderr


def test_check_reports_each_part(
    srok: CliRunner, factory, fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_api.root)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", DEFAULT_TOKEN)
    good = srok.invoke(main, ["check"])
    assert good.exit_code == 0, good.output
    assert len(good.stdout.splitlines()) == 3 and "@srok_test_bot" in good.stdout
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:rejected")
    bad = srok.invoke(main, ["check"])
    assert bad.exit_code == 1
    assert "FAIL токен: сервер Bot API отклонил" in bad.stdout
    assert "rejected" not in bad.stdout
    monkeypatch.setenv("SROK_TIMEZONE", "Mars/Olympus")
    broken = srok.invoke(main, ["check"])
    assert broken.exit_code == 1 and broken.stdout.startswith("FAIL конфигурация")


def test_check_fails_on_an_unmigrated_database(
    srok: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    result = srok.invoke(main, ["check"])
    assert result.exit_code == 1 and "FAIL база данных" in result.stdout


def test_run_without_a_token_or_with_a_rejected_one_says_so(
    srok: CliRunner, factory, fake_api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = srok.invoke(main, ["run"])
    assert missing.exit_code == 1
    assert missing.stderr == "srok: не задан TELEGRAM_BOT_TOKEN (его выдаёт @BotFather)\n"
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", fake_api.root)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "999:rejected-secret")
    rejected = srok.invoke(main, ["run"])
    assert rejected.exit_code == 1
    assert rejected.stderr == "srok: сервер Bot API отклонил TELEGRAM_BOT_TOKEN\n"


async def test_a_second_poller_stops_the_bot_with_a_clear_error(
    fake_api: FakeBotApi, factory, sqlite_url: str
) -> None:
    settings = make_settings(fake_api, sqlite_url)
    fake_api.inject(
        Fault(409, "Conflict: terminated by other getUpdates request"),
        method="getUpdates",
        times=None,
    )
    app = build_application(settings, factory, clock=Clock())
    started = time.monotonic()
    with pytest.raises(PollingConflictError, match="409 Conflict"):
        await asyncio.wait_for(
            serve(app, settings, stop=asyncio.Event(), poll_timeout=0, max_conflicts=1), 10
        )
    assert time.monotonic() - started < 5
    assert len(fake_api.calls("getUpdates")) <= 3  # no hot loop


def test_the_token_filter_hides_the_token_everywhere() -> None:
    token = DEFAULT_TOKEN
    record = logging.LogRecord(
        "httpx", logging.INFO, __file__, 1, "POST %s", (f"http://x/bot{token}/getMe",), None
    )
    try:
        raise RuntimeError(f"failed http://x/bot{token}/getUpdates")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    assert TokenFilter(token).filter(record)
    text = logging.Formatter().format(record)
    assert token not in text and "<token>" in text


@pytest.mark.slow
def test_run_polls_publishes_commands_and_stops_on_sigterm_without_logging_the_token(
    fake_api: FakeBotApi, sqlite_url: str, tmp_path: Path
) -> None:
    env = dict(
        os.environ,
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_BASE_URL=fake_api.root,
        DATABASE_URL=sqlite_url,
        SROK_COORDINATOR_IDS="5001",
    )
    srok = Path(sys.executable).parent / "srok"
    process = subprocess.Popen(
        [str(srok), "-v", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        fake_api.wait_for(
            lambda: (
                len(fake_api.world.calls) > 0
                and any(c.method == "getUpdates" for c in fake_api.world.calls)
            ),
            within=30,
        )
        fake_api.send_command(7001, "start")
        fake_api.wait_for(lambda: bool(fake_api.world.chats.get(7001)), within=10)
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr.decode()
    log = stderr.decode()
    assert "getUpdates" in log or "running" in log
    assert DEFAULT_TOKEN not in log and "TEST-token" not in log
    assert fake_api.commands("default") is not None
    assert fake_api.commands("chat", 5001) is not None
