"""The outbox as a work queue: claim due reminders, record what each delivery did.

A dispatch pass claims reminders (state `sending`, a lease owner and an expiry) in one
short transaction; an expired lease is claimed again, so a dispatcher that died frees
its work. On PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED`: any number of
dispatchers share the queue and none waits for another. SQLite has one dispatcher at a
time (see `scheduler.runtime.dispatch_lock`).

Each reminder has one `Delivery` per recipient chat; a delivery ends `sent` or `failed`
and is never sent again once recorded `sent`. Recipients are the active contacts of the
reminder's agency (role contact); escalations and digests go to the active coordinators,
group chats included.

Decisions:

- A reminder is `sent` when every delivery ended and at least one went out; `failed`
  when none could (every contact blocked the bot, or refused the message).
- An agency with no active contact does not pile reminders up: the reminder is `failed`
  with `NO_CONTACTS` as its last error, and `agencies_without_contacts` lists those
  agencies so the digest tells the coordinators once per agency.
- Catch-up after downtime or a late import: a heads-up more than `HEADS_UP_GRACE` late,
  and a heads-up, «скоро истекает» or progress request whose window has ended (in the
  agency's zone), are `expired`, not sent late; of several weekly digests due, only the
  latest goes (the others are `expired`); every other kind still goes out, once.
- A progress request whose agency reported on the item within `progress_silence` is
  `cancelled`: the agency has just said how the work goes.
- A reminder whose agency already closed the item (done, cancelled), or whose item was
  withdrawn, is `cancelled` instead of sent. Manual reminders and digests always go.
- A reminder the caller's `HoldRule` keeps back (night, weekend, holiday where its
  recipients are) stays pending and unclaimed until a later claim.
- At most one scheduled message a contact a working day: a claim that takes a scheduled
  reminder brings along every scheduled reminder due by then for the same chats (the
  chat's other agencies too), so they go as one message; a scheduled reminder that falls
  due later on a day its agency's chats already got their scheduled message (a late
  import, a re-plan after an answer, a restart) is not sent that day: its `due_at` moves
  to the next working day's first working hour (`day_start_hour`, in the agency's zone
  and country), where it joins that day's message. A reminder already tried (a retry of
  a message that did not get through) is not held back.
- A 429 or a network error moves the reminder's `due_at` to the retry moment; the
  re-plan leaves a pending reminder due in the future alone when its own moment passed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Row, and_, func, or_, select, update
from sqlalchemy.orm import Session

from models.outbox.obligations import COORDINATOR_SOURCE
from models.schema.people import Agency, Contact
from models.schema.plans import Item
from models.schema.reminders import Delivery, Reminder
from models.schema.statuses import StatusReport
from models.statuses.by_window import statuses_by_window
from models.statuses.reports import CLOSED, current_statuses
from scheduler.rules import workdays
from scheduler.rules.domain import ReminderKind, ReminderState, Role, Side, Status
from scheduler.rules.workdays import COUNTRY_TIMEZONES

NO_CONTACTS = "нет активных контактов"
NO_COORDINATORS = "нет активных координаторов"
CONTACT_INACTIVE = "контакт неактивен"
HEADS_UP_GRACE = timedelta(days=1)
#: Kinds about a window still to come or running: pointless once the window has ended.
WINDOW_KINDS = frozenset({ReminderKind.HEADS_UP, ReminderKind.BEFORE_END, ReminderKind.PROGRESS})
#: Why a reminder was set aside at claim time, as coordinators read it.
EXPIRED_DOWNTIME = "пропущено: простой"
EXPIRED_WINDOW = "пропущено: срок уже истёк"
EXPIRED_DIGEST = "пропущено: есть более новая сводка"
CANCELLED_CLOSED = "пункт закрыт"
CANCELLED_QUIET = "орган недавно отчитался"
#: Kinds that go to coordinators; every other kind goes to the agency's contacts.
COORDINATOR_KINDS = frozenset({ReminderKind.ESCALATION, ReminderKind.DIGEST})
#: Kinds a contact gets on a schedule: those due together for one chat go as one message,
#: so a claim takes them together (see `claim_due`).
BATCHABLE_KINDS = frozenset(
    {
        ReminderKind.HEADS_UP,
        ReminderKind.BEFORE_END,
        ReminderKind.STATUS_REQUEST,
        ReminderKind.REPEAT,
        ReminderKind.PROGRESS,
        ReminderKind.ASK_DATE,
    }
)
#: Kinds sent whatever the item's status is.
UNCONDITIONAL_KINDS = frozenset({ReminderKind.MANUAL, ReminderKind.DIGEST})
#: Decides, for a candidate, that now is no time to write (night, weekend, holiday):
#: called with the kind, the agency's time zone and side (None for coordinator kinds).
HoldRule = Callable[[ReminderKind, str | None, Side | None], bool]
#: A page of candidates (`_candidates`): eleven columns, more than `select` types.
_Page = Sequence[Row[Any]]


@dataclass(frozen=True)
class Claim:
    """What one claim did: reminders now leased to the caller, and those set aside."""

    claimed: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    held: int = 0
    #: Why each expired or cancelled reminder was set aside, by id.
    why: dict[int, str] = field(default_factory=dict)
    #: Scheduled reminders moved to the next working morning (their chats had their
    #: message today), with the moment each now falls due.
    deferred: dict[int, datetime] = field(default_factory=dict)


@dataclass(frozen=True)
class Recipient:
    """One pending delivery: where to send one reminder."""

    delivery_id: int
    contact_id: int
    chat_id: int
    #: Parts of a long reminder that reached the chat on an earlier try (not sent again).
    parts_sent: int = 0


def claim_due(
    session: Session,
    *,
    now: datetime,
    lease_now: datetime,
    owner: str,
    lease_for: timedelta,
    limit: int,
    hold: HoldRule | None = None,
    progress_silence: timedelta | None = None,
    day_start_hour: int | None = None,
) -> Claim:
    """Lease up to `limit` reminders due at `now` (and those whose lease ran out by
    `lease_now`, the wall clock) to `owner`; expire late heads-ups, cancel closed ones.

    Held reminders (a holiday in one country) are passed over page by page, so that they
    never keep back the reminders due behind them for recipients who are at work.
    `progress_silence`: how long after an agency's report its progress requests wait.
    `day_start_hour`: at most one scheduled message a chat a working day (see above),
    later ones move to that hour of the next working day; None: no such rule.

    A scheduled reminder brings along the other scheduled reminders due for its agency and
    for every agency sharing a chat with it (beyond `limit`): each chat then gets them as
    one message, while dispatchers on PostgreSQL still share the queue chat by chat."""
    claim = Claim()
    held = 0
    latest_digest = _latest_due_digest(session, now=now)
    agencies: set[int] = set()

    def take(page: _Page, room: int) -> int:
        taken = Claim()
        rules = _Rules(
            now,
            hold,
            latest_digest,
            _quiet_pairs(session, page, now, progress_silence),
            _messaged_today(session, page, now) if day_start_hour is not None else set(),
            day_start_hour or 0,
        )
        passed_over = _sort_page(session, page, rules, taken, room=room)
        _set_states(session, taken.expired, ReminderState.EXPIRED, now, taken.why)
        _set_states(session, taken.cancelled, ReminderState.CANCELLED, now, taken.why)
        _defer(session, taken.deferred, now)
        _lease(
            session, taken.claimed, now=now, lease_now=lease_now, owner=owner, lease_for=lease_for
        )
        mine = set(taken.claimed)
        agencies.update(
            row.agency_id for row in page if row.id in mine and row.kind in BATCHABLE_KINDS
        )
        claim.claimed.extend(taken.claimed)
        claim.expired.extend(taken.expired)
        claim.cancelled.extend(taken.cancelled)
        claim.deferred.update(taken.deferred)
        return passed_over

    while len(claim.claimed) < limit:
        page = _candidates(session, now=now, lease_now=lease_now, limit=limit, offset=held)
        held += take(page, limit - len(claim.claimed))
        if len(page) < limit:
            break
    agencies.update(_sharing_chats(session, agencies))
    skipped = 0
    while agencies:
        page = _candidates(
            session, now=now, lease_now=lease_now, limit=limit, offset=skipped, agencies=agencies
        )
        skipped += take(page, len(page))
        if len(page) < limit:
            break
    return Claim(claim.claimed, claim.expired, claim.cancelled, held, deferred=claim.deferred)


def _candidates(
    session: Session,
    *,
    now: datetime,
    lease_now: datetime,
    limit: int,
    offset: int,
    agencies: Collection[int] | None = None,
) -> _Page:
    """One page of claimable reminders, soonest first, locked (skipping rows others hold);
    with `agencies`, only those agencies' scheduled ones."""
    query = (
        select(
            Reminder.id,
            Reminder.kind,
            Reminder.state,
            Reminder.due_at,
            Reminder.item_id,
            Reminder.agency_id,
            Reminder.window_end,
            Reminder.window_start,
            Reminder.attempts,
            Agency.timezone,
            Agency.side,
            Item.withdrawn_at,
        )
        .outerjoin(Agency, Agency.id == Reminder.agency_id)
        .outerjoin(Item, Item.id == Reminder.item_id)
        .where(_claimable(now, lease_now))
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .offset(offset)
        .with_for_update(skip_locked=True, of=Reminder)
    )
    if agencies is not None:
        query = query.where(
            Reminder.agency_id.in_(sorted(agencies)),
            Reminder.kind.in_(sorted(BATCHABLE_KINDS, key=lambda k: k.value)),
        )
    return session.execute(query).all()


