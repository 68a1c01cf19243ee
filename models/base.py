"""Declarative base, shared column types and enumerations of the schema."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class PlanKind(enum.StrEnum):
    ROADMAP = "roadmap"
    EVENTS = "events"


class Side(enum.StrEnum):
    """The country an agency answers for."""

    RU = "RU"
    BY = "BY"


class Status(enum.StrEnum):
    """An item's status for one agency; `planned` means no report yet."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class Role(enum.StrEnum):
    CONTACT = "contact"
    COORDINATOR = "coordinator"


class ReminderKind(enum.StrEnum):
    HEADS_UP = "heads_up"  # 14 days before a window starts
    BEFORE_END = "before_end"  # 3 days before a window ends
    STATUS_REQUEST = "status_request"  # the working day after the end
    REPEAT = "repeat"  # 3 working days after the status request, no `done` yet
    ESCALATION = "escalation"  # to coordinators after the repeat
    PROGRESS = "progress"  # monthly inside windows longer than a quarter
    ASK_DATE = "ask_date"  # monthly for undated and tentative items
    DIGEST = "digest"  # weekly, to coordinators
    MANUAL = "manual"  # /remind <item>


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


def enum_values(cls: type[enum.Enum]) -> list[str]:
    """Store enums by value (`in_progress`), not by member name."""
    return [str(m.value) for m in cls]
