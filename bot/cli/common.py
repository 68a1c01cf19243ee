"""What every `srok` command shares: settings, the database, JSON output, the clock."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import IO, Any, TypeVar

import click
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import ConfigurationError, Settings, load_settings
from models.db import DatabaseUnavailableError, make_engine, make_session_factory, upgrade

F = TypeVar("F", bound=Callable[..., Any])


class CliError(click.ClickException):
    """One clear line on standard error and a non-zero exit; never a traceback."""

    exit_code = 1

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"srok: {self.message}", err=True, file=file)


def settings_or_exit(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except ConfigurationError as exc:
        raise CliError(str(exc)) from exc


def open_database(settings: Settings, *, migrate: bool = True) -> sessionmaker[Session]:
    """A session factory on the configured database, migrated to the newest schema."""
    try:
        engine = make_engine(settings.database_url)
        if migrate:
            upgrade(engine)
    except DatabaseUnavailableError as exc:
        raise CliError(str(exc)) from exc
    except OperationalError as exc:
        raise CliError(" ".join(f"база данных недоступна: {exc.orig}".split())) from exc
    return make_session_factory(engine)


def json_option(func: F) -> F:
    """The `--json` flag every command that prints data has."""
    return click.option("--json", "as_json", is_flag=True, help="Вывод в JSON.")(func)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=_json_default)


def emit_json(data: Any) -> None:
    """One JSON document on standard output."""
    sys.stdout.write(to_json(data) + "\n")


class IsoDate(click.ParamType):
    name = "ДАТА"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r}: нужна дата ГГГГ-ММ-ДД", param, ctx)


class IsoMoment(click.ParamType):
    """An ISO date-time; without an offset it is read in SROK_TIMEZONE's zone by the caller."""

    name = "МОМЕНТ"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r}: нужен момент ГГГГ-ММ-ДДTЧЧ:ММ[+03:00]", param, ctx)


def now_utc() -> datetime:
    """The real clock; only the CLI and bot/ read it."""
    return datetime.now(UTC)


def aware(moment: datetime | None, timezone: str) -> datetime:
    """`moment` made aware in `timezone` (the real clock when None)."""
    from zoneinfo import ZoneInfo

    if moment is None:
        return now_utc()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=ZoneInfo(timezone))
    return moment
