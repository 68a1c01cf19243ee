"""Plans, their sections and items, and the date windows parsed from deadlines."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_values
from scheduler.rules.domain import PlanKind


class Plan(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[PlanKind] = mapped_column(
        Enum(PlanKind, name="plan_kind", values_callable=enum_values, native_enum=False)
    )
    period_start: Mapped[date]
    period_end: Mapped[date]
    #: The reference date deadlines are parsed against (period start or signing date).
    reference_date: Mapped[date]
    signed_on: Mapped[date | None]
    #: The name messages use («План мероприятий на 2026–2028 годы (Смоленская обл.)»).
    short_name: Mapped[str | None] = mapped_column(String(255))
    #: Where the period came from: option | title | approval | deadlines | import_date.
    period_source: Mapped[str | None] = mapped_column(String(16))
    #: The approval stamp above the title, and its act, number and date.
    approval_text: Mapped[str | None] = mapped_column(Text)
    approval_act: Mapped[str | None] = mapped_column(Text)
    approval_number: Mapped[str | None] = mapped_column(String(64))
    approval_date: Mapped[date | None]
    source_name: Mapped[str] = mapped_column(String(255), unique=True)
    checksum: Mapped[str] = mapped_column(String(64))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Moscow")
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    sections: Mapped[list[Section]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Section.position"
    )
    items: Mapped[list[Item]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Item.position"
    )

    def __repr__(self) -> str:
        return f"Plan(id={self.id!r}, source_name={self.source_name!r})"


class Section(Base):
    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[str | None] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)

    plan: Mapped[Plan] = relationship(back_populates="sections")
    items: Mapped[list[Item]] = relationship(back_populates="section", order_by="Item.position")

    def __repr__(self) -> str:
        return f"Section(id={self.id!r}, number={self.number!r}, title={self.title[:30]!r})"


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("sections.id", ondelete="SET NULL"), index=True
    )
    #: As printed: «1.1», «3», «47».
    number: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    goal: Mapped[str | None] = mapped_column(Text)
    participants: Mapped[str | None] = mapped_column(Text)
    #: The deadline exactly as printed.
    deadline_text: Mapped[str] = mapped_column(Text, default="")
    recurrence: Mapped[str | None] = mapped_column(String(16))
    tentative: Mapped[bool] = mapped_column(default=False)
    undated: Mapped[bool] = mapped_column(default=False)
    #: Hard deadlines stated inside the phrase, ISO dates.
    due: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: What the deadline engine did not understand.
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: Set when a revised plan no longer lists the item; the row and its history stay.
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Taken off control by a coordinator («снято с контроля»): no reminders to anyone.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    plan: Mapped[Plan] = relationship(back_populates="items")
    section: Mapped[Section | None] = relationship(back_populates="items")
    windows: Mapped[list[Window]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Window.start"
    )

    def __repr__(self) -> str:
        return f"Item(id={self.id!r}, number={self.number!r})"


class Window(Base):
    """One inclusive date window of an item.

    `agency_id` is None for the windows parsed from the printed deadline; a row with an
    agency is that agency's own window (a «Перенос» it confirmed), which replaces the
    printed ones for that agency while the printed deadline stays as it was.
    """

    __tablename__ = "windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(
        ForeignKey("agencies.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date]
    end: Mapped[date]
    #: `plan` (parsed from the document) or `reply` (a date an agency named).
    source: Mapped[str] = mapped_column(String(16), default="plan")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    item: Mapped[Item] = relationship(back_populates="windows")

    def __repr__(self) -> str:
        return (
            f"Window(item_id={self.item_id!r}, {self.start}..{self.end}, agency={self.agency_id})"
        )


class ItemChange(Base):
    """An item's history besides status reports: imports, revisions, new dates."""

    __tablename__ = "item_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    #: created | updated | withdrawn | restored | window_changed | reassigned
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    def __repr__(self) -> str:
        return f"ItemChange(item_id={self.item_id!r}, kind={self.kind!r})"
