"""The other contacts' copies of an item's reminder: when one contact of an agency
answers, the copies the others got are edited to show it — a reminder sent alone, the
last part of one sent in parts (the part with the buttons), or the batched message that
listed it among others."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from models.outbox.queue import COORDINATOR_KINDS
from models.schema.reminders import Delivery, DeliveryPart, Reminder
from scheduler.rules.domain import DateWindow, ReminderState


@dataclass(frozen=True)
class Copy:
    """A reminder of the item as one other chat shows it."""

    reminder_id: int
    chat_id: int
    #: The message to edit: the reminder's own, its last part, or the batched message.
    message_id: int
    #: The message lists several reminders (a batched message): these, in id order.
    batched: tuple[int, ...] = ()
    #: The reminder went in parts: `message_id` is the last one, which has the buttons.
    split: bool = False


def other_copies(
    session: Session,
    *,
    item_id: int,
    agency_id: int,
    chat_id: int,
    window: DateWindow | None = None,
) -> list[Copy]:
    """Per other chat, the latest reminder of the item sent there; with `window` (the
    answer's), only reminders about that window or about none (a recurring item's copy
    of another year's reminder is not about this answer)."""
    about = [
        Reminder.item_id == item_id,
        Reminder.agency_id == agency_id,
        Reminder.kind.not_in(COORDINATOR_KINDS),
    ]
    if window is not None:
        about.append(
            or_(
                Reminder.window_start.is_(None),
                and_(Reminder.window_start == window[0], Reminder.window_end == window[1]),
            )
        )
    latest = (
        select(func.max(Reminder.id).label("reminder_id"), Delivery.chat_id)
        .join(Delivery, Delivery.reminder_id == Reminder.id)
        .where(
            *about,
            Delivery.chat_id != chat_id,
            Delivery.state == ReminderState.SENT,
            Delivery.message_id.is_not(None),
        )
        .group_by(Delivery.chat_id)
        .subquery()
    )
    rows = session.execute(
        select(Delivery.id, Delivery.reminder_id, Delivery.chat_id, Delivery.message_id)
        .join(
            latest,
            (latest.c.reminder_id == Delivery.reminder_id) & (latest.c.chat_id == Delivery.chat_id),
        )
        .order_by(Delivery.chat_id)
    ).all()
    if not rows:
        return []
    split = set(
        session.scalars(
            select(DeliveryPart.delivery_id).where(
                DeliveryPart.delivery_id.in_([row.id for row in rows])
            )
        )
    )
    shared = aliased(Delivery)
    together: dict[tuple[int, int], list[int]] = {}
    for chat, message, reminder_id in session.execute(
        select(shared.chat_id, shared.message_id, shared.reminder_id)
        .where(
            or_(
                *(
                    and_(shared.chat_id == row.chat_id, shared.message_id == row.message_id)
                    for row in rows
                )
            )
        )
        .order_by(shared.reminder_id)
    ):
        together.setdefault((chat, message), []).append(reminder_id)
    copies = []
    for delivery_id, reminder_id, chat, message in rows:
        listed = together.get((chat, message), [reminder_id])
        copies.append(
            Copy(
                reminder_id,
                chat,
                message,
                batched=tuple(listed) if len(listed) > 1 else (),
                split=delivery_id in split,
            )
        )
    return copies
