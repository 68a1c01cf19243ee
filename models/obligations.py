"""What planning reads: every item × responsible agency, its windows and latest status."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from models.base import Status
from models.outbox import StatusReport
from models.people import Agency, Responsibility
from models.plan import Item, Window
from scheduler.specs import Obligation
from scheduler.workdays import COUNTRY_TIMEZONES


def load_obligations(
    session: Session, *, item_ids: Collection[int] | None = None
) -> dict[tuple[int, int], Obligation]:
    """Every (item, responsible agency) with its binding windows and latest status."""
    items = {
        row.id: row
        for row in session.execute(
            only_items(
                select(Item.id, Item.tentative, Item.undated, Item.withdrawn_at), Item.id, item_ids
            )
        )
    }
    windows: dict[tuple[int, int | None], list[tuple[date, date]]] = {}
    for item_id, agency_id, start, end in session.execute(
        only_items(
            select(Window.item_id, Window.agency_id, Window.start, Window.end),
            Window.item_id,
            item_ids,
        ).order_by(Window.start, Window.end)
    ):
        windows.setdefault((item_id, agency_id), []).append((start, end))
    statuses = _latest_statuses(session, item_ids=item_ids)
    obligations = {}
    for item_id, agency_id, side, zone in session.execute(
        only_items(
            select(Responsibility.item_id, Responsibility.agency_id, Agency.side, Agency.timezone),
            Responsibility.item_id,
            item_ids,
        ).join(Agency, Agency.id == Responsibility.agency_id)
    ):
        item = items[item_id]
        zone = zone or COUNTRY_TIMEZONES[side.value]
        own = windows.get((item_id, agency_id))
        status, reported_at = statuses.get((item_id, agency_id), (None, None))
        obligations[item_id, agency_id] = Obligation(
            item_id=item_id,
            agency_id=agency_id,
            country=side.value,
            timezone=zone,
            windows=tuple(own or windows.get((item_id, None), ())),
            own_windows=bool(own),
            tentative=item.tentative,
            undated=item.undated,
            withdrawn=item.withdrawn_at is not None,
            status=status,
            status_on=reported_at.astimezone(ZoneInfo(zone)).date() if reported_at else None,
        )
    return obligations


def only_items(query: Select[Any], column: Any, item_ids: Collection[int] | None) -> Select[Any]:
    """`query` limited to the given items (all when None)."""
    return query if item_ids is None else query.where(column.in_(list(item_ids)))


def _latest_statuses(
    session: Session, *, item_ids: Collection[int] | None
) -> dict[tuple[int, int], tuple[Status, datetime]]:
    """The latest status per (item, agency) and when it was reported."""
    latest = only_items(
        select(func.max(StatusReport.id)).where(StatusReport.status.is_not(None)),
        StatusReport.item_id,
        item_ids,
    ).group_by(StatusReport.item_id, StatusReport.agency_id)
    rows = session.execute(
        select(
            StatusReport.item_id,
            StatusReport.agency_id,
            StatusReport.status,
            StatusReport.created_at,
        ).where(StatusReport.id.in_(latest))
    )
    return {(i, a): (status, at) for i, a, status, at in rows}