@dataclass(frozen=True)
class _Rules:
    """What sorting a page of candidates needs besides the page."""

    now: datetime
    hold: HoldRule | None
    #: (due_at, id) of the latest digest due by now (older ones are not sent).
    latest_digest: tuple[datetime, int] | None
    #: (item, agency) pairs whose agency reported lately: no progress request.
    quiet: set[tuple[int, int]]
    #: Agencies whose chats already got their scheduled message today (their zone's day).
    messaged: set[int]
    #: The hour a held reminder falls due on the next working day.
    day_start_hour: int


def _sort_page(session: Session, page: _Page, rules: _Rules, taken: Claim, *, room: int) -> int:
    """Sort one page into `taken` (claimed up to `room`, expired, cancelled); the held count."""
    closed = _closed_rows(session, page)
    held = 0
    for row in page:
        expired = _expired_why(row, rules)
        if expired is not None:
            taken.expired.append(row.id)
            taken.why[row.id] = expired
        elif row.kind not in UNCONDITIONAL_KINDS and (
            row.withdrawn_at is not None or row.id in closed
        ):
            taken.cancelled.append(row.id)
            taken.why[row.id] = CANCELLED_CLOSED
        elif row.kind == ReminderKind.PROGRESS and (row.item_id, row.agency_id) in rules.quiet:
            taken.cancelled.append(row.id)
            taken.why[row.id] = CANCELLED_QUIET
        elif row.agency_id in rules.messaged and _fresh_scheduled(row):
            taken.deferred[row.id] = _next_morning(row, rules)
        elif rules.hold is not None and rules.hold(
            row.kind, row.timezone, None if row.kind in COORDINATOR_KINDS else row.side
        ):
            held += 1
        elif len(taken.claimed) < room:
            taken.claimed.append(row.id)
    return held


