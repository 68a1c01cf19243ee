"""What the chats hold open: questions awaiting an answer, seen updates, plan uploads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


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


class ProcessedUpdate(Base):
    """Every Telegram update seen, by update_id: a repeated update changes nothing."""

    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    #: The update as received; None once handled and pruned (models.chats.updates).
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
