"""One dispatch pass: claim the reminders due, render them, send them, record each result.

Transactions stay short and never span a send: the claim is one transaction, the
rendering another, and each send's outcome is recorded in its own right after it. A
crash therefore repeats at most the one message in flight (sends are one at a time). A
send whose answer is lost after Telegram accepted it (a dropped connection, a timeout) is
sent again on the next try: one duplicate per such fault, and of a long reminder only the
part whose answer was lost (the parts delivered before are kept and not sent again).
A chat that became another (a group upgraded to a supergroup) is followed to its new id.

Telegram's answers map to states without sleeping while a claim is held: 429 → the
delivery is due again after `retry_after` (and the chat is skipped for the rest of the
pass); a network error or 5xx → retried with growing delays, then failed; 403 → failed,
the contact made inactive, coordinators told; 400 → failed with the reason, coordinators
told. Outside working hours (the agency's country and zone) nothing is claimed.

One process sends one message at a time (that is what bounds a crash's repeats); for
more than one process's throughput run several dispatchers on PostgreSQL. A lease must
outlast the slowest send (the HTTP timeouts): it is renewed between sends, not during.

A stop (the `shutdown` event, set on SIGTERM) ends a pass between sends; a send still
unanswered `grace` seconds after it is abandoned and its reminder released to pending,
the same one-message repeat as a crash.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from messages import TELEGRAM_LIMIT, split_message, telegram_length
from models.chats.contacts import move_chat
from models.outbox.deliveries import (
    DeliveryEnd,
    Job,
    contact_label,
    coordinator_chats,
    open_jobs,
    settle_reminder,
    settlement,
)
from models.outbox.facts import ReminderFacts, reminder_facts_many
from models.outbox.queue import (
    BATCHABLE_KINDS,
    CONTACT_INACTIVE,
    HoldRule,
    Recipient,
    claim_due,
    log_subjects,
    release,
    renew_leases,
)
from scheduler.rules import workdays
from scheduler.rules.domain import ReminderKind, ReminderState, Side
from scheduler.runtime.outcomes import record_outcome
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.reminder_text import (
    BATCH_MAX,
    batch_content,
    problem_text,
    reminder_content,
)
from scheduler.runtime.sending import Button, OutgoingMessage, Sender, SendOutcome, SendResult

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class DispatchConfig:
    """How a dispatcher behaves; `owner` names it in the leases it takes."""

    owner: str
    lease_for: timedelta = timedelta(minutes=5)
    #: Reminders a claim takes, plus the other scheduled ones due for the same agencies
    #: (their contacts get those as one message).
    batch: int = 50
    #: Coordinators' zone (digests, escalations) and the text's time zone.
    timezone: str = "Europe/Moscow"
    #: Working hours in the recipient's zone; None sends at any hour.
    work_hours: tuple[int, int] | None = (9, 18)
    #: Tries of a delivery that meets network errors or 5xx before it fails.
    max_attempts: int = 5
    #: The first retry delay; each next one doubles.
    retry_base: timedelta = timedelta(minutes=1)
    #: A progress request whose agency reported within this is cancelled, not sent.
    progress_silence: timedelta | None = timedelta(days=30)
    #: At most one scheduled message a chat a working day: a scheduled reminder falling due
    #: after its chats got theirs waits for the next working day's first working hour.
    one_message_a_day: bool = True


@dataclass
class DispatchReport:
    """What one pass did, in deliveries and reminders."""

    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed_deliveries: int = 0
    expired: int = 0
    cancelled: int = 0
    held: int = 0
    #: Scheduled reminders moved to the next working day (their chats had a message today).
    deferred: int = 0
    notices: int = 0
    lost_leases: int = 0
    reminders: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {**self.__dict__, "reminders": dict(self.reminders)}


def office_hours_rule(now: datetime, *, timezone: str, start_hour: int, end_hour: int) -> HoldRule:
    """Hold a reminder when `now` is outside working hours of a working day for it."""
    cache: dict[tuple[str, str], bool] = {}

    def hold(kind: ReminderKind, zone: str | None, side: Side | None) -> bool:
        if kind == ReminderKind.MANUAL:
            return False  # a coordinator asked for it just now
        key = (zone or timezone, side.value if side is not None else "RU")
        if key not in cache:
            moment = workdays.next_working_moment(
                now, key[1], key[0], start_hour=start_hour, end_hour=end_hour
            )
            cache[key] = moment != now
        return cache[key]

    return hold


def elapsed_clock(start: datetime) -> Clock:
    """A clock that starts at `start` and runs at real speed (a pass «at T»)."""
    origin = time.monotonic()
    return lambda: start + timedelta(seconds=time.monotonic() - origin)


_T = TypeVar("_T")


class _Abandoned(Exception):
    """A send cut short because the process is stopping."""


@dataclass(frozen=True)
class _Prepared:
    """A claimed reminder ready to go: its pending deliveries, its text and buttons."""

    job: Job
    text: str
    buttons: Keyboard
    #: What its log lines carry: reminder, item, plan and agency ids.
    log_ids: dict[str, int]
    #: What its text was made from (None when it has no one to go to).
    facts: ReminderFacts | None = None


@dataclass(frozen=True)
class _Unit:
    """One message to one chat: a single reminder, or several as one batched message."""

    chat_id: int
    members: list[tuple[_Prepared, Recipient]]


def _units(prepared: list[_Prepared]) -> list[_Unit]:
    """The messages a claimed batch makes, in its order.

    Reminders a contact gets on a schedule that fall due together for one chat go as one
    message (at most `BATCH_MAX` items each); the rest (a coordinator's manual reminder,
    escalations and digests) go one by one, as does a lone scheduled reminder.
    """
    batchable: dict[int, list[tuple[_Prepared, Recipient]]] = {}
    for p in prepared:
        if p.job.kind in BATCHABLE_KINDS:
            for r in p.job.recipients:
                batchable.setdefault(r.chat_id, []).append((p, r))
    units: list[_Unit] = []
    placed: set[int] = set()
    for p in prepared:
        for r in p.job.recipients:
            group = batchable.get(r.chat_id, [])
            if p.job.kind not in BATCHABLE_KINDS or len(group) < 2:
                units.append(_Unit(r.chat_id, [(p, r)]))
            elif r.chat_id not in placed:
                placed.add(r.chat_id)
                for start in range(0, len(group), BATCH_MAX):
                    units.append(_Unit(r.chat_id, group[start : start + BATCH_MAX]))
    return units


class Dispatcher:
    """Runs passes over one database with one sender; holds no claim between passes."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        sender: Sender,
        *,
        config: DispatchConfig,
        pacer: Pacer | None = None,
        shutdown: asyncio.Event | None = None,
        grace: float = 2.0,
    ) -> None:
        self.session_factory = session_factory
        #: Set when the process is told to stop: the pass stops between sends, and a send
        #: in flight is abandoned after `grace` seconds (its reminder goes back to pending).
        self.shutdown = shutdown or asyncio.Event()
        self.grace = grace
        self.sender = sender
        self.config = config
        self.pacer = pacer or Pacer()
        self._dead_contacts: set[int] = set()
        #: Chats that became others (groups upgraded to supergroups): old id -> new id.
        self._moved_chats: dict[int, int] = {}
        self._engine: Engine = session_factory.kw["bind"]
        self._connection: Connection | None = None
        self._one_pass_at_a_time = asyncio.Lock()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """A short transaction on the pass's one connection (no pool checkout, no ping)."""
        with Session(bind=self._connection, expire_on_commit=False) as session, session.begin():
            yield session

    async def run_pass(
        self, *, now: datetime, clock: Clock | None = None, lease_clock: Clock | None = None
    ) -> DispatchReport:
        """Send everything due at `now`; `clock` moves on from it, leases use `lease_clock`.

        Passes of one dispatcher run one at a time (the sweep and the digest tick may
        fire together): sends stay one at a time, so a crash repeats at most one.
        """
        async with self._one_pass_at_a_time:
            clock = clock or elapsed_clock(now)
            lease_clock = lease_clock or clock
            report = DispatchReport()
            self._dead_contacts = set()
            with self._engine.connect() as self._connection:
                try:
                    await self._passes(clock, lease_clock, report, set())
                finally:
                    self._connection = None
            return report

    async def _passes(
        self, clock: Clock, lease_clock: Clock, report: DispatchReport, seen: set[int]
    ) -> None:
        while not self.shutdown.is_set():
            claimed = self._claim(clock(), lease_clock(), report)
            fresh = [rid for rid in claimed if rid not in seen]
            # Each reminder once a pass: one retried at once (a short 429) waits for the next.
            self._release([rid for rid in claimed if rid in seen])
            if not fresh:
                return
            seen.update(fresh)
            await self._dispatch_batch(fresh, clock, lease_clock, report)

    def _claim(self, now: datetime, lease_now: datetime, report: DispatchReport) -> list[int]:
        cfg = self.config
        hold = None
        if cfg.work_hours is not None:
            hold = office_hours_rule(
                now, timezone=cfg.timezone, start_hour=cfg.work_hours[0], end_hour=cfg.work_hours[1]
            )
        with self._transaction() as session:
            claim = claim_due(
                session,
                now=now,
                lease_now=lease_now,
                owner=cfg.owner,
                lease_for=cfg.lease_for,
                limit=cfg.batch,
                hold=hold,
                progress_silence=cfg.progress_silence,
                day_start_hour=(cfg.work_hours[0] if cfg.work_hours else 0)
                if cfg.one_message_a_day
                else None,
            )
        report.claimed += len(claim.claimed)
        report.expired += len(claim.expired)
        report.cancelled += len(claim.cancelled)
        report.held = max(report.held, claim.held)
        report.deferred += len(claim.deferred)
        return claim.claimed

    def _release(self, reminder_ids: list[int]) -> None:
        if reminder_ids:
            with self._transaction() as session:
                release(session, reminder_ids=reminder_ids, owner=self.config.owner)

    def _prepare(self, reminder_ids: list[int], now: datetime) -> list[_Prepared]:
        """Deliveries and text of a claimed batch, in one short transaction."""
        prepared = []
        with self._transaction() as session:
            jobs = open_jobs(session, reminder_ids=reminder_ids, now=now)
            subjects = log_subjects(session, reminder_ids=reminder_ids)
            facts = reminder_facts_many(
                session, reminder_ids=[job.reminder_id for job in jobs if job.recipients]
            )
            for job in jobs:
                text, fact = "", None
                buttons: Keyboard = ()
                if job.recipients:
                    fact = facts[job.reminder_id]
                    text, buttons = reminder_content(
                        session, reminder_id=job.reminder_id, now=now, facts=fact
                    )
                ids = subjects.get(job.reminder_id, {"reminder_id": job.reminder_id})
                prepared.append(_Prepared(job, text, buttons, ids, fact))
        return prepared

    async def _dispatch_batch(
        self, reminder_ids: list[int], clock: Clock, lease_clock: Clock, report: DispatchReport
    ) -> None:
        cfg = self.config
        leased_at = lease_clock()
        mine = set(reminder_ids)
        prepared = self._prepare(reminder_ids, clock())
        # A reminder settles when its last delivery is recorded: its deliveries may go in
        # different messages (one contact gets it in a batch, another alone).
        ends = {p.job.reminder_id: list(p.job.ended) for p in prepared}
        left = {p.job.reminder_id: len(p.job.recipients) for p in prepared}
        for p in prepared:
            if not p.job.recipients:
                with self._transaction() as session:
                    self._count(
                        report, self._settle(session, p.job, ends[p.job.reminder_id], clock())
                    )
        for unit in _units(prepared):
            if self.shutdown.is_set():
                self._release([rid for rid, n in left.items() if n > 0 and rid in mine])
                return
            if lease_clock() - leased_at > cfg.lease_for / 2:
                # Slow going (pacing, a slow server): extend what is left before it lapses.
                leased_at = lease_clock()
                with self._transaction() as session:
                    mine = renew_leases(
                        session,
                        reminder_ids=[rid for rid, n in left.items() if n > 0],
                        owner=cfg.owner,
                        lease_now=leased_at,
                        lease_for=cfg.lease_for,
                    )
            members = [(p, r) for p, r in unit.members if p.job.reminder_id in mine]
            if len(members) < len(unit.members):
                # Another dispatcher took these over: it sends them.
                report.lost_leases += len({p.job.reminder_id for p, _ in unit.members}) - len(
                    {p.job.reminder_id for p, _ in members}
                )
            if not members:
                continue
            try:
                await self._dispatch_unit(_Unit(unit.chat_id, members), ends, left, clock, report)
            except _Abandoned:
                # What was sent is recorded; the rest goes back to pending and is sent at the
                # next start (once more, if Telegram had taken the abandoned send: the one
                # duplicate a stop can cause).
                log.warning(
                    "stopping: a message to chat %s abandoned in flight, left pending",
                    unit.chat_id,
                    extra=members[0][0].log_ids,
                )
                self._release([rid for rid, n in left.items() if n > 0 and rid in mine])
                return

    @staticmethod
    def _count(report: DispatchReport, state: ReminderState | None) -> None:
        if state is not None:
            report.reminders[state.value] = report.reminders.get(state.value, 0) + 1

    async def _dispatch_unit(
        self,
        unit: _Unit,
        ends: dict[int, list[DeliveryEnd]],
        left: dict[int, int],
        clock: Clock,
        report: DispatchReport,
    ) -> None:
        """Send one message; record its outcome on each delivery it carries, in one
        transaction, and settle each reminder whose last delivery this was."""
        first, recipient = unit.members[0]
        if len(unit.members) == 1:
            text, buttons = first.text, first.buttons
        else:
            text, buttons = batch_content([p.facts for p, _ in unit.members if p.facts])
        blocked = self.pacer.blocked_for(unit.chat_id)
        if recipient.contact_id in self._dead_contacts:  # blocked the bot earlier this pass
            result = SendResult(SendOutcome.FORBIDDEN, error=CONTACT_INACTIVE)
        elif blocked > 0:  # a 429 earlier in this pass: not worth a request
            result = SendResult(SendOutcome.RETRY_AFTER, retry_after=blocked, error="429")
        else:
            # A part of a long reminder that went out before a failure is not sent again; a
            # batch is composed anew each time, so it goes whole.
            parts_sent = recipient.parts_sent if len(unit.members) == 1 else 0
            result, chat_id = await self._send(unit.chat_id, text, buttons, parts_sent)
            if chat_id != unit.chat_id:  # the group became a supergroup: it went there
                members = [(p, replace(r, chat_id=chat_id)) for p, r in unit.members]
                unit = _Unit(chat_id, members)
                recipient = members[0][1]
        now = clock()
        with self._transaction() as session:
            for prepared, member in unit.members:
                rid = prepared.job.reminder_id
                log.info(
                    "reminder %s to chat %s: %s",
                    rid,
                    member.chat_id,
                    result.outcome.value,
                    extra={**prepared.log_ids, "chat_id": member.chat_id},
                )
                ends[rid].append(self._record(session, member, result, now, report))
                left[rid] -= 1
                if left[rid] == 0:
                    self._count(report, self._settle(session, prepared.job, ends[rid], now))
        if result.error == CONTACT_INACTIVE:
            return
        if result.outcome == SendOutcome.FORBIDDEN:
            self._dead_contacts.add(recipient.contact_id)
        if result.outcome in (SendOutcome.FORBIDDEN, SendOutcome.BAD_REQUEST):
            # Once a message, about its first item: coordinators need the contact, not a list.
            blocked_bot = result.outcome == SendOutcome.FORBIDDEN
            await self._tell_coordinators(
                first.job.reminder_id, recipient, result, blocked_bot, report
            )

    def _settle(
        self, session: Session, job: Job, ends: list[DeliveryEnd], now: datetime
    ) -> ReminderState | None:
        values = settlement(job.kind, job.due_at, ends, now)
        return settle_reminder(
            session, reminder_id=job.reminder_id, owner=self.config.owner, values=values
        )

    async def _send(
        self, chat_id: int, text: str, buttons: Keyboard, parts_sent: int = 0
    ) -> tuple[SendResult, int]:
        """Send one message (a long one in parts, the buttons under the last part); the
        result and the chat it went to (a group's new id once it became a supergroup).

        `parts_sent`: parts an earlier try delivered before one failed; they are not sent
        again (unless the text now has no more parts than that: then it is sent whole).
        """
        chat_id = self._moved_chats.get(chat_id, chat_id)
        parts = split_message(text) if telegram_length(text) > TELEGRAM_LIMIT else [text]
        first = parts_sent if parts_sent < len(parts) else 0
        result: SendResult | None = None
        sent: list[int] = []  # every part's id is kept: a reply to any part is an answer
        for index, part in enumerate(parts):
            if index < first:
                continue
            await self._unless_stopping(self.pacer.wait(chat_id), grace=0)
            last = index == len(parts) - 1
            message = OutgoingMessage(chat_id, part, buttons if last else ())
            result = await self._unless_stopping(self.sender.send(message), grace=self.grace)
            if result.migrated_to is not None and result.migrated_to != chat_id:
                chat_id = self._move_chat(chat_id, result.migrated_to)
                message = replace(message, chat_id=chat_id)
                result = await self._unless_stopping(self.sender.send(message), grace=self.grace)
            if result.outcome != SendOutcome.SENT:
                break
            if not last and result.message_id is not None:
                sent.append(result.message_id)
        assert result is not None
        return (replace(result, part_ids=tuple(sent)) if sent else result), chat_id

    def _move_chat(self, old_chat_id: int, new_chat_id: int) -> int:
        """Move a chat's bindings and pending deliveries to its new id; the new id."""
        with self._transaction() as session:
            move_chat(session, old_chat_id=old_chat_id, new_chat_id=new_chat_id)
        self._moved_chats[old_chat_id] = new_chat_id
        log.warning("chat %s became %s: bindings moved, sending there", old_chat_id, new_chat_id)
        return new_chat_id

    async def _unless_stopping(self, work: Awaitable[_T], *, grace: float) -> _T:
        """`work`'s result; once shutdown is set it has `grace` seconds more, then it is
        cancelled and _Abandoned raised."""
        task = asyncio.ensure_future(work)
        stopping = asyncio.ensure_future(self.shutdown.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not task.done():
            try:
                return await asyncio.wait_for(task, timeout=grace)
            except TimeoutError:
                raise _Abandoned from None
        return task.result()

    def _record(
        self,
        session: Session,
        recipient: Recipient,
        result: SendResult,
        now: datetime,
        report: DispatchReport,
    ) -> DeliveryEnd:
        if result.outcome == SendOutcome.RETRY_AFTER:
            self.pacer.block(recipient.chat_id, float(result.retry_after or 1))
        end = record_outcome(
            session,
            recipient=recipient,
            result=result,
            now=now,
            max_attempts=self.config.max_attempts,
            retry_base=self.config.retry_base,
        )
        if end.state == ReminderState.SENT:
            report.delivered += 1
        elif end.state == ReminderState.PENDING:
            report.retried += 1
        else:
            report.failed_deliveries += 1
        return end

    async def _tell_coordinators(
        self,
        reminder_id: int,
        recipient: Recipient,
        result: SendResult,
        blocked: bool,
        report: DispatchReport,
    ) -> None:
        """Best effort: the notice is not queued; what fails is only logged."""
        with self._transaction() as session:
            text = problem_text(
                session,
                reminder_id=reminder_id,
                blocked=blocked,
                error=result.error or "",
                contact_name=contact_label(session, contact_id=recipient.contact_id),
            )
            chats = [chat for _, chat in coordinator_chats(session) if chat != recipient.chat_id]
        if not chats:
            log.warning(
                "reminder %s undelivered (%s); no coordinator to tell",
                reminder_id,
                result.error,
                extra={"reminder_id": reminder_id, "chat_id": recipient.chat_id},
            )
        for chat_id in chats:
            ids = {"reminder_id": reminder_id, "chat_id": chat_id}
            if self.pacer.blocked_for(chat_id) > 0:
                log.warning(
                    "notice about reminder %s to chat %s skipped: 429",
                    reminder_id,
                    chat_id,
                    extra=ids,
                )
                continue
            outcome = (await self._send(chat_id, text, ()))[0].outcome
            if outcome == SendOutcome.SENT:
                report.notices += 1
            else:
                log.warning(
                    "notice about reminder %s to chat %s: %s",
                    reminder_id,
                    chat_id,
                    outcome,
                    extra=ids,
                )
