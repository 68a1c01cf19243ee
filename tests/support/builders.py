"""Rows as an import or the planning pass leaves them (flushed, ids set): the one place
tests and benches build a plan, a section, an agency, an item, a contact or a reminder.
Each seed module (botkit, reports_seed, dispatch_seed, planning_seed) passes its own data
and moment (`at`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Agency,
    AgencyAlias,
    Contact,
    Item,
    Plan,
    PlanKind,
    Reminder,
    ReminderKind,
    ReminderState,
    Responsibility,
    Role,
    Section,
    Side,
    Window,
)

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


def add_contact(
    session: Session,
    user_id: int,
    *,
    at: datetime,
    role: Role = Role.CONTACT,
    agency_id: int | None = None,
    name: str | None = None,
    chat_id: int | None = None,
) -> Contact:
    """A bound person in a private chat (`chat_id` = `user_id` unless given); a contact
    answers for `agency_id`, a coordinator for none."""
    contact = Contact(
        user_id=user_id,
        chat_id=user_id if chat_id is None else chat_id,
        agency_id=agency_id,
        role=role,
        name=name if name is not None else f"Контакт {user_id}",
        created_at=at,
    )
    session.add(contact)
    session.flush()
    return contact


#: The second quarter of 2026, the window most test reminders are about.
Q2_2026 = (date(2026, 4, 1), date(2026, 6, 30))


def add_reminder(
    session: Session,
    *,
    kind: ReminderKind,
    due_at: datetime,
    now: datetime,
    item_id: int | None = None,
    agency_id: int | None = None,
    window: tuple[date, date] | None = Q2_2026,
    slot: str = "",
    state: ReminderState = ReminderState.PENDING,
    sent_at: datetime | None = None,
    dedup_key: str | None = None,
) -> int:
    """One reminder row (pending unless `state` says otherwise); returns its id."""
    reminder = Reminder(
        dedup_key=dedup_key or f"{kind.value}:{item_id}:{agency_id}:{window}:{slot}",
        item_id=item_id,
        agency_id=agency_id,
        kind=kind,
        window_start=window[0] if window else None,
        window_end=window[1] if window else None,
        slot=slot,
        due_at=due_at,
        sent_at=sent_at,
        state=state,
        created_at=now,
        updated_at=now,
    )
    session.add(reminder)
    session.flush()
    return reminder.id
