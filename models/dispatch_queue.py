"""The outbox as a work queue: claim due reminders, record what each delivery did.

A dispatch pass claims reminders (state `sending`, a lease owner and an expiry) in one
short transaction; an expired lease is claimed again, so a dispatcher that died frees
its work. On PostgreSQL the claim is `SELECT … FOR UPDATE SKIP LOCKED`: any number of
dispatchers share the queue and none waits for another. SQLite has one dispatcher at a
time (see `scheduler.dispatch_lock`).

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
- Catch-up after downtime: a heads-up more than `HEADS_UP_GRACE` late is `expired`, not
  sent late; every other kind still goes out, once.
- A reminder whose agency already closed the item (done, cancelled), or whose item was
  withdrawn, is `cancelled` instead of sent. Manual reminders and digests always go.
- A reminder the caller's `HoldRule` keeps back (night, weekend, holiday where its
  recipients are) stays pending and unclaimed until a later claim.
- A 429 or a network error moves the reminder's `due_at` to the retry moment; the
  re-plan leaves a pending reminder due in the future alone when its own moment passed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from models.base import ReminderKind, ReminderState, Side
from models.outbox import Reminder
from models.people import Agency
from models.plan import Item
from models.statuses import CLOSED, current_statuses

NO_CONTACTS = "нет активных контактов"
NO_COORDINATORS = "нет активных координаторов"
CONTACT_INACTIVE = "контакт неактивен"
HEADS_UP_GRACE = timedelta(days=1)
#: Kinds that go to coordinators; every other kind goes to the agency's contacts.
COORDINATOR_KINDS = frozenset({ReminderKind.ESCALATION, ReminderKind.DIGEST})
#: Kinds sent whatever the item's status is.
UNCONDITIONAL_KINDS = frozenset({ReminderKind.MANUAL, ReminderKind.DIGEST})
#: Decides, for a candidate, that now is no time to write (night, weekend, holiday):
#: called with the kind, the agency's time zone and side (None for coordinator kinds).
HoldRule = Callable[[ReminderKind, str | None, Side | None], bool]


@dataclass(frozen=True)
class Claim:
    """What one claim did: reminders now leased to the caller, and those set aside."""

    claimed: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    cancelled: list[int] = field(default_factory=list)
    held: int = 0


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
) -> Claim:
    """Lease up to `limit` reminders due at `now` (and those whose lease ran out by
    `lease_now`, the wall clock) to `owner`; expire late heads-ups, cancel closed ones.

    Held reminders (a holiday in one country) are passed over page by page, so that they
    never keep back the reminders due behind them for recipients who are at work."""
    claim = Claim()
    held = 0
    while len(claim.claimed) < limit:
        page = _candidates(session, now=now, lease_now=lease_now, limit=limit, offset=held)
        taken = Claim()
        held += _sort_page(session, page, now, hold, taken, room=limit - len(claim.claimed))
        _set_state(session, taken.expired, ReminderState.EXPIRED, now, "пропущено: простой")
        _set_state(session, taken.cancelled, ReminderState.CANCELLED, now, "пункт закрыт")
        _lease(
            session, taken.claimed, now=now, lease_now=lease_now, owner=owner, lease_for=lease_for
        )
        claim.claimed.extend(taken.claimed)
        claim.expired.extend(taken.expired)
        claim.cancelled.extend(taken.cancelled)
        if len(page) < limit:
            break
    return Claim(claim.claimed, claim.expired, claim.cancelled, held)


def _candidates(session: Session, *, now: datetime, lease_now: datetime, limit: int, offset: int):  # type: ignore[no-untyped-def]
    """One page of claimable reminders, soonest first, locked (skipping rows others hold)."""
    return session.execute(
        select(
            Reminder.id,
            Reminder.kind,
            Reminder.state,
            Reminder.due_at,
            Reminder.item_id,
            Reminder.agency_id,
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
    ).all()


def _sort_page(
    session, page, now: datetime, hold: HoldRule | None, taken: Claim, *, room: int
) -> int:  # type: ignore[no-untyped-def]
    """Sort one page into `taken` (claimed up to `room`, expired, cancelled); the held count."""
    closed = _closed_pairs(session, [row.item_id for row in page if row.item_id])
    held = 0
    for row in page:
        if row.kind == ReminderKind.HEADS_UP and _late_heads_up(row, now):
            taken.expired.append(row.id)
        elif row.kind not in UNCONDITIONAL_KINDS and (
            row.withdrawn_at is not None or (row.item_id, row.agency_id) in closed
        ):
            taken.cancelled.append(row.id)
        elif hold is not None and hold(
            row.kind, row.timezone, None if row.kind in COORDINATOR_KINDS else row.side
        ):
            held += 1
        elif len(taken.claimed) < room:
            taken.claimed.append(row.id)
    return held


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


def _claimable(now: datetime, lease_now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(Reminder.state == ReminderState.PENDING, Reminder.due_at <= now),
        and_(Reminder.state == ReminderState.SENDING, Reminder.lease_expires_at <= lease_now),
    )


def _late_heads_up(row, now: datetime) -> bool:  # type: ignore[no-untyped-def]
    # Only one never started: a reclaimed one may have reached some contacts already.
    return row.state == ReminderState.PENDING and row.due_at < now - HEADS_UP_GRACE


def _closed_pairs(session: Session, item_ids: Sequence[int]) -> set[tuple[int, int]]:
    if not item_ids:
        return set()
    statuses = current_statuses(session, item_ids=set(item_ids))
    return {pair for pair, status in statuses.items() if status in CLOSED}


def _set_state(
    session: Session, ids: list[int], state: ReminderState, now: datetime, why: str
) -> None:
    if ids:
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_(ids))
            .values(state=state, cancel_reason=why, updated_at=now)
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
