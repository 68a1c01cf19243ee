"""What every handler and job needs, typed: reached as `context.services`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import CallbackContext, ContextTypes, ExtBot

from bot.settings import Settings


def system_clock() -> datetime:
    """The real clock, aware and in UTC; tests pass their own."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    settings: Settings
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime] = system_clock


class BotData:
    """The application's `bot_data`: one typed slot instead of string keys."""

    services: Services | None = None


class SrokContext(CallbackContext[ExtBot[None], dict, dict, BotData]):
    """A CallbackContext whose `services` are the application's Services."""

    @property
    def services(self) -> Services:
        services = self.bot_data.services
        if services is None:
            raise RuntimeError("Services are not installed on the application")
        return services


#: Pass to ApplicationBuilder().context_types(...); then set
#: `application.bot_data.services = Services(...)` once at build time.
CONTEXT_TYPES = ContextTypes(context=SrokContext, bot_data=BotData)
