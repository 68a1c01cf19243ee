"""Configuration from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ConfigurationError(Exception):
    """Bad configuration, said in one line that names the setting."""

    def __init__(self, error: ValidationError) -> None:
        parts = []
        for problem in error.errors():
            name = ".".join(str(p) for p in problem["loc"]).upper() or "?"
            message = str(problem["msg"]).removeprefix("Value error, ")
            parts.append(f"{name}: {message}")
        super().__init__("ошибка конфигурации: " + "; ".join(parts))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", frozen=True
    )

    telegram_bot_token: SecretStr | None = None
    #: The Bot API server's root; Srok appends /bot<token>/<method>.
    telegram_api_base_url: str = "https://api.telegram.org"
    #: For deep links when the bot has not asked Telegram its own name (getMe).
    telegram_bot_username: str | None = None
    database_url: str = "sqlite:///srok.db"
    srok_timezone: str = "Europe/Moscow"
    srok_coordinator_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)

    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)

    # Production: log lines (text or JSON), long polling, several processes on PostgreSQL.
    srok_log_format: Literal["text", "json"] = "text"
    srok_poll_timeout: float = Field(default=10.0, ge=0, le=60)
    #: How often a waiting process tries the polling lock and a leader checks it still holds it.
    srok_leader_retry_seconds: float = Field(default=5.0, gt=0, le=300)
    #: The dispatch sweep's period (tests shorten it).
    srok_sweep_seconds: float = Field(default=60.0, gt=0, le=3600)

    # Reminder policy (DESIGN.md defaults).
    srok_heads_up_days: int = Field(default=14, ge=0, le=90)
    srok_before_end_days: int = Field(default=3, ge=0, le=60)
    srok_repeat_working_days: int = Field(default=3, ge=1, le=30)
    srok_work_start_hour: int = Field(default=9, ge=0, le=23)
    srok_work_end_hour: int = Field(default=18, ge=1, le=24)
    srok_invite_ttl_days: int = Field(default=14, ge=1, le=365)
    #: An agency's «Перенос» waits for a coordinator's «Согласовать» before dates change.
    srok_postpone_approval: bool = True

    @field_validator("srok_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"неизвестный часовой пояс {value!r}") from exc
        return value

    @field_validator("srok_coordinator_ids", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _root_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("нужен адрес вида https://api.telegram.org")
        return value.rstrip("/")

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("токен бота имеет вид 123456:ABC… (его выдаёт @BotFather)")
        return value


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment; raises ConfigurationError with one clear line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigurationError(exc) from exc