def _fresh_scheduled(row: Row[Any]) -> bool:
    """A scheduled reminder never tried yet (a retry completes a message already due)."""
    return row.kind in BATCHABLE_KINDS and row.state == ReminderState.PENDING and not row.attempts


def _next_morning(row: Row[Any], rules: _Rules) -> datetime:
    """The first working hour of the next working day where the reminder's agency is."""
    zone = _zone(row)
    country = row.side.value if row.side else workdays.country_of_zone(zone.key)
    today = rules.now.astimezone(zone).date()
    day = workdays.next_working_day(today, country)
    return workdays.local_moment(day, rules.day_start_hour, zone.key)


def _messaged_today(session: Session, page: _Page, now: datetime) -> set[int]:
    """The agencies of the page's fresh scheduled reminders one of whose contacts' chats
    got a scheduled message already today (the agency's local day)."""
    zones = {row.agency_id: _zone(row) for row in page if row.agency_id and _fresh_scheduled(row)}
    if not zones:
        return set()
    chats: dict[int, set[int]] = {}
    for agency_id, chat_id in session.execute(
        select(Contact.agency_id, Contact.chat_id).where(
            Contact.agency_id.in_(sorted(zones)),
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
    ):
        chats.setdefault(agency_id, set()).add(chat_id)
    if not chats:
        return set()
    starts = {agency_id: _day_start(now, zone) for agency_id, zone in zones.items()}
    rows = session.execute(
        select(Delivery.chat_id, func.max(Delivery.sent_at))
        .join(Reminder, Reminder.id == Delivery.reminder_id)
        .where(
            Delivery.chat_id.in_(sorted(set[int]().union(*chats.values()))),
            Delivery.state == ReminderState.SENT,
            Delivery.sent_at >= min(starts.values()),
            Reminder.kind.in_(sorted(BATCHABLE_KINDS, key=lambda k: k.value)),
        )
        .group_by(Delivery.chat_id)
    ).tuples()
    last_sent = {chat_id: at for chat_id, at in rows if at is not None}
    return {
        agency_id
        for agency_id, own in chats.items()
        if any(
            chat in last_sent and last_sent[chat] >= starts[agency_id] and last_sent[chat] <= now
            for chat in own
        )
    }


def _day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of `now`'s day in `zone`."""
    return datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)


