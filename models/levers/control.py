"""Statuses a coordinator sets, and taking an item off control («снять с контроля»)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.levers.actors import Actor, LeverRefusedError
from models.outbox.manual import add_manual_reminder
from models.schema.people import Agency, Responsibility
from models.schema.plans import Item, ItemChange
from models.schema.reminders import Reminder
from models.statuses.by_window import status_now, status_of_window, statuses_by_window
from models.statuses.reports import CLOSED, current_statuses, record_report
from models.statuses.windows import windows_by_item
from scheduler.rules.domain import ReminderKind, ReminderState, Status
from scheduler.rules.policy import relevant_window
from scheduler.rules.specs import REASON_CLOSED

#: What a coordinator may set; «Перенос» is the agency's request, not the coordinator's.
COORDINATOR_STATUSES = frozenset({Status.DONE, Status.IN_PROGRESS, Status.CANCELLED})
SOURCE = "coordinator"


@dataclass(frozen=True)
class ItemState:
    """An item as its levers need it: number, title, whether it is under control, its
    responsible bodies (id, name, status)."""

    item_id: int
    number: str
    title: str
    closed: bool
    bodies: tuple[tuple[int, str, Status], ...]


def live_item(session: Session, *, item_id: int) -> Item:
    """The item a lever acts on; a withdrawn or unknown one refuses."""
    item = session.get(Item, item_id)
    if item is None or item.withdrawn_at is not None:
        raise LeverRefusedError("stale")
    return item


def item_state(session: Session, *, item_id: int) -> ItemState:
    """The item and its bodies with their current statuses."""
    item = live_item(session, item_id=item_id)
    statuses = current_statuses(session, item_ids=[item_id])
    rows = session.execute(
        select(Agency.id, Agency.name)
        .join(Responsibility, Responsibility.agency_id == Agency.id)
        .where(Responsibility.item_id == item_id)
        .order_by(Responsibility.side, Agency.name)
    )
    bodies = tuple(
        (agency_id, name, statuses.get((item_id, agency_id), Status.PLANNED))
        for agency_id, name in rows
    )
    return ItemState(item.id, item.number, item.title, item.closed_at is not None, bodies)


def set_status(
    session: Session,
    *,
    actor: Actor,
    item_id: int,
    agency_id: int | None,
    status: Status,
    now: datetime,
) -> list[int]:
    """Record `status` for one body of the item, or for each of them (`agency_id` None);
    returns the bodies whose status changed. The reminders need a re-plan afterwards."""
    if status not in COORDINATOR_STATUSES:
        raise LeverRefusedError("malformed")
    state = item_state(session, item_id=item_id)
    bodies = [b for b in state.bodies if agency_id is None or b[0] == agency_id]
    if not bodies:
        raise LeverRefusedError("stale")  # that body no longer answers for the item
    # A recurring item: the status of the current window, which the report is about.
    per_window = statuses_by_window(session, item_ids=[item_id])
    changed = []
    for body_id, _, latest in bodies:
        current = status_now(per_window.get((item_id, body_id)), now.date(), latest)
        if current == status:
            continue  # a repeated press records nothing new
        record_report(
            session,
            item_id=item_id,
            agency_id=body_id,
            status=status,
            comment=None,
            now=now,
            source=SOURCE,
            contact_id=actor.contact_id,
            author=actor.name,
        )
        changed.append(body_id)
    return changed


def _log(session: Session, *, actor: Actor, item_id: int, kind: str, now: datetime) -> None:
    session.add(
        ItemChange(
            item_id=item_id,
            contact_id=actor.contact_id,
            kind=kind,
            detail={"author": actor.name},
            created_at=now,
        )
    )


def pending_count(session: Session, *, item_id: int) -> int:
    """How many of the item's reminders are waiting to go."""
    return int(
        session.scalar(
            select(func.count(Reminder.id)).where(
                Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING
            )
        )
        or 0
    )


def close_item(session: Session, *, actor: Actor, item_id: int, now: datetime) -> bool:
    """Take the item off control: no reminders to anyone (the re-plan cancels the planned
    ones; a pending manual reminder is cancelled here). False when it already was."""
    item = live_item(session, item_id=item_id)
    if item.closed_at is not None:
        return False
    item.closed_at = now
    _log(session, actor=actor, item_id=item_id, kind="closed", now=now)
    session.execute(
        update(Reminder)
        .where(
            Reminder.item_id == item_id,
            Reminder.kind == ReminderKind.MANUAL,
            Reminder.state == ReminderState.PENDING,
        )
        .values(state=ReminderState.CANCELLED, cancel_reason=REASON_CLOSED, updated_at=now)
    )
    session.flush()
    return True


def reopen_item(session: Session, *, actor: Actor, item_id: int, now: datetime) -> bool:
    """Put the item back under control (its reminders are planned again by the re-plan).
    False when it was not closed."""
    item = live_item(session, item_id=item_id)
    if item.closed_at is None:
        return False
    item.closed_at = None
    _log(session, actor=actor, item_id=item_id, kind="reopened", now=now)
    session.flush()
    return True


def remind_body(
    session: Session, *, item_id: int, agency_id: int, now: datetime, today: date
) -> bool:
    """A manual reminder due now for one body of the item (an escalation's «Напомнить ещё
    раз»); False when the item is off control or the body owes nothing more."""
    item = live_item(session, item_id=item_id)
    state = item_state(session, item_id=item_id)
    body = next((b for b in state.bodies if b[0] == agency_id), None)
    if body is None:
        raise LeverRefusedError("stale")
    windows = windows_by_item(session, item_ids=[item_id]).get(item_id, {})
    window = relevant_window(list(windows.get(agency_id) or windows.get(None) or []), today)
    per_window = statuses_by_window(session, item_ids=[item_id]).get((item_id, agency_id))
    if item.closed_at is not None or status_of_window(per_window, window, body[2]) in CLOSED:
        return False
    # None: the same press, repeated within the second, made it already.
    add_manual_reminder(session, item_id=item_id, agency_id=agency_id, window=window, now=now)
    return True
