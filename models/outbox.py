"""The reminder outbox, status reports, questions awaiting an answer, seen updates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, ReminderKind, ReminderState, Status, UTCDateTime, enum_values


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
    __table_args__ = (UniqueConstraint("reminder_id", "contact_id"),)

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


class StatusReport(Base):
    """Append-only: an agency's status of an item; the latest one is the current one."""

    __tablename__ = "status_reports"
    __table_args__ = (Index("ix_status_reports_item_agency", "item_id", "agency_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    #: None for a comment that does not change the status.
    status: Mapped[Status | None] = mapped_column(
        Enum(Status, name="status", values_callable=enum_values, native_enum=False)
    )
    comment: Mapped[str | None] = mapped_column(Text)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    #: Who, as shown to people (a contact's name, «администратор»).
    author: Mapped[str] = mapped_column(Text, default="")
    #: button | text | coordinator | cli
    source: Mapped[str] = mapped_column(String(16))
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id", ondelete="SET NULL"))
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    #: The Telegram update (a button press) that made it: one update, one report at most.
    update_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    def __repr__(self) -> str:
        return (
            f"StatusReport(item_id={self.item_id!r}, agency_id={self.agency_id!r}, "
            f"status={self.status!r})"
        )


class PendingQuestion(Base):
    """What the bot asked a chat and waits for (a comment, a new date, a confirmation).

    Kept in the database so that a restart in the middle of a question loses nothing.
    """

    __tablename__ = "pending_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    #: comment | new_date | confirm_status | confirm_date; a coordinator's: lever_*
    kind: Mapped[str] = mapped_column(String(32))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    #: None for a coordinator's question about the item as a whole (which body to add).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id", ondelete="SET NULL"))
    #: The bot's message that asked, so a reply to it finds this question.
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"PendingQuestion(id={self.id!r}, kind={self.kind!r}, chat_id={self.chat_id!r})"


class PostponementRequest(Base):
    """An agency's «Перенос» with its new dates, waiting for a coordinator's decision.

    Until it is approved the agency's windows stay as they were, so reminders follow the
    old date; `before` keeps the windows an approval replaced, so that a later refusal
    can put them back.
    """

    __tablename__ = "postponement_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    author: Mapped[str] = mapped_column(Text, default="")
    #: The contact's own words («перенос на 15 мая»).
    text: Mapped[str] = mapped_column(Text, default="")
    #: The requested windows, `[[start, end], …]` as ISO dates.
    windows: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    #: The agency's windows before an approval applied the request.
    before: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    #: pending | approved | refused
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)

    def __repr__(self) -> str:
        return (
            f"PostponementRequest(id={self.id!r}, item_id={self.item_id!r}, state={self.state!r})"
        )


class ProcessedUpdate(Base):
    """Every Telegram update seen, by update_id: a repeated update changes nothing."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: The update as received; None once handled and pruned (models.seen_updates).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    #: The Telegram user it came from (None for a channel post and the like).
    sender_id: Mapped[int | None] = mapped_column(BigInteger)

    def __repr__(self) -> str:
        return f"ProcessedUpdate(update_id={self.update_id!r})"


class PlanUpload(Base):
    """A plan file a coordinator sent to the bot, kept until they confirm or cancel it
    (so a restart between the preview and «Импортировать» loses nothing), then the plan it
    became and the sections whose bodies they chose or skipped in chat."""

    __tablename__ = "plan_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    file_name: Mapped[str] = mapped_column(String(255))
    #: The file's bytes while it waits; emptied once imported or cancelled.
    content: Mapped[bytes] = mapped_column(LargeBinary)
    #: waiting | imported | cancelled
    state: Mapped[str] = mapped_column(String(16), default="waiting")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id", ondelete="SET NULL"))
    #: Sections (ids; 0 for items outside any section) the coordinator chose to skip.
    skipped: Mapped[list[int]] = mapped_column(JSON, default=list)
    #: The section whose body's name the coordinator was asked to type, and until when.
    asking_section: Mapped[int | None] = mapped_column(Integer)
    asking_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
