"""`srok check` for monitoring: each part on its own line, exit 1 when any fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from models.db import make_engine, upgrade
from tests.support.fakebotapi import DEFAULT_TOKEN, FakeBotApi


@pytest.fixture
def check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """`srok check --json` with DATABASE_URL and the token set as given."""
    monkeypatch.chdir(tmp_path)  # no stray .env

    def run(database_url: str, *, token: str | None = None, api: str = "") -> Result:
        monkeypatch.setenv("DATABASE_URL", database_url)
        for name, value in (("TELEGRAM_BOT_TOKEN", token), ("TELEGRAM_API_BASE_URL", api)):
            if value:
                monkeypatch.setenv(name, value)
            else:
                monkeypatch.delenv(name, raising=False)
        return CliRunner().invoke(main, ["check", "--json"])

    return run


def _parts(result: Result) -> dict[str, tuple[bool, str]]:
    shown = json.loads(result.stdout)
    parts = {c["name"]: (c["ok"], c["detail"]) for c in shown["checks"]}
    assert shown["ok"] == all(ok for ok, _ in parts.values())
    assert result.exit_code == (0 if shown["ok"] else 1)
    return parts


@pytest.mark.postgres
def test_postgres_migrated_and_token_accepted_is_healthy(
    check, pg_url: str, fake_api: FakeBotApi
) -> None:
    stale = _parts(check(pg_url, token=DEFAULT_TOKEN, api=fake_api.root))
    assert stale["база данных"] == (False, "схема устарела: выполните srok db upgrade")
    assert stale["токен"] == (True, "принят, бот @srok_test_bot")
    engine = make_engine(pg_url)
    upgrade(engine)
    engine.dispose()
    healthy = _parts(check(pg_url, token=DEFAULT_TOKEN, api=fake_api.root))
    assert healthy == {
        "конфигурация": (True, "в порядке"),
        "база данных": (True, "доступна, схема актуальна"),
        "токен": (True, "принят, бот @srok_test_bot"),
    }


def test_unreachable_database_and_bot_api_fail_in_one_line_each(check) -> None:
    result = check(
        "postgresql://postgres@127.0.0.1:1/none", token=DEFAULT_TOKEN, api="http://127.0.0.1:9"
    )
    parts = _parts(result)
    assert result.exit_code == 1
    ok, detail = parts["база данных"]
    assert not ok and detail.startswith("недоступна: ") and "\n" not in detail
    ok, detail = parts["токен"]
    assert not ok and detail.startswith("сервер Bot API недоступен")
    assert DEFAULT_TOKEN not in result.stdout


def test_a_missing_sqlite_file_fails_and_is_not_created(check, tmp_path: Path) -> None:
    path = tmp_path / "absent.db"
    parts = _parts(check(f"sqlite:///{path}"))
    assert parts["база данных"] == (False, f"нет файла {path}: выполните srok db upgrade")
    assert parts["токен"][0] is True  # no token: skipped, not a failure
    assert not path.exists()


def test_bad_configuration_alone_is_reported(check, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SROK_LOG_FORMAT", "xml")
    parts = _parts(check("sqlite:///x.db"))
    assert list(parts) == ["конфигурация"]
    assert parts["конфигурация"][0] is False and "SROK_LOG_FORMAT" in parts["конфигурация"][1]
