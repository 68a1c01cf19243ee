"""Deliveries of one reminder: who receives it, and what each send did.

The outcome of every send is recorded in its own short transaction right after it, so a
crash between a send and its record repeats at most that one message. See
`models.outbox.queue` for the rules of the reminder's final state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.orm import Session

from models.db import rowcount
from models.outbox.queue import (
    CONTACT_INACTIVE,
    COORDINATOR_KINDS,
    NO_CONTACTS,
    NO_COORDINATORS,
    Recipient,
)
from models.schema.people import Agency, Contact
from models.schema.reminders import Delivery, DeliveryPart, Reminder
from scheduler.rules.domain import ReminderKind, ReminderState, Role


def coordinator_chats(session: Session) -> list[tuple[int, int]]:
    """(contact_id, chat_id) of the active coordinators, one per chat, group chats too."""
    rows = session.execute(
        select(func.min(Contact.id), Contact.chat_id)
        .where(Contact.role == Role.COORDINATOR, Contact.active.is_(True))
        .group_by(Contact.chat_id)
        .order_by(Contact.chat_id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def digest_chats(session: Session) -> list[tuple[int, int]]:
    """(contact_id, chat_id) the digest goes to: once per coordinator — to the group they
    bound if there is one, else to their private chat; a group bound twice gets it once."""
    rows = session.execute(
        select(Contact.id, Contact.chat_id, Contact.user_id, Contact.is_group)
        .where(Contact.role == Role.COORDINATOR, Contact.active.is_(True))
        .order_by(Contact.id)
    ).all()
    with_group = {row.user_id for row in rows if row.is_group}
    chats: dict[int, int] = {}
    for contact_id, chat_id, user_id, is_group in rows:
        if (is_group or user_id not in with_group) and chat_id not in chats:
            chats[chat_id] = contact_id
    return sorted((contact_id, chat_id) for chat_id, contact_id in chats.items())


@dataclass(frozen=True)
class Job:
    """A claimed reminder's deliveries: those to send now, those ended before."""

    reminder_id: int
    kind: ReminderKind
    due_at: datetime
    recipients: list[Recipient]
    ended: list[DeliveryEnd]


def open_jobs(session: Session, *, reminder_ids: Sequence[int], now: datetime) -> list[Job]:
    """The jobs of a claimed batch, in a few queries whatever its size.

    Deliveries are made for every current recipient on first call (one per chat); those
    already `sent` or `failed` are left alone; a pending one whose contact became
    inactive fails without a send.
    """
    reminders = session.execute(
        select(Reminder.id, Reminder.kind, Reminder.agency_id, Reminder.due_at).where(
            Reminder.id.in_(list(reminder_ids))
        )
    ).all()
    targets = _targets(session, reminders)
    existing = _deliveries(session, [r.id for r in reminders])
    fresh = []
    for reminder in reminders:
        known = {d.contact_id for d in existing.get(reminder.id, [])}
        chats = {d.chat_id for d in existing.get(reminder.id, [])}
        for contact_id, chat_id in targets.get(reminder.id, []):
            if contact_id not in known and chat_id not in chats:
                chats.add(chat_id)
                fresh.append(
                    {
                        "reminder_id": reminder.id,
                        "contact_id": contact_id,
                        "chat_id": chat_id,
                        "state": ReminderState.PENDING,
                        "attempts": 0,
                        "created_at": now,
                    }
                )
    if fresh:
        session.execute(insert(Delivery), fresh)
        existing = _deliveries(session, [r.id for r in reminders])
    return [_job(session, r, existing.get(r.id, [])) for r in reminders]


def _targets(session: Session, reminders: Sequence[Row[Any]]) -> dict[int, list[tuple[int, int]]]:
    """(contact_id, chat_id) each reminder goes to now."""
    agency_ids = {r.agency_id for r in reminders if r.kind not in COORDINATOR_KINDS}
    by_agency: dict[int, list[tuple[int, int]]] = {}
    if agency_ids:
        rows = session.execute(
            select(Contact.id, Contact.chat_id, Contact.agency_id)
            .where(
                Contact.agency_id.in_([a for a in agency_ids if a is not None]),
                Contact.role == Role.CONTACT,
                Contact.active.is_(True),
            )
            .order_by(Contact.id)
        )
        for contact_id, chat_id, agency_id in rows:
            by_agency.setdefault(agency_id, []).append((contact_id, chat_id))
    coordinators = []
    if any(r.kind in COORDINATOR_KINDS for r in reminders):
        coordinators = coordinator_chats(session)
    digests = []
    if any(r.kind == ReminderKind.DIGEST for r in reminders):
        digests = digest_chats(session)
    targets = {}
    for r in reminders:
        if r.kind == ReminderKind.DIGEST:
            targets[r.id] = digests
        elif r.kind in COORDINATOR_KINDS:
            targets[r.id] = coordinators
        else:
            targets[r.id] = by_agency.get(r.agency_id, [])
    return targets


