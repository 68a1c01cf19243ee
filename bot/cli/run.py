"""`srok run` (the bot and the scheduler's ticks in one event loop) and `srok check`."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.cli.common import CliError, emit_json, json_option, open_database, settings_or_exit
from bot.leader import PollingLeadership
from bot.logging_setup import TokenFilter, configure_logging
from bot.runner import PollingConflictError, WebhookListenError, serve
from bot.services import system_clock
from bot.settings import ConfigurationError, Settings, load_settings
from bot.telegram_sender import TelegramSender, ask_username
from messages import render_plain
from models.advisory import MIGRATE, lock_key, session_lock
from models.chats.updates import forget_strangers, prune_updates
from models.chats.uploads import drop_lapsed_uploads
from models.db import DatabaseUnavailableError, is_up_to_date, make_engine
from scheduler.rules.policy import Policy
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.dispatch_lock import (
    DispatchLockError,
    hold_dispatch_lock,
    release_dispatch_lock,
)
from scheduler.runtime.planning import replan_all
from scheduler.runtime.ticks import TickTimes, install_ticks

__all__ = ["TokenFilter", "check", "run"]  # TokenFilter: its old home, kept for importers

_LOG = logging.getLogger("srok.run")


def _install_ticks(
    application: Application,
    settings: Settings,
    session_factory: sessionmaker[Session],
    stop: asyncio.Event,
) -> list[str]:
    """The dispatch sweep, the daily re-plan and the weekly digest on PTB's JobQueue; a
    pass under way stops between sends once `stop` is set."""
    dispatcher = Dispatcher(
        session_factory,
        TelegramSender(application.bot),
        config=DispatchConfig(
            owner=f"{socket.gethostname()}:{os.getpid()}",
            timezone=settings.srok_timezone,
            work_hours=(settings.srok_work_start_hour, settings.srok_work_end_hour),
            progress_silence=timedelta(days=settings.srok_progress_silence_days),
        ),
        shutdown=stop,
        grace=settings.srok_stop_grace_seconds,
    )

    retention = timedelta(days=settings.srok_update_retention_days)
    known = tuple(settings.srok_coordinator_ids)

    def _forget_strangers() -> int:
        with session_factory.begin() as session:
            return forget_strangers(session, known_users=known)

    async def sweep() -> object:
        report = await dispatcher.run_pass(now=system_clock())
        # Strangers' updates are not kept beyond their handling (here: within a sweep).
        await asyncio.to_thread(_forget_strangers)
        return report

    def _prune() -> int:
        with session_factory.begin() as session:
            # Plan files sent to the bot and never confirmed lapse with the same tick.
            drop_lapsed_uploads(session, now=system_clock())
            return prune_updates(
                session, now=system_clock(), retention=retention, known_users=known
            )

    async def replan() -> object:
        planned = await asyncio.to_thread(plan_everything, settings, session_factory)
        await asyncio.to_thread(_prune)  # the daily tick: old payloads go
        return planned

    assert application.job_queue is not None
    return install_ticks(
        application.job_queue,
        run_sweep=sweep,
        run_replan=replan,
        run_digest=sweep,  # the digest is a reminder the re-plan made; a sweep sends it
        times=TickTimes(timezone=settings.srok_timezone, sweep_seconds=settings.srok_sweep_seconds),
    )


def plan_everything(settings: Settings, session_factory: sessionmaker[Session]) -> object:
    """One planning pass over every plan at the present moment (the daily tick, start-up)."""
    try:
        with session_factory.begin() as session:
            # Several processes re-plan at the same minute: one after another (its lock).
            return replan_all(session, policy=Policy.from_settings(settings), now=system_clock())
    except IntegrityError as exc:
        # Inserts skip existing keys, so this should not happen; if it does, the next
        # re-plan (a contact's change, tomorrow's tick) finishes what this one began.
        _LOG.error("re-plan lost a race with another process: %s", exc.orig)
        return None


def _open_database_one_at_a_time(settings: Settings) -> sessionmaker[Session]:
    """open_database (which migrates), on PostgreSQL under a lock: several processes
    started together must not apply the same migration at once."""
    if make_url(settings.database_url).get_backend_name() != "postgresql":
        return open_database(settings)
    try:
        engine = make_engine(settings.database_url, poolclass=NullPool)
    except DatabaseUnavailableError as exc:
        raise CliError(str(exc)) from exc
    try:
        with engine.connect() as connection, session_lock(connection, key=lock_key(MIGRATE)):
            return open_database(settings)
    except SQLAlchemyError as exc:
        raise CliError(f"база данных недоступна: {_one_line(exc)}") from exc
    finally:
        engine.dispose()


def _leadership(settings: Settings) -> PollingLeadership | None:
    """On PostgreSQL with long polling, the polling lock; otherwise None (poll at once)."""
    if settings.webhook_url or make_url(settings.database_url).get_backend_name() != "postgresql":
        return None
    assert settings.telegram_bot_token is not None
    bot_id = int(settings.telegram_bot_token.get_secret_value().partition(":")[0])
    return PollingLeadership(
        settings.database_url, bot_id=bot_id, retry_seconds=settings.srok_leader_retry_seconds
    )


async def _run(settings: Settings, session_factory: sessionmaker[Session]) -> None:
    # Imported here: the handlers pull in matplotlib and friends, which `srok check` and a
    # missing token do not need.
    from bot.app import build_application

    application = build_application(settings, session_factory)
    stop = asyncio.Event()
    ticks = _install_ticks(application, settings, session_factory, stop)
    # Plan at once, not at the next night's tick: after downtime, an upgrade or an import
    # the outbox may be behind, and the first sweep sends what is owed by now.
    planned = await asyncio.to_thread(plan_everything, settings, session_factory)
    _LOG.info("srok: planned at start-up: %s", planned)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    leadership = _leadership(settings)

    async def started(app: Application) -> None:
        mode = "webhook" if settings.webhook_url else "long polling"
        if leadership is not None:
            mode += ", polling only while holding the lock"
        _LOG.warning("srok: bot @%s running (%s), ticks: %s", app.bot.username, mode, ticks)

    await serve(
        application,
        settings,
        stop=stop,
        on_started=started,
        poll_timeout=settings.srok_poll_timeout,
        leadership=leadership,
    )


@click.command("run")
def run() -> None:
    """Бот и планировщик: long polling (или webhook при WEBHOOK_URL) до SIGTERM/SIGINT."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        raise CliError("не задан TELEGRAM_BOT_TOKEN (его выдаёт @BotFather)")
    configure_logging(
        settings.srok_log_format, token=settings.telegram_bot_token.get_secret_value()
    )
    session_factory = _open_database_one_at_a_time(settings)
    try:
        # SQLite: one process per file (no SKIP LOCKED); PostgreSQL: nothing to hold.
        hold_dispatch_lock(settings.database_url)
    except DispatchLockError as exc:
        raise CliError(str(exc)) from exc
    try:
        asyncio.run(_run(settings, session_factory))
    except InvalidToken as exc:
        raise CliError("сервер Bot API отклонил TELEGRAM_BOT_TOKEN") from exc
    except (PollingConflictError, WebhookListenError) as exc:
        raise CliError(str(exc)) from exc
    except NetworkError as exc:
        raise CliError(
            f"сервер Bot API {settings.telegram_api_base_url} недоступен: {exc.message}"
        ) from exc
    finally:
        release_dispatch_lock(settings.database_url)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _one_line(exc: Exception) -> str:
    """The driver's reason, without SQLAlchemy's SQL and links, on one line."""
    if isinstance(exc, DatabaseUnavailableError):
        why = exc.why
    elif isinstance(exc, DBAPIError) and exc.orig is not None:
        why = str(exc.orig)
    else:
        why = str(exc)
    return " ".join(why.split())


