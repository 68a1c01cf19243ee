"""`srok reminders` and `srok dispatch`: the outbox from the command line."""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click
from sqlalchemy.orm import Session, sessionmaker
from telegram.error import InvalidToken, NetworkError

from bot.cli.common import (
    CliError,
    IsoDate,
    IsoMoment,
    aware,
    emit_json,
    json_option,
    now_utc,
    open_database,
    settings_or_exit,
)
from bot.logging_setup import configure_logging
from bot.settings import Settings
from messages import render_plain
from scheduler.rules.policy import Policy
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher, DispatchReport
from scheduler.runtime.dispatch_lock import DispatchLockError, hold_dispatch_lock
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.planning import list_reminders, replan_all


def dispatcher_name() -> str:
    """Names this process in the leases it takes (host, pid, a random tag)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@click.command("dispatch")
@click.option("--now", "moment", type=IsoMoment(), help="Момент прохода (по умолчанию — сейчас).")
@click.option(
    "--lease",
    type=click.FloatRange(min=0.1),
    default=300.0,
    show_default=True,
    help="Срок захвата напоминания, секунд: после него другой процесс может его забрать.",
)
@click.option("--batch", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--no-pacing", is_flag=True, help="Без собственных ограничений скорости.")
@click.option("--any-hour", is_flag=True, help="Отправлять и вне рабочего времени.")
@json_option
def dispatch(
    moment: datetime | None,
    lease: float,
    batch: int,
    no_pacing: bool,
    any_hour: bool,
    as_json: bool,
) -> None:
    """Один проход рассылки: отправить всё, что пора, через Telegram."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        raise CliError("не задан TELEGRAM_BOT_TOKEN: для рассылки нужен токен бота от @BotFather")
    configure_logging(
        settings.srok_log_format, token=settings.telegram_bot_token.get_secret_value()
    )
    try:
        hold_dispatch_lock(settings.database_url)
    except DispatchLockError as exc:
        raise CliError(str(exc)) from exc
    session_factory = open_database(settings)
    now = aware(moment, settings.srok_timezone)
    config = DispatchConfig(
        owner=dispatcher_name(),
        lease_for=timedelta(seconds=lease),
        batch=batch,
        timezone=settings.srok_timezone,
        work_hours=None
        if any_hour
        else (settings.srok_work_start_hour, settings.srok_work_end_hour),
        progress_silence=timedelta(days=settings.srok_progress_silence_days),
    )
    pacer = Pacer.unlimited() if no_pacing else Pacer()
    try:
        report = asyncio.run(_dispatch(settings, session_factory, config, pacer, now))
    except InvalidToken as exc:
        raise CliError("сервер Bot API отклонил TELEGRAM_BOT_TOKEN") from exc
    except NetworkError as exc:
        raise CliError(
            f"сервер Bot API {settings.telegram_api_base_url} недоступен: {exc.message}"
        ) from exc
    if as_json:
        emit_json({"now": now, **report.as_json()})
        return
    click.echo(
        render_plain("cli/dispatch.j2", report=report, now=now, timezone=settings.srok_timezone)
    )


async def _dispatch(
    settings: Settings,
    session_factory: sessionmaker[Session],
    config: DispatchConfig,
    pacer: Pacer,
    now: datetime,
) -> DispatchReport:
    """One pass with the Telegram sender; leases run on the real clock."""
    from bot.telegram_sender import TelegramSender, build_bot

    assert settings.telegram_bot_token is not None
    bot = build_bot(settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url)
    async with bot:
        dispatcher = Dispatcher(session_factory, TelegramSender(bot), config=config, pacer=pacer)
        return await dispatcher.run_pass(now=now, lease_clock=now_utc)


# --- `srok reminders` (the planning side; `dispatch` above belongs to the dispatcher) ---


@click.command("reminders")
@click.option("--from", "start", type=IsoDate(), default=None, help="С этой даты (включительно).")
@click.option("--to", "end", type=IsoDate(), default=None, help="По эту дату (включительно).")
@click.option("--plan", "replan", is_flag=True, help="Сначала пересчитать напоминания.")
@click.option("--now", "moment", type=IsoMoment(), help="Момент пересчёта (по умолчанию — сейчас).")
@json_option
def reminders(
    start: date | None, end: date | None, replan: bool, moment: datetime | None, as_json: bool
) -> None:
    """Запланированные напоминания; с --plan — пересчитанные по политике на момент --now."""
    settings = settings_or_exit()
    if start is not None and end is not None and end < start:
        raise CliError(f"--to {end.isoformat()} раньше, чем --from {start.isoformat()}")
    session_factory = open_database(settings)
    zone = ZoneInfo(settings.srok_timezone)
    result = None
    if replan:
        with session_factory.begin() as session:
            result = replan_all(
                session,
                policy=Policy.from_settings(settings),
                now=aware(moment, settings.srok_timezone),
            )
    with session_factory.begin() as session:
        rows = list_reminders(
            session,
            start=_day_start(start, zone),
            end=_day_start(end + timedelta(days=1), zone) if end else None,
        )
    for row in rows:
        row["due"] = row["due"].astimezone(zone)
    if as_json:
        emit_json(rows)
        return
    click.echo(
        render_plain("cli/reminders.j2", rows=rows, result=result, timezone=settings.srok_timezone)
    )


def _day_start(day: date | None, zone: ZoneInfo) -> datetime | None:
    """Midnight starting `day` in `zone`."""
    return datetime.combine(day, time(), tzinfo=zone) if day else None
