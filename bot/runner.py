"""Running the Application until told to stop: long polling or a webhook, ticks alongside."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application

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
    """WEBHOOK_SECRET, or a random one for this run: Telegram sends it back in a header,
    and PTB's webhook server refuses requests without it."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return secrets.token_urlsafe(32)


async def serve(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    *,
    stop: asyncio.Event,
    poll_timeout: float = 10.0,
    on_started: Callable[[Application], Awaitable[None]] | None = None,  # type: ignore[type-arg]
    max_conflicts: int = CONFLICTS_BEFORE_GIVING_UP,
) -> None:
    """Initialise, run post_init, receive updates until `stop` is set, then shut down cleanly.

    Raises InvalidToken when the server rejects the token and PollingConflictError when
    another process keeps polling it.
    """
    watch = _ConflictWatch(stop, max_conflicts)
    async with application:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        if settings.webhook_url:
            await application.updater.start_webhook(  # type: ignore[union-attr]
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=webhook_secret(settings),
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            await application.updater.start_polling(  # type: ignore[union-attr]
                poll_interval=0,
                timeout=poll_timeout,
                allowed_updates=Update.ALL_TYPES,
                error_callback=watch,
            )
        if on_started is not None:
            await on_started(application)
        try:
            await stop.wait()
        finally:
            await application.updater.stop()  # type: ignore[union-attr]
            await application.stop()
            if application.post_shutdown is not None:
                await application.post_shutdown(application)
    if watch.failed:
        raise PollingConflictError()