def _missing_sqlite_file(database_url: str) -> Path | None:
    """The SQLite file the URL names when it does not exist (checking must not create it)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    path = Path(url.database)
    return None if path.exists() else path


def _check_database(settings: Settings) -> Check:
    try:
        missing = _missing_sqlite_file(settings.database_url)
        if missing is not None:
            return Check("база данных", False, f"нет файла {missing}: выполните srok db upgrade")
        engine = make_engine(settings.database_url)
        try:
            current = is_up_to_date(engine)
        finally:
            engine.dispose()
    except (DatabaseUnavailableError, SQLAlchemyError) as exc:
        return Check("база данных", False, f"недоступна: {_one_line(exc)}")
    if not current:
        return Check("база данных", False, "схема устарела: выполните srok db upgrade")
    return Check("база данных", True, "доступна, схема актуальна")


def _check_token(settings: Settings) -> Check:
    if settings.telegram_bot_token is None:
        return Check("токен", True, "TELEGRAM_BOT_TOKEN не задан, проверка пропущена")
    try:
        username = asyncio.run(
            ask_username(
                settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
            )
        )
    except InvalidToken:
        return Check("токен", False, "сервер Bot API отклонил TELEGRAM_BOT_TOKEN")
    except TelegramError as exc:
        return Check("токен", False, f"сервер Bot API недоступен: {exc.message}")
    return Check("токен", True, f"принят, бот @{username}")


@click.command("check")
@json_option
def check(as_json: bool) -> None:
    """Проверка конфигурации, базы и токена; код выхода 0/1 для мониторинга."""
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        checks = [Check("конфигурация", False, str(exc))]
    else:
        checks = [
            Check("конфигурация", True, "в порядке"),
            _check_database(settings),
            _check_token(settings),
        ]
    ok = all(c.ok for c in checks)
    if as_json:
        emit_json({"ok": ok, "checks": [asdict(c) for c in checks]})
    else:
        click.echo(render_plain("cli/check.j2", checks=checks))
    if not ok:
        raise SystemExit(1)
