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
from messages import render_plain
from models.db import DatabaseUnavailableError, make_engine, make_session_factory, upgrade
from scheduler.rules.numbers import MAX_ID, MAX_YEAR, MIN_YEAR, parse_id, sane_moment

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
            day = date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r}: нужна дата ГГГГ-ММ-ДД", param, ctx)
        return _sane(day, value)


class IsoMoment(click.ParamType):
    """An ISO date-time; without an offset it is read in SROK_TIMEZONE's zone by the caller."""

    name = "МОМЕНТ"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r}: нужен момент ГГГГ-ММ-ДДTЧЧ:ММ[+03:00]", param, ctx)
        return _sane(moment, value)


def _sane(moment: Any, typed: Any) -> Any:
    """A date or moment in the years a plan can use; one `srok: …` line for any other."""
    if sane_moment(moment) is None:
        raise CliError(render_plain("cli/bad_moment.j2", text=typed, low=MIN_YEAR, high=MAX_YEAR))
    return moment


class RowId(click.ParamType):
    """A plan's (or another row's) id: ASCII digits within a database id's range."""

    name = "НОМЕР"

    def __init__(self, what: str) -> None:
        self.what = what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        found = parse_id(str(value))
        if found is None:
            text = render_plain("bot/bad_number.j2", what=self.what, text=value, low=1, high=MAX_ID)
            raise CliError(text)
        return found


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
