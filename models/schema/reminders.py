"""The reminder outbox: what Srok owes, and each delivery of it to a chat."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_values
from scheduler.rules.domain import ReminderKind, ReminderState


class Reminder(Base):
    """One message Srok owes: planned from a window by the policy, sent by dispatch.

    `dedup_key` makes a reminder unique per (item, agency, window, kind, slot) on every
    backend (NULLs in a composite unique constraint would not be): re-planning finds
    the row it made before instead of making another.
    """

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(200), unique=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ReminderKind] = mapped_column(
        Enum(ReminderKind, name="reminder_kind", values_callable=enum_values, native_enum=False)
    )
    window_start: Mapped[date | None]
    window_end: Mapped[date | None]
    #: Tells apart several reminders of one kind for one window (the month of a
    #: progress request, the ISO week of a digest); empty otherwise.
    slot: Mapped[str] = mapped_column(String(32), default="")
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[ReminderState] = mapped_column(
        Enum(ReminderState, name="reminder_state", values_callable=enum_values, native_enum=False),
        default=ReminderState.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    lease_owner: Mapped[str | None] = mapped_column(String(128))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The Telegram message id of the first delivery (the others are in deliveries).
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return (
            f"Reminder(id={self.id!r}, kind={self.kind!r}, item_id={self.item_id!r}, "
            f"agency_id={self.agency_id!r}, due_at={self.due_at!r}, state={self.state!r})"
        )


class Delivery(Base):
    """One reminder to one chat: what was sent where, so nothing is sent twice."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("reminder_id", "contact_id"),
        # What a chat got today: at most one scheduled message a contact a working day.
        Index("ix_deliveries_chat_sent", "chat_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reminder_id: Mapped[int] = mapped_column(
        ForeignKey("reminders.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[ReminderState] = mapped_column(
        Enum(ReminderState, name="reminder_state", values_callable=enum_values, native_enum=False),
        default=ReminderState.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"Delivery(reminder_id={self.reminder_id!r}, chat_id={self.chat_id!r})"


class DeliveryPart(Base):
    """An earlier part of a reminder too long for one message (the last part is the
    delivery's `message_id`): a reply to any part is an answer to the reminder."""

    __tablename__ = "delivery_parts"
    __table_args__ = (Index("ix_delivery_parts_chat_message", "chat_id", "message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("deliveries.id", ondelete="CASCADE"), index=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"DeliveryPart(chat_id={self.chat_id!r}, message_id={self.message_id!r})"
