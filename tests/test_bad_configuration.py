"""Bad configuration in the rarer places: one `srok: …` line and exit 1, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.settings import ConfigurationError, load_settings
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi

SROK = Path(sys.executable).parent / "srok"


@pytest.fixture
def srok(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    for name in os.environ:
        if name.startswith(("TELEGRAM_", "SROK_", "WEBHOOK_", "DATABASE_")):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def _one_line(result: object) -> str:
    """The single `srok: …` line a failed command printed (and nothing else)."""
    assert result.exit_code == 1, result.output  # type: ignore[attr-defined]
    assert result.exception is None or isinstance(result.exception, SystemExit)  # type: ignore[attr-defined]
    lines = result.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1, result.stderr  # type: ignore[attr-defined]
    assert lines[0].startswith("srok: ")
    return lines[0]


@pytest.mark.parametrize(("start", "end"), [(18, 9), (12, 12), (23, 1)])
def test_office_hours_that_can_never_be_met_are_refused(
    srok: CliRunner, start: int, end: int
) -> None:
    env = {"SROK_WORK_START_HOUR": str(start), "SROK_WORK_END_HOUR": str(end)}
    line = _one_line(srok.invoke(main, ["reminders"], env=env))
    assert "SROK_WORK_START_HOUR" in line and "SROK_WORK_END_HOUR" in line
    with pytest.raises(ConfigurationError):
        load_settings(srok_work_start_hour=start, srok_work_end_hour=end)


def test_office_hours_that_can_be_met_are_accepted() -> None:
    settings = load_settings(srok_work_start_hour=0, srok_work_end_hour=24)
    assert (settings.srok_work_start_hour, settings.srok_work_end_hour) == (0, 24)
    assert load_settings(srok_work_start_hour=17, srok_work_end_hour=18).srok_work_end_hour == 18


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("nonsense", "DATABASE_URL"),
        ("mysql://srok@127.0.0.1/srok", "mysql не поддерживается"),
        ("oracle://srok@127.0.0.1/srok", "не поддерживается"),
        ("postgresql+asyncpg://srok@127.0.0.1/srok", "драйвер postgresql+asyncpg не установлен"),
    ],
)
@pytest.mark.parametrize("command", ["run", "dispatch", "items"])
def test_a_database_url_srok_cannot_use_is_one_line(
    srok: CliRunner, url: str, needle: str, command: str
) -> None:
    env = {"DATABASE_URL": url, "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN}
    line = _one_line(srok.invoke(main, [command], env=env))
    assert needle in line


def test_an_unwritable_place_for_the_dispatch_lock_is_one_line(
    srok: CliRunner, tmp_path: Path
) -> None:
    # Root ignores a read-only directory's mode; a directory where the lock file should be
    # fails the same way (the file cannot be created) for every user.
    (tmp_path / "srok.db.dispatch.lock").mkdir()
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'srok.db'}", "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN}
    for command in ("dispatch", "run"):
        line = _one_line(srok.invoke(main, [command], env=env))
        assert "srok.db.dispatch.lock" in line and "блокировки" in line


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"WEBHOOK_LISTEN": "999.1.1.1"}, "WEBHOOK_LISTEN"),
        ({"WEBHOOK_LISTEN": "10.0.0.256"}, "WEBHOOK_LISTEN"),
        ({"WEBHOOK_URL": "ftp://srok.example.org/hook"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "srok.example.org/hook"}, "WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https:///hook"}, "WEBHOOK_URL"),
    ],
)
def test_webhook_settings_that_cannot_work_are_one_line(
    srok: CliRunner, env: dict[str, str], needle: str
) -> None:
    env = {"TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN, **env}
    assert needle in _one_line(srok.invoke(main, ["run"], env=env))


def test_usable_webhook_settings_are_kept() -> None:
    settings = load_settings(webhook_url="https://srok.example.org/tg", webhook_listen="::")
    assert settings.webhook_url == "https://srok.example.org/tg"
    assert load_settings(webhook_listen="localhost").webhook_listen == "localhost"
    assert load_settings(webhook_url="").webhook_url is None


def test_a_dotenv_that_is_not_utf8_is_one_line(srok: CliRunner, tmp_path: Path) -> None:
    comment = "# Координаторы\n".encode("cp1251")
    (tmp_path / ".env").write_bytes(b"SROK_TIMEZONE=Europe/Minsk\n" + comment)
    line = _one_line(srok.invoke(main, ["items"]))
    assert ".env" in line and "UTF-8" in line


def _run(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SROK), "run"],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_webhook_port_in_use_is_one_line_without_unclosed_sessions(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _run(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'srok.db'}",
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "TELEGRAM_API_BASE_URL": fake_api.root,
                "WEBHOOK_URL": "https://srok.example.org/hook",
                "WEBHOOK_PORT": str(port),
            },
            tmp_path,
        )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"srok: webhook не может слушать 127.0.0.1:{port} (WEBHOOK_LISTEN, WEBHOOK_PORT): "
        "Address already in use"
    ]


def test_an_unreachable_bot_api_leaves_no_unclosed_session(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, never listening: connections are refused
        done = _run(
            {
                "DATABASE_URL": f"sqlite:///{tmp_path / 'srok.db'}",
                "TELEGRAM_BOT_TOKEN": DEFAULT_TOKEN,
                "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{port}",
            },
            tmp_path,
        )
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("srok: сервер Bot API"), done.stderr
