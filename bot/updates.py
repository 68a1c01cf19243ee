"""Every update is kept in the database before Telegram is told it arrived.

PTB's Updater fetches a batch with getUpdates, puts each update into the application's
queue and only then confirms them (the next getUpdates carries offset = last id + 1).
`RecordingBot.get_updates` writes the whole batch to `processed_updates` in one transaction
before the Updater sees it, so an update whose offset was confirmed is always in the
database; the webhook server's updates are recorded one by one in `RecordingQueue.put`,
before it answers Telegram 200. `claim` (group -1) marks an update handled just before the
handlers run, and stops a repeated one there; the claims of updates that start together
share one transaction. `replay_unhandled` (at start-up) hands the recorded but
never-claimed ones to the handlers again. The guarantee: no update is lost between receipt
and handling; one that was claimed and whose handler then died mid-way is not retried (the
window is one handler's database transaction).

While the database is down (`models.db.OUTAGE_ERRORS`) nothing is confirmed: a batch that
cannot be recorded is dropped after a growing delay and Telegram sends it again, a
webhook update is answered 503, a claim that fails leaves its update recorded and
unhandled; the first database step that works again replays those (`UpdateLedger.back`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from functools import partial
from http import HTTPStatus
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationHandlerStop, ExtBot, TypeHandler
from tornado.web import HTTPError

from bot.http import AiohttpRequest
from bot.services import SrokContext
from models.chats.updates import claim_updates, record_updates, unhandled_updates
from models.db import OUTAGE_ERRORS
from scheduler.runtime.outage import Outage

_LOG = logging.getLogger(__name__)


class UpdateLedger:
    """The bot's side of `processed_updates`: batched records, group-committed claims."""

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        #: update_id -> fresh, for updates recorded with their batch and not yet queued.
        self._verdicts: dict[int, bool] = {}
        self._claims: dict[int, tuple[Update, asyncio.Future[bool]]] = {}
        self._claiming: asyncio.Task[None] | None = None
        #: The database as recording and claiming find it; tests shorten its delays.
        self.outage = Outage("update ledger")
        #: Set while the Updater stops: a wait for the database is cut short then.
        self.stopping = asyncio.Event()
        #: Called when the database is back after an outage (replays what was not handled).
        self.on_recovery: Callable[[], Awaitable[object]] | None = None
        self._recovering = False

    async def wait_out(self, error: BaseException, *, pause: bool = True) -> None:
        """After a failed write: wait the outage's next delay (less when stopping)."""
        delay = self.outage.failed(error)
        if not pause:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), timeout=delay)

    async def back(self) -> None:
        """After a step that may have reached the database: if an outage was on, replay what
        it left unhandled; that replay's query is the probe (still down: nothing said)."""
        if not self.outage.down or self._recovering:  # the replay's own puts come here too
            return
        self._recovering = True
        try:
            if self.on_recovery is not None:
                await self.on_recovery()
        except OUTAGE_ERRORS:
            return
        finally:
            self._recovering = False
        self.outage.recovered()

    async def record(
        self, batch: Sequence[Update], received: Mapping[int, dict[str, Any]] | None = None
    ) -> None:
        """Record a getUpdates answer in one transaction (before its offset is confirmed);
        `received` holds the updates as Telegram sent them, where known."""
        if batch:
            received = received or {}
            payloads = {
                update.update_id: received.get(update.update_id) or update.to_dict()
                for update in batch
            }
            self._verdicts.update(await asyncio.to_thread(self._record, payloads))

    async def fresh(self, update: Update) -> bool:
        """False for an update handled before; records it if its batch did not."""
        verdict = self._verdicts.pop(update.update_id, None)
        if verdict is None:
            payloads = {update.update_id: update.to_dict()}
            verdict = (await asyncio.to_thread(self._record, payloads))[update.update_id]
        return verdict

    def _record(self, payloads: dict[int, dict[str, Any]]) -> dict[int, bool]:
        with self._session_factory.begin() as session:
            return record_updates(session, payloads, now=self._clock())

    async def claim(self, update: Update) -> bool:
        """True once per update: for the one handling that starts it."""
        if update.update_id in self._claims:  # the same update twice at once: one handles it
            return False
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._claims[update.update_id] = (update, future)
        if self._claiming is None:
            self._claiming = asyncio.create_task(self._claim_waiting())
        return await future

    async def _claim_waiting(self) -> None:
        """Claim every update waiting, in one transaction per round, until none waits."""
        try:
            while self._claims:
                await asyncio.sleep(0)  # let the updates starting in this tick join
                batch, self._claims = self._claims, {}
                try:
                    claimed = await asyncio.to_thread(self._claim, batch)
                except Exception as error:  # each waiting handler gets the error
                    if isinstance(error, OUTAGE_ERRORS):  # replayed once the database is back
                        self.outage.failed(error)
                    for _, future in batch.values():
                        if not future.done():  # its handler may have been cancelled
                            future.set_exception(error)
                    continue
                for update_id, (_, future) in batch.items():
                    if not future.done():
                        future.set_result(update_id in claimed)
        finally:
            self._claiming = None

    def _claim(self, batch: dict[int, tuple[Update, asyncio.Future[bool]]]) -> set[int]:
        payloads = {update_id: update.to_dict for update_id, (update, _) in batch.items()}
        with self._session_factory.begin() as session:
            return claim_updates(session, payloads, now=self._clock())


