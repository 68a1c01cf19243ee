"""Agencies, who answers for which item, and the Telegram people bound to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_values
from scheduler.rules.domain import Role, Side


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    side: Mapped[Side] = mapped_column(
        Enum(Side, name="side", values_callable=enum_values, native_enum=False)
    )
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    aliases: Mapped[list[AgencyAlias]] = relationship(
        back_populates="agency", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Agency(id={self.id!r}, name={self.name[:40]!r}, side={self.side!r})"


class AgencyAlias(Base):
    """Another spelling of an agency's name, normalised (lower case, single spaces)."""

    __tablename__ = "agency_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(Text, unique=True)

    agency: Mapped[Agency] = relationship(back_populates="aliases")

    def __repr__(self) -> str:
        return f"AgencyAlias(agency_id={self.agency_id!r}, alias={self.alias[:40]!r})"


class Responsibility(Base):
    __tablename__ = "responsibilities"
    __table_args__ = (UniqueConstraint("item_id", "agency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[Side] = mapped_column(
        Enum(Side, name="side", values_callable=enum_values, native_enum=False)
    )
    #: `plan` (printed), `assignment` (assignments file) or `coordinator` (reassigned).
    source: Mapped[str] = mapped_column(String(16), default="plan")
    #: `lead`, or `co` for a co-executor («соисполнитель»).
    role: Mapped[str] = mapped_column(String(8), default="lead", server_default="lead")
    #: A mark printed with the body («по согласованию») and the person named in charge.
    note: Mapped[str | None] = mapped_column(Text)
    person: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    agency: Mapped[Agency] = relationship()

    def __repr__(self) -> str:
        return f"Responsibility(item_id={self.item_id!r}, agency_id={self.agency_id!r})"


class Contact(Base):
    """A Telegram chat Srok writes to: a person bound to an agency, or a coordinator.

    A coordinator may also bind a group chat (`is_group`), which then gets the digest
    and escalations; `user_id` is then the coordinator who bound it.
    """

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("chat_id", "agency_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    is_group: Mapped[bool] = mapped_column(default=False)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="role", values_callable=enum_values, native_enum=False)
    )
    name: Mapped[str] = mapped_column(Text, default="")
    username: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    #: Why the contact became inactive (blocked the bot, chat deleted…).
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    agency: Mapped[Agency | None] = relationship()

    def __repr__(self) -> str:
        return f"Contact(id={self.id!r}, chat_id={self.chat_id!r}, role={self.role!r})"


class Invite(Base):
    """A single-use, expiring invite; only the SHA-256 of its token is stored."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="role", values_callable=enum_values, native_enum=False)
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    used_by: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"Invite(id={self.id!r}, agency_id={self.agency_id!r}, role={self.role!r})"
