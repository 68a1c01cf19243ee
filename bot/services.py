"""What every handler and job needs, typed: reached as `context.services`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.settings import Settings


def system_clock() -> datetime:
    """The real clock, aware and in UTC; tests pass their own."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Services:
    settings: Settings
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime] = system_clock


class SrokContext(CallbackContext[ExtBot[None], dict, dict, dict]):  # type: ignore[type-arg]
    """A CallbackContext that exposes the application's Services as `context.services`."""

    @property
    def services(self) -> Services:
        services = self.application.bot_data.get("services")
        if not isinstance(services, Services):
            raise RuntimeError("Services are not installed on the application")
        return services


def install_services(app: Application, services: Services) -> None:  # type: ignore[type-arg]
    """Attach the services once, at build time."""
    app.bot_data["services"] = services
