"""Configuration from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class ConfigurationError(Exception):
    """Bad configuration, said in one line that names the setting."""

    def __init__(self, error: ValidationError | str) -> None:
        if isinstance(error, str):
            super().__init__("ошибка конфигурации: " + error)
            return
        parts = []
        for problem in error.errors():
            name = ".".join(str(p) for p in problem["loc"]).upper()
            message = str(problem["msg"]).removeprefix("Value error, ")
            # A rule across settings (no loc) names them itself.
            parts.append(f"{name}: {message}" if name else message)
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
    #: On SIGTERM, how long a send in flight may still take before it is abandoned.
    srok_stop_grace_seconds: float = Field(default=2.0, ge=0, le=20)

    # Reminder policy (DESIGN.md defaults).
    srok_heads_up_days: int = Field(default=14, ge=0, le=90)
    srok_before_end_days: int = Field(default=3, ge=0, le=60)
    srok_repeat_working_days: int = Field(default=3, ge=1, le=30)
    srok_work_start_hour: int = Field(default=9, ge=0, le=23)
    srok_work_end_hour: int = Field(default=18, ge=1, le=24)
    #: Days without a report of the agency before a monthly «Как продвигается работа?».
    srok_progress_silence_days: int = Field(default=30, ge=0, le=366)
    srok_invite_ttl_days: int = Field(default=14, ge=1, le=365)
    #: How long a handled update's payload is kept (contacts' and coordinators' only).
    srok_update_retention_days: int = Field(default=30, ge=1, le=3650)
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

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError as exc:
            raise ValueError(
                "не адрес базы данных (нужен sqlite:///srok.db или postgresql://…)"
            ) from exc
        if url.get_backend_name() not in ("sqlite", "postgresql"):
            raise ValueError(
                f"{url.get_backend_name()} не поддерживается: нужна SQLite или PostgreSQL"
            )
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(
                "нужен адрес вида https://example.org/telegram (Telegram шлёт только по HTTPS)"
            )
        return value.strip()

    @field_validator("webhook_listen")
    @classmethod
    def _listen_address(cls, value: str) -> str:
        value = value.strip()
        if not (_is_ip_address(value) or _HOST_NAME.fullmatch(value)):
            raise ValueError(
                f"{value!r} — не IP-адрес и не имя узла (например, 127.0.0.1 или 0.0.0.0)"
            )
        return value

    @model_validator(mode="after")
    def _office_hours(self) -> Settings:
        if self.srok_work_start_hour >= self.srok_work_end_hour:
            raise ValueError(
                f"SROK_WORK_START_HOUR ({self.srok_work_start_hour}) должно быть меньше "
                f"SROK_WORK_END_HOUR ({self.srok_work_end_hour}): иначе рабочие часы "
                "не наступят и напоминания не уйдут никогда"
            )
        return self

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        bot_id, _, secret = value.get_secret_value().partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("токен бота имеет вид 123456:ABC… (его выдаёт @BotFather)")
        return value


#: A host name to listen on (localhost, a name in /etc/hosts); digits-and-dots are not one.
_HOST_NAME = re.compile(r"(?=.*[a-zA-Z])[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)*")


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment; raises ConfigurationError with one clear line."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise ConfigurationError(exc) from exc
    except UnicodeDecodeError as exc:  # pydantic-settings reads .env as UTF-8
        raise ConfigurationError(
            f"файл .env не в кодировке UTF-8 (байт {exc.start}); сохраните его в UTF-8"
        ) from exc
