"""Running the Application until told to stop: long polling or a webhook, ticks alongside."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application
from telegram.request import BaseRequest

from bot import updates
from bot.leader import PollingLeadership
from bot.settings import Settings

_LOG = logging.getLogger("srok.run")

#: After this many 409 Conflicts in a row another process clearly owns the token.
CONFLICTS_BEFORE_GIVING_UP = 3


class PollingConflictError(Exception):
    """Another process polls the same token (409 Conflict)."""

    def __init__(self) -> None:
        super().__init__(
            "другой процесс уже получает обновления с этим токеном (409 Conflict): "
            "остановите его или используйте другой токен"
        )


class WebhookListenError(Exception):
    """The webhook server could not listen on WEBHOOK_LISTEN:WEBHOOK_PORT."""

    def __init__(self, listen: str, port: int, error: OSError) -> None:
        why = error.strerror or str(error)
        super().__init__(
            f"webhook не может слушать {listen}:{port} (WEBHOOK_LISTEN, WEBHOOK_PORT): {why}"
        )


@dataclass
class _ConflictWatch:
    stop: asyncio.Event
    limit: int = CONFLICTS_BEFORE_GIVING_UP
    count: int = 0
    failed: bool = False

    def __call__(self, error: TelegramError) -> None:
        if isinstance(error, Conflict):
            self.count += 1
            _LOG.error("getUpdates: 409 Conflict (%s of %s)", self.count, self.limit)
            if self.count >= self.limit:
                self.failed = True
                self.stop.set()
            return
        self.count = 0
        _LOG.warning("getUpdates failed: %s", error)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or one derived from the token: Telegram sends it back in a header and
    PTB's webhook server refuses requests without it. Derived, not random, so that several
    processes behind one proxy (each calling setWebhook at start) agree on it."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value().encode()
    digest = hmac.new(token, b"srok webhook secret", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


async def serve(
    application: Application,
    settings: Settings,
    *,
    stop: asyncio.Event,
    poll_timeout: float = 10.0,
    on_started: Callable[[Application], Awaitable[None]] | None = None,
    max_conflicts: int = CONFLICTS_BEFORE_GIVING_UP,
    leadership: PollingLeadership | None = None,
) -> None:
    """Initialise, run post_init, receive updates until `stop` is set, then shut down cleanly.

    With `leadership` (several processes on PostgreSQL) the process polls only while it
    holds the polling lock and runs the ticks all the time. Raises InvalidToken when the
    server rejects the token and PollingConflictError when another process keeps polling it.
    """
    watch = _ConflictWatch(stop, max_conflicts)
    updater = application.updater
    assert updater is not None

    async def start_polling() -> None:
        await updater.start_polling(
            poll_interval=0,
            timeout=timedelta(seconds=poll_timeout),
            allowed_updates=Update.ALL_TYPES,
            error_callback=watch,
        )

    try:
        await _serve(application, settings, stop, watch, start_polling, on_started, leadership)
    finally:
        # Application.shutdown skips the bot when initialising it failed (a rejected token,
        # an unreachable server): its HTTP sessions are closed here in every case.
        await close_http(application.bot)
    if watch.failed:
        raise PollingConflictError()


async def stop_updater(application: Application) -> None:
    """Stop receiving updates; a wait for the database (an outage) is cut short."""
    assert application.updater is not None
    bot = application.bot
    ledger = bot.ledger if isinstance(bot, updates.RecordingBot) else None
    if ledger is not None:
        ledger.stopping.set()
    try:
        await application.updater.stop()
    finally:
        if ledger is not None:
            ledger.stopping.clear()


async def close_http(bot: object) -> None:
    """Close the bot's HTTP clients (each close is idempotent)."""
    for name in ("request", "updates_request"):
        request = getattr(bot, name, None)
        if isinstance(request, BaseRequest):
            await request.shutdown()


async def _serve(
    application: Application,
    settings: Settings,
    stop: asyncio.Event,
    watch: _ConflictWatch,
    start_polling: Callable[[], Awaitable[None]],
    on_started: Callable[[Application], Awaitable[None]] | None,
    leadership: PollingLeadership | None,
) -> None:
    updater = application.updater
    assert updater is not None
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        try:
            if settings.webhook_url or leadership is None:
                # Before new updates arrive: those a previous run recorded come first.
                await updates.replay_unhandled(application)
            if settings.webhook_url:
                try:
                    await updater.start_webhook(
                        listen=settings.webhook_listen,
                        port=settings.webhook_port,
                        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                        webhook_url=settings.webhook_url,
                        secret_token=webhook_secret(settings),
                        allowed_updates=Update.ALL_TYPES,
                    )
                except OSError as exc:  # the port is taken, the address is not this host's
                    raise WebhookListenError(
                        settings.webhook_listen, settings.webhook_port, exc
                    ) from exc
            elif leadership is None:
                await start_polling()
            if on_started is not None:
                await on_started(application)
            if leadership is None or settings.webhook_url:
                await stop.wait()
            else:
                await _poll_while_leading(application, leadership, stop, start_polling)
        finally:
            if updater.running:
                await stop_updater(application)
            await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)


async def _poll_while_leading(
    application: Application,
    leadership: PollingLeadership,
    stop: asyncio.Event,
    start_polling: Callable[[], Awaitable[None]],
) -> None:
    """Poll while holding the lock; wait for it again after losing it; until `stop`."""
    updater = application.updater
    assert updater is not None
    try:
        while await leadership.acquire(stop):
            # What a dead leader recorded and never handled goes first, once.
            await updates.replay_or_defer(application)
            await start_polling()
            if await leadership.watch(stop):
                return
            await stop_updater(application)
            _LOG.warning("polling stopped; waiting for the lock again")
    finally:
        leadership.release()
