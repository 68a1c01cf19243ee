"""Configuration: defaults, parsing, and one clear line for bad values."""

from __future__ import annotations

import pytest

from bot.settings import ConfigurationError, load_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = load_settings()
    assert settings.database_url == "sqlite:///srok.db"
    assert settings.srok_timezone == "Europe/Moscow"
    assert settings.telegram_api_base_url == "https://api.telegram.org"
    assert settings.telegram_bot_token is None


def test_coordinator_ids_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SROK_COORDINATOR_IDS", "101, 202,303")
    assert load_settings().srok_coordinator_ids == [101, 202, 303]


def test_base_url_trailing_slash_dropped() -> None:
    settings = load_settings(telegram_api_base_url="http://127.0.0.1:8081/")
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081"


@pytest.mark.parametrize(
    ("env", "value", "needle"),
    [
        ("SROK_TIMEZONE", "Mars/Olympus", "SROK_TIMEZONE"),
        ("TELEGRAM_BOT_TOKEN", "not-a-token", "TELEGRAM_BOT_TOKEN"),
        ("SROK_COORDINATOR_IDS", "alice", "SROK_COORDINATOR_IDS"),
        ("WEBHOOK_PORT", "99999", "WEBHOOK_PORT"),
    ],
)
def test_bad_values_give_one_line(
    monkeypatch: pytest.MonkeyPatch, env: str, value: str, needle: str
) -> None:
    monkeypatch.setenv(env, value)
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    message = str(caught.value)
    assert "\n" not in message
    assert needle in message


def test_token_is_secret() -> None:
    settings = load_settings(telegram_bot_token="123456:ABC-secret")
    assert "ABC-secret" not in repr(settings)


def test_a_database_that_is_down_is_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from click.testing import CliRunner

    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/srok")
    result = CliRunner().invoke(main, ["items"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("srok: база данных") and "недоступна" in lines[0]


def test_validator_messages_carry_no_pydantic_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SROK_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert str(caught.value) == (
        "ошибка конфигурации: SROK_TIMEZONE: неизвестный часовой пояс 'Mars/Olympus'"
    )