def _sharing_chats(session: Session, agencies: set[int]) -> set[int]:
    """The agencies whose active contacts share a chat with those of `agencies` (a person
    answering for several agencies gets all their reminders in one message)."""
    if not agencies:
        return set()
    chats = (
        select(Contact.chat_id)
        .where(
            Contact.agency_id.in_(sorted(agencies)),
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
        .scalar_subquery()
    )
    return set(
        session.scalars(
            select(Contact.agency_id).where(
                Contact.chat_id.in_(chats),
                Contact.agency_id.is_not(None),
                Contact.role == Role.CONTACT,
                Contact.active.is_(True),
            )
        )
    )


def _defer(session: Session, deferred: dict[int, datetime], now: datetime) -> None:
    """Move held scheduled reminders to their next morning (still pending, unclaimed)."""
    for due_at in sorted(set(deferred.values())):
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_(sorted(rid for rid, at in deferred.items() if at == due_at)))
            .values(due_at=due_at, updated_at=now)
        )


def _expired_why(row: Row[Any], rules: _Rules) -> str | None:
    """Why a candidate is not worth sending any more; None when it is.

    Only one never started: a reclaimed one may have reached some contacts already."""
    if row.state != ReminderState.PENDING:
        return None
    if row.kind == ReminderKind.HEADS_UP and row.due_at < rules.now - HEADS_UP_GRACE:
        return EXPIRED_DOWNTIME
    if (
        row.kind in WINDOW_KINDS
        and row.window_end is not None
        and row.window_end < rules.now.astimezone(_zone(row)).date()
    ):
        return EXPIRED_WINDOW
    if (
        row.kind == ReminderKind.DIGEST
        and rules.latest_digest is not None
        and (row.due_at, row.id) < rules.latest_digest
    ):
        return EXPIRED_DIGEST
    return None


def _latest_due_digest(session: Session, *, now: datetime) -> tuple[datetime, int] | None:
    """(due_at, id) of the latest weekly digest due by `now`, sent or not: older pending
    ones would only repeat it."""
    row = session.execute(
        select(Reminder.due_at, Reminder.id)
        .where(
            Reminder.kind == ReminderKind.DIGEST,
            Reminder.due_at <= now,
            Reminder.state.in_([ReminderState.PENDING, ReminderState.SENDING, ReminderState.SENT]),
        )
        .order_by(Reminder.due_at.desc(), Reminder.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row is not None else None


def _zone(row: Row[Any]) -> ZoneInfo:
    """A candidate's agency's time zone; its country's when it names none (Russia's for
    coordinators' kinds, which have no agency)."""
    return ZoneInfo(row.timezone or COUNTRY_TIMEZONES[row.side.value if row.side else "RU"])


def _quiet_pairs(
    session: Session, page: _Page, now: datetime, silence: timedelta | None
) -> set[tuple[int, int]]:
    """(item, agency) of the page's progress requests whose agency reported within `silence`."""
    pairs = {
        (row.item_id, row.agency_id)
        for row in page
        if row.kind == ReminderKind.PROGRESS and row.item_id and row.agency_id
    }
    if silence is None or not pairs:
        return set()
    rows = session.execute(
        select(StatusReport.item_id, StatusReport.agency_id)
        .where(
            StatusReport.item_id.in_({item for item, _ in pairs}),
            StatusReport.created_at > now - silence,
            StatusReport.source != COORDINATOR_SOURCE,
        )
        .distinct()
    )
    return {(item, agency) for item, agency in rows} & pairs


def _lease(
    session: Session,
    ids: list[int],
    *,
    now: datetime,
    lease_now: datetime,
    owner: str,
    lease_for: timedelta,
) -> None:
    if ids:
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids))
            .values(
                state=ReminderState.SENDING,
                lease_owner=owner,
                lease_expires_at=lease_now + lease_for,
                attempts=Reminder.attempts + 1,
                updated_at=now,
            )
        )


