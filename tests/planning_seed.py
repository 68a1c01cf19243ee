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
    Responsibility,
    Side,
    Window,
)

T0 = datetime(2025, 12, 1, 6, tzinfo=UTC)


def add_plan(session: Session, source: str = "plan.txt") -> Plan:
    plan = Plan(
        title="План",
        kind=PlanKind.EVENTS,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        reference_date=date(2026, 1, 1),
        source_name=source,
        checksum="0" * 64,
        timezone="Europe/Moscow",
        imported_at=T0,
        updated_at=T0,
    )
    session.add(plan)
    session.flush()
    return plan


def add_agency(session: Session, name: str, side: Side) -> Agency:
    agency = Agency(
        name=name,
        side=side,
        timezone="Europe/Moscow" if side == Side.RU else "Europe/Minsk",
        created_at=T0,
    )
    session.add(agency)
    session.flush()
    return agency


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
    item = Item(
        plan_id=plan.id,
        number=number,
        position=len(plan.items) + 1,
        title=f"Мероприятие {number}",
        deadline_text="",
        tentative=tentative,
        undated=undated,
        due=[],
        warnings=[],
        created_at=T0,
        updated_at=T0,
    )
    session.add(item)
    session.flush()
    session.add_all(
        Window(item_id=item.id, agency_id=None, start=s, end=e, created_at=T0) for s, e in windows
    )
    session.add_all(
        Responsibility(item_id=item.id, agency_id=a.id, side=a.side, created_at=T0)
        for a in agencies
    )
    session.flush()
    return item


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