#: How many earlier parts of a long reminder a delivery has sent (see `DeliveryPart`).
_PARTS_SENT = (
    select(func.count(DeliveryPart.id))
    .where(DeliveryPart.delivery_id == Delivery.id)
    .correlate(Delivery)
    .scalar_subquery()
    .label("parts_sent")
)


def _deliveries(session: Session, reminder_ids: list[int]) -> dict[int, list[Row[Any]]]:
    rows = session.execute(
        select(
            Delivery.id,
            Delivery.reminder_id,
            Delivery.contact_id,
            Delivery.chat_id,
            Delivery.state,
            Delivery.sent_at,
            Delivery.message_id,
            Delivery.next_attempt_at,
            Delivery.last_error,
            Contact.active,
            _PARTS_SENT,
        )
        .join(Contact, Contact.id == Delivery.contact_id)
        .where(Delivery.reminder_id.in_(reminder_ids))
        .order_by(Delivery.id)
    ).all()
    out: dict[int, list[Row[Any]]] = {}
    for row in rows:
        out.setdefault(row.reminder_id, []).append(row)
    return out


def _job(session: Session, reminder: Row[Any], deliveries: list[Row[Any]]) -> Job:
    recipients, ended = [], []
    for d in deliveries:
        if d.state == ReminderState.PENDING and d.active:
            recipients.append(Recipient(d.id, d.contact_id, d.chat_id, d.parts_sent))
        elif d.state == ReminderState.PENDING:
            _finish_delivery(session, d.id, ReminderState.FAILED, CONTACT_INACTIVE)
            ended.append(DeliveryEnd(ReminderState.FAILED, error=CONTACT_INACTIVE))
        else:
            ended.append(
                DeliveryEnd(d.state, sent_at=d.sent_at, message_id=d.message_id, error=d.last_error)
            )
    return Job(reminder.id, reminder.kind, reminder.due_at, recipients, ended)


def open_deliveries(session: Session, *, reminder_id: int, now: datetime) -> list[Recipient]:
    """The deliveries of one reminder still to send (see `open_jobs`)."""
    (job,) = open_jobs(session, reminder_ids=[reminder_id], now=now)
    return job.recipients


def _finish_delivery(
    session: Session, delivery_id: int, state: ReminderState, error: str | None
) -> None:
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(state=state, last_error=error, next_attempt_at=None)
    )


def record_sent(
    session: Session, *, delivery_id: int, message_id: int | None, now: datetime
) -> None:
    """The delivery went out: it is never sent again."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            state=ReminderState.SENT,
            message_id=message_id,
            sent_at=now,
            attempts=Delivery.attempts + 1,
            last_error=None,
            next_attempt_at=None,
        )
    )


def record_parts(
    session: Session, *, delivery_id: int, chat_id: int, message_ids: Sequence[int]
) -> None:
    """Keep the ids of a long reminder's earlier parts (see `DeliveryPart`)."""
    session.execute(
        insert(DeliveryPart),
        [{"delivery_id": delivery_id, "chat_id": chat_id, "message_id": i} for i in message_ids],
    )


def record_retry(
    session: Session, *, delivery_id: int, error: str, retry_at: datetime, count: bool
) -> None:
    """The delivery is due again at `retry_at`; `count` when it was a failed attempt."""
    values: dict[str, object] = {"last_error": error, "next_attempt_at": retry_at}
    if count:
        values["attempts"] = Delivery.attempts + 1
    session.execute(update(Delivery).where(Delivery.id == delivery_id).values(**values))


def delivery_attempts(session: Session, *, delivery_id: int) -> int:
    """How many times this delivery was tried (successful or not)."""
    return session.get_one(Delivery, delivery_id).attempts


def record_failed(
    session: Session, *, delivery_id: int, error: str, deactivate: bool, now: datetime
) -> None:
    """The delivery will never go out; `deactivate` makes its contact inactive (403)."""
    session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id)
        .values(
            state=ReminderState.FAILED,
            last_error=error,
            next_attempt_at=None,
            attempts=Delivery.attempts + 1,
        )
    )
    if deactivate:
        contact_id = session.get_one(Delivery, delivery_id).contact_id
        session.execute(
            update(Contact)
            .where(Contact.id == contact_id)
            .values(active=False, inactive_reason=error)
        )


