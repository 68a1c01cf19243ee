"""Rows as an import leaves them (flushed, ids set): the one place tests and benches build a
plan, an agency or an item; each seed module passes its own data and moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Agency, AgencyAlias, Item, Plan, PlanKind, Responsibility, Section, Side, Window

#: Agencies keep their country's time, as the import gives them.
TIMEZONES = {Side.RU: "Europe/Moscow", Side.BY: "Europe/Minsk"}


def add_plan(
    session: Session,
    *,
    at: datetime,
    source_name: str = "plan.txt",
    title: str = "План",
    kind: PlanKind = PlanKind.ROADMAP,
    end: date = date(2026, 12, 31),
) -> Plan:
    """A plan from 1 January 2026 to `end`, in Moscow time."""
    plan = Plan(
        title=title,
        kind=kind,
        period_start=date(2026, 1, 1),
        period_end=end,
        reference_date=date(2026, 1, 1),
        source_name=source_name,
        checksum="0" * 64,
        timezone="Europe/Moscow",
        imported_at=at,
        updated_at=at,
    )
    session.add(plan)
    session.flush()
    return plan


def add_section(session: Session, plan: Plan, title: str, number: str = "1") -> Section:
    section = Section(plan_id=plan.id, number=number, title=title, position=int(number))
    session.add(section)
    session.flush()
    return section


def add_agency(
    session: Session, name: str, side: Side, *, at: datetime, alias: str | None = None
) -> Agency:
    """An agency in its country's time zone, with an alias if given."""
    agency = Agency(name=name, side=side, timezone=TIMEZONES[side], created_at=at)
    if alias:
        agency.aliases.append(AgencyAlias(alias=alias))
    session.add(agency)
    session.flush()
    return agency


def add_item(
    session: Session,
    plan: Plan,
    number: str,
    *,
    at: datetime,
    windows: Sequence[tuple[date, date]] = (),
    agencies: Sequence[Agency] = (),
    title: str | None = None,
    section: Section | None = None,
    deadline: str = "",
    tentative: bool = False,
    undated: bool | None = None,
) -> Item:
    """An item after the plan's others, with its printed windows and responsible agencies
    (undated unless it has windows, by default)."""
    last = session.scalar(select(func.max(Item.position)).where(Item.plan_id == plan.id))
    item = Item(
        plan_id=plan.id,
        section_id=section.id if section else None,
        number=number,
        position=(last or 0) + 1,
        title=title if title is not None else f"Мероприятие {number}",
        deadline_text=deadline,
        tentative=tentative,
        undated=not windows if undated is None else undated,
        created_at=at,
        updated_at=at,
    )
    session.add(item)
    session.flush()
    session.add_all(Window(item_id=item.id, start=s, end=e, created_at=at) for s, e in windows)
    session.add_all(
        Responsibility(item_id=item.id, agency_id=a.id, side=a.side, created_at=at)
        for a in agencies
    )
    session.flush()
    return item
