"""`srok run` (the bot and the scheduler's ticks in one event loop) and `srok check`."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import socket
from dataclasses import dataclass

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.cli.common import CliError, open_database, settings_or_exit
from bot.runner import PollingConflictError, serve
from bot.services import system_clock
from bot.settings import ConfigurationError, Settings, load_settings
from bot.telegram_sender import TelegramSender
from messages import render_plain
from models.db import DatabaseUnavailableError, is_up_to_date, make_engine
from models.reminders import plan_reminders
from scheduler.dispatch import DispatchConfig, Dispatcher
from scheduler.policy import Policy
from scheduler.ticks import TickTimes, install_ticks

_LOG = logging.getLogger("srok.run")


class TokenFilter(logging.Filter):
    """Replaces the bot token in every record (httpx and PTB put request URLs in logs)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "<token>"), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.token in record.exc_text:
            record.exc_text = record.exc_text.replace(self.token, "<token>")
        return True


def hide_token(token: str) -> None:
    """Install the TokenFilter on every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        handler.addFilter(TokenFilter(token))


def _install_ticks(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    session_factory: sessionmaker[Session],
) -> list[str]:
    """The dispatch sweep, the daily re-plan and the weekly digest on PTB's JobQueue."""
    dispatcher = Dispatcher(
        session_factory,
        TelegramSender(application.bot),
        config=DispatchConfig(
            owner=f"{socket.gethostname()}:{os.getpid()}",
            timezone=settings.srok_timezone,
            work_hours=(settings.srok_work_start_hour, settings.srok_work_end_hour),
        ),
    )
    policy = Policy.from_settings(settings)

    async def sweep() -> object:
        return await dispatcher.run_pass(now=system_clock())

    def _replan() -> object:
        with session_factory.begin() as session:
            return plan_reminders(session, now=system_clock(), policy=policy)

    async def replan() -> object:
        return await asyncio.to_thread(_replan)

    assert application.job_queue is not None
    return install_ticks(
        application.job_queue,
        run_sweep=sweep,
        run_replan=replan,
        run_digest=sweep,  # the digest is a reminder the re-plan made; a sweep sends it
        times=TickTimes(timezone=settings.srok_timezone),
    )


async def _run(settings: Settings, session_factory: sessionmaker[Session]) -> None:
    # Imported here: the handlers pull in matplotlib and friends, which `srok check` and a
    # missing token do not need.
    from bot.app import build_application

    application = build_application(settings, session_factory)
    ticks = _install_ticks(application, settings, session_factory)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)

    async def started(app: Application) -> None:  # type: ignore[type-arg]
        mode = "webhook" if settings.webhook_url else "long polling"
        _LOG.warning("srok: bot @%s running (%s), ticks: %s", app.bot.username, mode, ticks)

    await serve(application, settings, stop=stop, on_started=started)


@click.command("run")
def run() -> None:
    """Бот и планировщик: long polling (или webhook при WEBHOOK_URL) до SIGTERM/SIGINT."""
    settings = settings_or_exit()
    if settings.telegram_bot_token is None:
        raise CliError("не задан TELEGRAM_BOT_TOKEN (его выдаёт @BotFather)")
    hide_token(settings.telegram_bot_token.get_secret_value())
    session_factory = open_database(settings)
    try:
        asyncio.run(_run(settings, session_factory))
    except InvalidToken as exc:
        raise CliError("сервер Bot API отклонил TELEGRAM_BOT_TOKEN") from exc
    except PollingConflictError as exc:
        raise CliError(str(exc)) from exc
    except NetworkError as exc:
        raise CliError(
            f"сервер Bot API {settings.telegram_api_base_url} недоступен: {exc.message}"
        ) from exc


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _check_database(settings: Settings) -> Check:
    try:
        engine = make_engine(settings.database_url)
        current = is_up_to_date(engine)
        engine.dispose()
    except (DatabaseUnavailableError, OperationalError, SQLAlchemyError) as exc:
        return Check("база данных", False, f"недоступна: {exc}")
    if not current:
        return Check("база данных", False, "схема устарела: выполните srok db upgrade")
    return Check("база данных", True, "доступна, схема актуальна")


async def _get_me(settings: Settings) -> str:
    assert settings.telegram_bot_token is not None
    root = settings.telegram_api_base_url
    bot = Bot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=root + "/bot",
        base_file_url=root + "/file/bot",
    )
    async with bot:
        return bot.username


def _check_token(settings: Settings) -> Check:
    if settings.telegram_bot_token is None:
        return Check("токен", True, "TELEGRAM_BOT_TOKEN не задан, проверка пропущена")
    try:
        username = asyncio.run(_get_me(settings))
    except InvalidToken:
        return Check("токен", False, "сервер Bot API отклонил TELEGRAM_BOT_TOKEN")
    except TelegramError as exc:
        return Check("токен", False, f"сервер Bot API недоступен: {exc.message}")
    return Check("токен", True, f"принят, бот @{username}")


@click.command("check")
def check() -> None:
    """Проверка конфигурации, базы и токена; код выхода 0/1 для мониторинга."""
    try:
        settings = load_settings()
    except ConfigurationError as exc:
        click.echo(render_plain("cli/check.j2", checks=[Check("конфигурация", False, str(exc))]))
        raise SystemExit(1) from exc
    checks = [
        Check("конфигурация", True, "в порядке"),
        _check_database(settings),
        _check_token(settings),
    ]
    click.echo(render_plain("cli/check.j2", checks=checks))
    if not all(c.ok for c in checks):
        raise SystemExit(1)
