"""Deliveries of one reminder: who receives it, and what each send did.

The outcome of every send is recorded in its own short transaction right after it, so a
crash between a send and its record repeats at most that one message. See
`models.dispatch_queue` for the rules of the reminder's final state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.base import ReminderKind, ReminderState, Role
from models.dispatch_queue import (
    CONTACT_INACTIVE,
    COORDINATOR_KINDS,
    NO_CONTACTS,
    NO_COORDINATORS,
    Recipient,
)
from models.outbox import Delivery, Reminder
from models.people import Agency, Contact


def coordinator_chats(session: Session) -> list[tuple[int, int]]:
    """(contact_id, chat_id) of the active coordinators, one per chat, group chats too."""
    rows = session.execute(
        select(func.min(Contact.id), Contact.chat_id)
        .where(Contact.role == Role.COORDINATOR, Contact.active.is_(True))
        .group_by(Contact.chat_id)
        .order_by(Contact.chat_id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def _agency_chats(session: Session, agency_id: int | None) -> list[tuple[int, int]]:
    if agency_id is None:
        return []
    rows = session.execute(
        select(Contact.id, Contact.chat_id)
        .where(
            Contact.agency_id == agency_id,
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
        .order_by(Contact.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def open_deliveries(session: Session, *, reminder_id: int, now: datetime) -> list[Recipient]:
    """The deliveries still to send, made for every current recipient on first call.

    Deliveries already `sent` or `failed` are left alone; a pending one whose contact
    became inactive fails without a send.
    """
    reminder = session.get_one(Reminder, reminder_id)
    if reminder.kind in COORDINATOR_KINDS:
        chats = coordinator_chats(session)
    else:
        chats = _agency_chats(session, reminder.agency_id)
    known = {
        d.contact_id
        for d in session.scalars(select(Delivery).where(Delivery.reminder_id == reminder_id))
    }
    seen_chats: set[int] = set()
    for contact_id, chat_id in chats:
        if contact_id not in known and chat_id not in seen_chats:
            session.add(
                Delivery(
                    reminder_id=reminder_id,
                    contact_id=contact_id,
                    chat_id=chat_id,
                    state=ReminderState.PENDING,
                    created_at=now,
                )
            )
        seen_chats.add(chat_id)
    session.flush()
    pending = session.execute(
        select(Delivery.id, Delivery.contact_id, Delivery.chat_id, Contact.active)
        .join(Contact, Contact.id == Delivery.contact_id)
        .where(Delivery.reminder_id == reminder_id, Delivery.state == ReminderState.PENDING)
        .order_by(Delivery.id)
    ).all()
    out = []
    for delivery_id, contact_id, chat_id, active in pending:
        if active:
            out.append(Recipient(delivery_id, contact_id, chat_id))
        else:
            _finish_delivery(session, delivery_id, ReminderState.FAILED, CONTACT_INACTIVE)
    return out


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


def finish_reminder(
    session: Session, *, reminder_id: int, owner: str, now: datetime
) -> ReminderState | None:
    """Settle a leased reminder from its deliveries and end the lease.

    Pending deliveries left (a retry) make it pending again, due at the earliest retry;
    otherwise it is sent when one delivery went out, failed when none did. None when
    `owner` no longer holds the lease.
    """
    reminder = session.get_one(Reminder, reminder_id)
    if reminder.state != ReminderState.SENDING or reminder.lease_owner != owner:
        return None
    deliveries = list(
        session.scalars(
            select(Delivery).where(Delivery.reminder_id == reminder_id).order_by(Delivery.id)
        )
    )
    pending = [d for d in deliveries if d.state == ReminderState.PENDING]
    sent = [d for d in deliveries if d.state == ReminderState.SENT]
    reminder.lease_owner = None
    reminder.lease_expires_at = None
    reminder.updated_at = now
    if pending:
        reminder.state = ReminderState.PENDING
        retries = [d.next_attempt_at for d in pending if d.next_attempt_at is not None]
        reminder.due_at = max(reminder.due_at, min(retries, default=now))
        reminder.last_error = pending[0].last_error
    elif sent:
        reminder.state = ReminderState.SENT
        reminder.sent_at = min(d.sent_at or now for d in sent)
        reminder.telegram_message_id = sent[0].message_id
    else:
        reminder.state = ReminderState.FAILED
        reminder.last_error = _no_one_error(reminder.kind, deliveries)
    return reminder.state


def _no_one_error(kind: ReminderKind, deliveries: list[Delivery]) -> str:
    if not deliveries:
        return NO_COORDINATORS if kind in COORDINATOR_KINDS else NO_CONTACTS
    return "; ".join(sorted({d.last_error or "ошибка" for d in deliveries}))


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
