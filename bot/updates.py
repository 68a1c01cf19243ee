"""Every update is kept in the database before Telegram is told it arrived.

PTB's Updater puts each fetched update into the application's queue and only then
confirms it (the next getUpdates carries offset = last id + 1). `RecordingQueue` writes
the update to `processed_updates` inside that `put`, so an update whose offset was
confirmed is always in the database. `claim` (group -1) marks it handled just before
the handlers run and stops a repeated update there; `replay_unhandled` (at start-up)
hands the recorded but never-claimed ones to the handlers again. The guarantee: no
update is lost between receipt and handling; one that was claimed and whose handler
then died mid-way is not retried (the window is one handler's database transaction).
The webhook server puts into the same queue before it answers Telegram 200.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from bot.services import Services, SrokContext
from models.seen_updates import claim_update, record_update, unhandled_updates

_LOG = logging.getLogger(__name__)


class RecordingQueue(asyncio.Queue):  # type: ignore[type-arg]
    """The application's update queue; a repeated, already handled update is dropped."""

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        super().__init__()
        self._session_factory = session_factory
        self._clock = clock

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            fresh = await asyncio.to_thread(self._record, item)
            if not fresh:
                _LOG.info(
                    "update %s was handled before; dropped",
                    item.update_id,
                    extra=log_ids(item),
                )
                return
        await super().put(item)

    def _record(self, item: Update) -> bool:
        with self._session_factory.begin() as session:
            return record_update(
                session, update_id=item.update_id, payload=item.to_dict(), now=self._clock()
            )


def log_ids(update: Update) -> dict[str, int]:
    """The ids a log line about `update` carries (see bot.logging_setup)."""
    ids = {"update_id": update.update_id}
    if update.effective_chat is not None:
        ids["chat_id"] = update.effective_chat.id
    return ids


def _claim(services: Services, update: Update) -> bool:
    with services.session_factory.begin() as session:
        return claim_update(
            session, update_id=update.update_id, payload=update.to_dict, now=services.clock()
        )


async def claim(update: Update, context: SrokContext) -> None:
    """Group -1: let an update through to the handlers once, and only once."""
    first = await asyncio.to_thread(_claim, context.services, update)
    if not first:
        _LOG.info("update %s repeated; nothing done", update.update_id, extra=log_ids(update))
        raise ApplicationHandlerStop
    _LOG.debug("update %s claimed", update.update_id, extra=log_ids(update))


async def replay_unhandled(application: Application) -> int:  # type: ignore[type-arg]
    """Queue the updates recorded by an earlier run and never handled; returns how many."""
    services = application.bot_data.services
    with services.session_factory.begin() as session:
        payloads = unhandled_updates(session)
    for payload in payloads:
        await application.update_queue.put(Update.de_json(payload, application.bot))
    if payloads:
        _LOG.warning("replaying %s update(s) received before a stop", len(payloads))
    return len(payloads)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(TypeHandler(Update, claim), group=-1)