def _claimable(now: datetime, lease_now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now),
        and_(Reminder.state == ReminderState.SENDING, Reminder.lease_expires_at <= lease_now),
    )


def _closed_rows(session: Session, page: _Page) -> set[int]:
    """The page's reminders whose agency closed what they are about: the item (a latest
    «Отменено», or the status of an item with one window), or, for a recurring item, the
    reminder's own window («Выполнено» for 2026, even pressed in 2027, leaves the 2027
    reminders owed); see `Obligation.closes`."""
    item_ids = {row.item_id for row in page if row.item_id}
    if not item_ids:
        return set()
    latest = current_statuses(session, item_ids=item_ids)
    closed = {pair for pair, status in latest.items() if status in CLOSED}
    windowed = {
        row.item_id
        for row in page
        if (row.item_id, row.agency_id) in latest and row.window_start is not None
    }
    per_window = statuses_by_window(session, item_ids=windowed) if windowed else {}
    found = set()
    for row in page:
        pair = (row.item_id, row.agency_id)
        said = dict(per_window.get(pair, ()))
        window = (row.window_start, row.window_end)
        if latest.get(pair) != Status.CANCELLED and len(said) > 1 and window in said:
            if said[window] in CLOSED:
                found.add(row.id)
        elif pair in closed:
            found.add(row.id)
    return found


def _set_states(
    session: Session, ids: list[int], state: ReminderState, now: datetime, why: dict[int, str]
) -> None:
    """Set `state` on `ids`, each with its own reason (one statement per reason)."""
    for reason in sorted({why[rid] for rid in ids}):
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_([rid for rid in ids if why[rid] == reason]))
            .values(state=state, cancel_reason=reason, updated_at=now)
        )


def renew_leases(
    session: Session,
    *,
    reminder_ids: Sequence[int],
    owner: str,
    lease_now: datetime,
    lease_for: timedelta,
) -> set[int]:
    """Extend `owner`'s leases; the ids still held (another dispatcher may have taken some)."""
    if not reminder_ids:
        return set()
    held = set(
        session.scalars(
            select(Reminder.id)
            .where(
                Reminder.id.in_(list(reminder_ids)),
                Reminder.state == ReminderState.SENDING,
                Reminder.lease_owner == owner,
            )
            .with_for_update(of=Reminder)
        )
    )
    if held:
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_(held))
            .values(lease_expires_at=lease_now + lease_for)
        )
    return held


def release(
    session: Session, *, reminder_ids: Sequence[int], owner: str, due_at: datetime | None = None
) -> None:
    """Give leased reminders back to the queue unsent (optionally due later)."""
    if not reminder_ids:
        return
    values: dict[str, object] = {
        "state": ReminderState.PENDING,
        "lease_owner": None,
        "lease_expires_at": None,
    }
    if due_at is not None:
        values["due_at"] = due_at
    session.execute(
        update(Reminder)
        .where(Reminder.id.in_(list(reminder_ids)), Reminder.lease_owner == owner)
        .where(Reminder.state == ReminderState.SENDING)
        .values(**values)
    )


def log_subjects(session: Session, *, reminder_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Per reminder, the ids its log lines carry: reminder, item, plan, agency (when set)."""
    rows = session.execute(
        select(Reminder.id, Reminder.item_id, Item.plan_id, Reminder.agency_id)
        .outerjoin(Item, Item.id == Reminder.item_id)
        .where(Reminder.id.in_(reminder_ids))
    )
    subjects: dict[int, dict[str, int]] = {}
    for reminder_id, item_id, plan_id, agency_id in rows:
        ids = {
            "reminder_id": reminder_id,
            "item_id": item_id,
            "plan_id": plan_id,
            "agency_id": agency_id,
        }
        subjects[reminder_id] = {key: value for key, value in ids.items() if value is not None}
    return subjects
