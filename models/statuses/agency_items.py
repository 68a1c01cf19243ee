"""An agency's items with their status and next date (for /my and /upcoming)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.chats.contacts import contact_bindings
from models.schema.people import Agency, Contact, Responsibility
from models.schema.plans import Item, Plan
from models.statuses.by_window import status_now, statuses_by_window, window_of
from models.statuses.reports import CLOSED, current_statuses
from models.statuses.windows import windows_by_item
from scheduler.rules.domain import DateWindow, Status


@dataclass(frozen=True)
class AgencyItem:
    item_id: int
    plan: str
    number: str
    title: str
    deadline: str
    windows: tuple[DateWindow, ...]
    status: Status
    #: The nearest window start or end on or after today; None when all are past.
    next_date: date | None
    #: The agency the item is listed for (a person may answer for several).
    agency_id: int | None = None
    #: The window `status` is about, and a press on the item's card records: the current
    #: or latest past one (None without windows).
    window: DateWindow | None = None
    #: The plan's short name (its title for a plan read before it had one), and the
    #: agency's name: what tells apart two items listed with one number.
    plan_short: str = ""
    agency: str = ""


def answers_for(session: Session, *, item_id: int, agency_id: int) -> bool:
    """True while the agency is responsible for the item and the item is not withdrawn."""
    found = session.scalar(
        select(Responsibility.id)
        .join(Item, Item.id == Responsibility.item_id)
        .where(
            Responsibility.item_id == item_id,
            Responsibility.agency_id == agency_id,
            Item.withdrawn_at.is_(None),
        )
    )
    return found is not None


def _next_date(windows: tuple[DateWindow, ...], today: date) -> date | None:
    ahead = [d for window in windows for d in window if d >= today]
    return min(ahead, default=None)


def agency_items(
    session: Session, *, agency_id: int, today: date, item_ids: Collection[int] | None = None
) -> list[AgencyItem]:
    """Every current item the agency answers for, in plan order (with `item_ids`, only
    those of them: a press on one card reads one item, not the agency's whole list)."""
    query = (
        select(Item, Plan.title, func.coalesce(Plan.short_name, Plan.title), Agency.name)
        .join(Plan, Plan.id == Item.plan_id)
        .join(Responsibility, Responsibility.item_id == Item.id)
        .join(Agency, Agency.id == Responsibility.agency_id)
        .where(Responsibility.agency_id == agency_id, Item.withdrawn_at.is_(None))
        .order_by(Plan.id, Item.position)
    )
    if item_ids is not None:
        query = query.where(Item.id.in_(list(item_ids)))
    rows = session.execute(query).all()
    ids = [item.id for item, *_ in rows]
    windows = windows_by_item(session, item_ids=ids)
    statuses = current_statuses(session, item_ids=ids)
    per_window = statuses_by_window(session, item_ids=ids)
    result = []
    for item, plan_title, plan_short, agency_name in rows:
        own = windows.get(item.id, {})
        binding = tuple(own.get(agency_id) or own.get(None) or ())
        result.append(
            AgencyItem(
                item_id=item.id,
                plan=plan_title,
                number=item.number,
                title=item.title,
                deadline=item.deadline_text,
                windows=binding,
                # A recurring item's: the current or latest past window's.
                status=status_now(
                    per_window.get((item.id, agency_id)),
                    today,
                    statuses.get((item.id, agency_id), Status.PLANNED),
                ),
                next_date=_next_date(binding, today),
                agency_id=agency_id,
                window=window_of(today, binding),
                plan_short=plan_short,
                agency=agency_name,
            )
        )
    return result


def items_of_agencies(
    session: Session, *, agency_ids: Sequence[int], today: date
) -> list[AgencyItem]:
    """The items of each agency in turn (a person answering for several: all of them)."""
    return [
        entry
        for agency_id in dict.fromkeys(agency_ids)
        for entry in agency_items(session, agency_id=agency_id, today=today)
    ]


def binding_for_item(session: Session, *, chat_id: int, item_id: int) -> Contact | None:
    """The chat's active contact binding to an agency answering for the item (the oldest
    such binding when several agencies do); None when none of its agencies does."""
    for contact in contact_bindings(session, chat_id=chat_id):
        if contact.agency_id is not None and answers_for(
            session, item_id=item_id, agency_id=contact.agency_id
        ):
            return contact
    return None


def upcoming_items(session: Session, *, agency_id: int, today: date, days: int) -> list[AgencyItem]:
    """Open items whose next date falls within `days` days, soonest first."""
    horizon = today + timedelta(days=days)
    found = [
        entry
        for entry in agency_items(session, agency_id=agency_id, today=today)
        if entry.status not in CLOSED and entry.next_date is not None and entry.next_date <= horizon
    ]
    return sorted(found, key=lambda entry: (entry.next_date, entry.number))


def item_heading(session: Session, *, item_id: int) -> tuple[str, str]:
    """An item's number and title, as printed."""
    item = session.get(Item, item_id)
    if item is None:
        raise LookupError(f"item {item_id} does not exist")
    return item.number, item.title


def item_period(session: Session, *, item_id: int) -> tuple[date, date]:
    """The period of the plan an item belongs to (a new deadline is judged against it)."""
    row = session.execute(
        select(Plan.period_start, Plan.period_end)
        .join(Item, Item.plan_id == Plan.id)
        .where(Item.id == item_id)
    ).one()
    return row.period_start, row.period_end
