"""Builders for planning tests: plans, items with windows, agencies, responsibilities (ORM)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    Agency,
    Item,
    Plan,
    PlanKind,
    Reminder,
    ReminderState,
    Side,
)
from tests.support import builders

T0 = datetime(2025, 12, 1, 6, tzinfo=UTC)


def add_plan(session: Session, source: str = "plan.txt") -> Plan:
    """An events plan for the first half of 2026."""
    end = date(2026, 6, 30)
    return builders.add_plan(session, at=T0, source_name=source, kind=PlanKind.EVENTS, end=end)


def add_agency(session: Session, name: str, side: Side) -> Agency:
    return builders.add_agency(session, name, side, at=T0)


def add_item(
    session: Session,
    plan: Plan,
    number: str,
    windows: Sequence[tuple[date, date]],
    agencies: Sequence[Agency],
    *,
    tentative: bool = False,
    undated: bool = False,
) -> Item:
    """An item with its printed windows and its responsible agencies."""
    return builders.add_item(
        session,
        plan,
        number,
        at=T0,
        windows=windows,
        agencies=agencies,
        tentative=tentative,
        undated=undated,
    )


def reminders(session: Session) -> dict[str, Reminder]:
    """Every reminder row by dedup key."""
    return {r.dedup_key: r for r in session.scalars(select(Reminder))}


def states(session: Session) -> dict[str, tuple[str, str | None]]:
    """dedup key -> (state, cancel reason)."""
    return {k: (r.state.value, r.cancel_reason) for k, r in reminders(session).items()}


def mark_sent(session: Session, key: str, at: datetime) -> None:
    """What the dispatcher does once a reminder went out."""
    row = reminders(session)[key]
    row.state = ReminderState.SENT
    row.sent_at = at
    row.attempts = 1
    session.flush()
