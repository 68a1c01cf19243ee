"""What agencies answered: status reports and postponement requests."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_values
from scheduler.rules.domain import Status


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
    #: The window (an occurrence of a recurring item) the report is about: a reminder's
    #: own, the one a card showed, else the current or latest past one when it was made.
    #: None for an item without windows.
    window_start: Mapped[date | None]
    window_end: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    def __repr__(self) -> str:
        return (
            f"StatusReport(item_id={self.item_id!r}, agency_id={self.agency_id!r}, "
            f"status={self.status!r})"
        )


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