@dataclass(frozen=True)
class DeliveryEnd:
    """Where one delivery stands: sent, failed, or pending again (due at `retry_at`)."""

    state: ReminderState
    sent_at: datetime | None = None
    message_id: int | None = None
    retry_at: datetime | None = None
    error: str | None = None


def settlement(
    kind: ReminderKind, due_at: datetime, ends: list[DeliveryEnd], now: datetime
) -> dict[str, Any]:
    """The reminder's new values from its deliveries; the lease ends.

    Deliveries pending (a retry) make it pending again, due at the earliest retry;
    otherwise it is sent when one delivery went out, failed when none did.
    """
    values: dict[str, Any] = {"lease_owner": None, "lease_expires_at": None, "updated_at": now}
    pending = [e for e in ends if e.state == ReminderState.PENDING]
    sent = [e for e in ends if e.state == ReminderState.SENT]
    if pending:
        retries = [e.retry_at for e in pending if e.retry_at is not None]
        values.update(
            state=ReminderState.PENDING,
            due_at=max(due_at, min(retries, default=now)),
            last_error=pending[0].error,
        )
    elif sent:
        values.update(
            state=ReminderState.SENT,
            sent_at=min(e.sent_at or now for e in sent),
            telegram_message_id=sent[0].message_id,
        )
    else:
        values.update(state=ReminderState.FAILED, last_error=_no_one_error(kind, ends))
    return values


def settle_reminder(
    session: Session, *, reminder_id: int, owner: str, values: dict[str, Any]
) -> ReminderState | None:
    """Write a settlement if `owner` still holds the lease; the new state, else None."""
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            Reminder.state == ReminderState.SENDING,
            Reminder.lease_owner == owner,
        )
        .values(**values)
    )
    return values["state"] if rowcount(result) == 1 else None


def finish_reminder(
    session: Session, *, reminder_id: int, owner: str, now: datetime
) -> ReminderState | None:
    """Settle a leased reminder from its deliveries as stored; None when not `owner`'s."""
    reminder = session.get_one(Reminder, reminder_id)
    deliveries = session.scalars(
        select(Delivery).where(Delivery.reminder_id == reminder_id).order_by(Delivery.id)
    )
    ends = [_end_of(d) for d in deliveries]
    values = settlement(reminder.kind, reminder.due_at, ends, now)
    return settle_reminder(session, reminder_id=reminder_id, owner=owner, values=values)


def _end_of(delivery: Delivery) -> DeliveryEnd:
    return DeliveryEnd(
        delivery.state,
        sent_at=delivery.sent_at,
        message_id=delivery.message_id,
        retry_at=delivery.next_attempt_at,
        error=delivery.last_error,
    )


def _no_one_error(kind: ReminderKind, ends: list[DeliveryEnd]) -> str:
    if not ends:
        return NO_COORDINATORS if kind in COORDINATOR_KINDS else NO_CONTACTS
    return "; ".join(sorted({e.error or "ошибка" for e in ends}))


def contact_label(session: Session, *, contact_id: int) -> str:
    """How coordinators know a contact: its name, else @username, else its chat id."""
    contact = session.get_one(Contact, contact_id)
    if contact.name:
        return contact.name
    return f"@{contact.username}" if contact.username else str(contact.chat_id)


def agencies_without_contacts(session: Session) -> list[str]:
    """Agencies whose reminders failed for want of an active contact, still without one."""
    has_contact = (
        select(Contact.id)
        .where(
            Contact.agency_id == Agency.id,
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
        .exists()
    )
    rows = session.scalars(
        select(Agency.name)
        .join(Reminder, Reminder.agency_id == Agency.id)
        .where(Reminder.state == ReminderState.FAILED, Reminder.last_error == NO_CONTACTS)
        .where(~has_contact)
        .distinct()
        .order_by(Agency.name)
    )
    return list(rows)


def reminders_on_message(session: Session, *, chat_id: int, message_id: int) -> list[int]:
    """The reminders one message in a chat carried (several for a batched message)."""
    return list(
        session.scalars(
            select(Delivery.reminder_id)
            .where(Delivery.chat_id == chat_id, Delivery.message_id == message_id)
            .order_by(Delivery.reminder_id)
        )
    )
