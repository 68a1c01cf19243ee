"""The other contacts' copies of an item's reminder: when one contact of an agency
answers, the copies the others got are edited to show it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from models.outbox.queue import COORDINATOR_KINDS
from models.schema.reminders import Delivery, DeliveryPart, Reminder
from scheduler.rules.domain import ReminderState


@dataclass(frozen=True)
class Copy:
    """A reminder of the item as one other chat shows it."""

    reminder_id: int
    chat_id: int
    message_id: int


def other_copies(session: Session, *, item_id: int, agency_id: int, chat_id: int) -> list[Copy]:
    """Per other chat, the latest reminder of the item sent there on a message of its own
    (a batched message lists several items and a split one has parts: those stay)."""
    others = aliased(Delivery)
    shared = (
        select(others.id)
        .where(
            others.chat_id == Delivery.chat_id,
            others.message_id == Delivery.message_id,
            others.id != Delivery.id,
        )
        .exists()
    )
    split = select(DeliveryPart.id).where(DeliveryPart.delivery_id == Delivery.id).exists()
    latest = (
        select(func.max(Reminder.id).label("reminder_id"), Delivery.chat_id)
        .join(Delivery, Delivery.reminder_id == Reminder.id)
        .where(
            Reminder.item_id == item_id,
            Reminder.agency_id == agency_id,
            Reminder.kind.not_in(COORDINATOR_KINDS),
            Delivery.chat_id != chat_id,
            Delivery.state == ReminderState.SENT,
            Delivery.message_id.is_not(None),
        )
        .group_by(Delivery.chat_id)
        .subquery()
    )
    rows = session.execute(
        select(Delivery.reminder_id, Delivery.chat_id, Delivery.message_id)
        .join(
            latest,
            (latest.c.reminder_id == Delivery.reminder_id) & (latest.c.chat_id == Delivery.chat_id),
        )
        .where(~shared, ~split)
        .order_by(Delivery.chat_id)
    )
    return [Copy(r, c, m) for r, c, m in rows if m is not None]