class UpdatesRequest(AiohttpRequest):
    """The getUpdates client: keeps the updates of its last answer as Telegram sent them.

    Recording those is what the ledger needs; rebuilding them with `Update.to_dict()` cost
    more CPU than anything else about receiving a press.
    """

    __slots__ = ("received",)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.received: dict[int, dict[str, Any]] = {}

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        self.received = {}
        status, body = await super().do_request(*args, **kwargs)
        if status == HTTPStatus.OK:
            try:
                answer = json.loads(body)
            except ValueError:  # PTB reports a malformed answer itself
                return status, body
            if isinstance(answer, dict) and isinstance(answer.get("result"), list):
                self.received = {u["update_id"]: u for u in answer["result"] if _has_id(u)}
        return status, body


def _has_id(update: object) -> bool:
    return isinstance(update, dict) and isinstance(update.get("update_id"), int)


class RecordingBot(ExtBot[None]):
    """ExtBot whose getUpdates answers are recorded before the Updater queues them, and whose
    edits skip parsing the answer."""

    def __init__(
        self, token: str, *, ledger: UpdateLedger, updates_request: UpdatesRequest, **kwargs: Any
    ) -> None:
        super().__init__(token, get_updates_request=updates_request, **kwargs)
        self._ledger = ledger
        self._updates_request = updates_request

    @property
    def updates_request(self) -> UpdatesRequest:
        """The getUpdates client (closed by bot.runner even when initialising failed)."""
        return self._updates_request

    @property
    def ledger(self) -> UpdateLedger:
        return self._ledger

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        """The next batch once it is recorded. While the database is down: none, after a
        growing delay, so the offset stays put and Telegram sends the batch again."""
        updates = await super().get_updates(*args, **kwargs)
        try:
            await self._ledger.record(updates, self._updates_request.received)
        except OUTAGE_ERRORS as error:
            await self._ledger.wait_out(error)
            return ()
        await self._ledger.back()
        return updates

    async def edit_text(
        self, chat_id: int, message_id: int, text: str, markup: Mapping[str, Any] | None
    ) -> None:
        """editMessageText (HTML) with a keyboard given as Bot API JSON, without making a
        Message of the edited one Telegram returns: nobody reads it, and parsing it was a
        tenth of a button press's CPU."""
        data: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text}
        data |= {"parse_mode": ParseMode.HTML, "reply_markup": markup}
        # `_post` is the call every PTB method wraps (defaults, rate limiter, errors); the
        # public `do_api_request` would do the same but warns for methods PTB wraps itself.
        await self._post("editMessageText", data)  # None values are dropped there


class RecordingQueue(asyncio.Queue):
    """The application's update queue; a repeated, already handled update is dropped."""

    def __init__(self, ledger: UpdateLedger) -> None:
        super().__init__()
        self._ledger = ledger

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            try:
                fresh = await self._ledger.fresh(item)
            except OUTAGE_ERRORS as error:
                # Only the webhook's updates are recorded here: 503 tells Telegram to
                # deliver this one again later (one log line per outage, no traceback).
                await self._ledger.wait_out(error, pause=False)
                raise HTTPError(HTTPStatus.SERVICE_UNAVAILABLE) from None
            await self._ledger.back()
            if not fresh:
                _LOG.info(
                    "update %s was handled before; dropped", item.update_id, extra=log_ids(item)
                )
                return
        await super().put(item)


def log_ids(update: Update) -> dict[str, int]:
    """The ids a log line about `update` carries (see bot.logging_setup)."""
    ids = {"update_id": update.update_id}
    if update.effective_chat is not None:
        ids["chat_id"] = update.effective_chat.id
    return ids


async def claim(update: Update, _context: SrokContext, *, ledger: UpdateLedger) -> None:
    """Group -1: let an update through to the handlers once, and only once."""
    try:
        claimed = await ledger.claim(update)
    except OUTAGE_ERRORS:  # recorded, not claimed: replayed when the database is back
        raise ApplicationHandlerStop from None
    if not claimed:
        _LOG.info("update %s repeated; nothing done", update.update_id, extra=log_ids(update))
        raise ApplicationHandlerStop
    _LOG.debug("update %s claimed", update.update_id, extra=log_ids(update))


async def replay_unhandled(application: Application) -> int:
    """Queue the updates recorded by an earlier run and never handled; returns how many."""
    services = application.bot_data.services
    payloads = await asyncio.to_thread(_unhandled, services.session_factory)
    for payload in payloads:
        await application.update_queue.put(Update.de_json(payload, application.bot))
    if payloads:
        _LOG.warning("replaying %s update(s) received before a stop", len(payloads))
    return len(payloads)


async def replay_or_defer(application: Application) -> None:
    """replay_unhandled, or, while the database is down, mark the outage: its end replays."""
    try:
        await replay_unhandled(application)
    except OUTAGE_ERRORS as error:
        bot = application.bot
        if not isinstance(bot, RecordingBot):
            raise
        bot.ledger.outage.failed(error)


def _unhandled(session_factory: sessionmaker[Session]) -> list[dict[str, Any]]:
    with session_factory.begin() as session:
        return unhandled_updates(session)


def register(application: Application, ledger: UpdateLedger) -> None:
    ledger.on_recovery = partial(replay_unhandled, application)
    application.add_handler(TypeHandler(Update, partial(claim, ledger=ledger)), group=-1)
