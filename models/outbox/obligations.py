"""What planning reads: every item × responsible agency, its windows and latest status."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from functools import cache
from typing import Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from models.db import core
from models.schema.people import Agency, Responsibility
from models.schema.plans import Item, Window
from models.schema.statuses import StatusReport
from models.statuses.by_window import Said, fold_reports
from scheduler.rules.domain import DateWindow, Status
from scheduler.rules.specs import Obligation
from scheduler.rules.workdays import COUNTRY_TIMEZONES

#: The `source` of a report a coordinator made (see `models.outbox.StatusReport`).
COORDINATOR_SOURCE = "coordinator"
#: Which items a planning read covers: all, the one in `item_id`, those in `item_ids`.
Scope = Literal["all", "one", "some"]


class _Queries(NamedTuple):
    items: Select[Any]
    windows: Select[Any]
    statuses: Select[Any]
    reported: Select[Any]
    responsibilities: Select[Any]
    window_reports: Select[Any]


@cache
def _queries(scope: Scope) -> _Queries:
    """Planning's reads, built once: a re-plan after each press runs them for one item, and
    building a statement anew costs SQLAlchemy more than SQLite spends running it."""
    latest = only_items(
        select(func.max(StatusReport.id)).where(StatusReport.status.is_not(None)),
        StatusReport.item_id,
        scope,
    ).group_by(StatusReport.item_id, StatusReport.agency_id)
    return _Queries(
        items=only_items(
            select(Item.id, Item.tentative, Item.undated, Item.withdrawn_at, Item.closed_at),
            Item.id,
            scope,
        ),
        windows=only_items(
            select(Window.item_id, Window.agency_id, Window.start, Window.end),
            Window.item_id,
            scope,
        ).order_by(Window.start, Window.end),
        statuses=select(
            StatusReport.item_id,
            StatusReport.agency_id,
            StatusReport.status,
            StatusReport.created_at,
        ).where(StatusReport.id.in_(latest)),
        # The agency's own reports (a coordinator's action is not the agency speaking).
        reported=only_items(
            select(
                StatusReport.item_id, StatusReport.agency_id, func.max(StatusReport.created_at)
            ).where(StatusReport.source != COORDINATOR_SOURCE),
            StatusReport.item_id,
            scope,
        ).group_by(StatusReport.item_id, StatusReport.agency_id),
        responsibilities=only_items(
            select(Responsibility.item_id, Responsibility.agency_id, Agency.side, Agency.timezone),
            Responsibility.item_id,
            scope,
        ).join(Agency, Agency.id == Responsibility.agency_id),
        # Every status of an item with several windows: a status belongs to its window.
        window_reports=only_items(
            select(
                StatusReport.item_id,
                StatusReport.agency_id,
                StatusReport.created_at,
                StatusReport.status,
                StatusReport.window_start,
                StatusReport.window_end,
            ).where(
                StatusReport.status.is_not(None),
                StatusReport.item_id.in_(
                    only_items(select(Window.item_id), Window.item_id, scope)
                    .group_by(Window.item_id, Window.agency_id)
                    .having(func.count() > 1)
                ),
            ),
            StatusReport.item_id,
            scope,
        ).order_by(StatusReport.id),
    )


def scope_of(item_ids: Collection[int] | None) -> Scope:
    """The scope of a read limited to `item_ids` (None: every item)."""
    if item_ids is None:
        return "all"
    return "one" if len(item_ids) == 1 else "some"


def item_params(item_ids: Collection[int] | None) -> dict[str, Any]:
    """The parameters of a query built by `only_items` for `scope_of(item_ids)`."""
    if item_ids is None:
        return {}
    if len(item_ids) == 1:
        return {"item_id": next(iter(item_ids))}
    return {"item_ids": list(item_ids)}


def load_obligations(
    session: Session, *, item_ids: Collection[int] | None = None
) -> dict[tuple[int, int], Obligation]:
    """Every (item, responsible agency) with its binding windows and latest status."""
    queries, params = _queries(scope_of(item_ids)), item_params(item_ids)
    connection = core(session)
    items = {row.id: row for row in connection.execute(queries.items, params)}
    windows: dict[tuple[int, int | None], list[tuple[date, date]]] = {}
    for item_id, agency_id, start, end in connection.execute(queries.windows, params):
        windows.setdefault((item_id, agency_id), []).append((start, end))
    statuses = {
        (i, a): (status, at) for i, a, status, at in connection.execute(queries.statuses, params)
    }
    reported = {(i, a): at for i, a, at in connection.execute(queries.reported, params)}
    said: dict[tuple[int, int], list[Said]] = {}
    for item_id, agency_id, at, status, start, end in connection.execute(
        queries.window_reports, params
    ):
        stored = (start, end) if start is not None and end is not None else None
        said.setdefault((item_id, agency_id), []).append((at.date(), status, stored))
    obligations = {}
    for item_id, agency_id, side, zone in connection.execute(queries.responsibilities, params):
        item = items[item_id]
        zone = zone or COUNTRY_TIMEZONES[side.value]
        own = windows.get((item_id, agency_id))
        binding = tuple(own or windows.get((item_id, None)) or ())
        status, reported_at = statuses.get((item_id, agency_id), (None, None))
        obligations[item_id, agency_id] = Obligation(
            item_id=item_id,
            agency_id=agency_id,
            country=side.value,
            timezone=zone,
            windows=binding,
            own_windows=bool(own),
            tentative=item.tentative,
            undated=item.undated,
            withdrawn=item.withdrawn_at is not None,
            closed=item.closed_at is not None,
            status=status,
            status_on=_local_day(reported_at, zone),
            reported_on=_local_day(reported.get((item_id, agency_id)), zone),
            window_statuses=_window_statuses(binding, said.get((item_id, agency_id))),
        )
    return obligations


def _window_statuses(
    binding: tuple[DateWindow, ...], said: list[Said] | None
) -> tuple[tuple[DateWindow, Status], ...]:
    """A recurring item's status per window (empty with one window or no status)."""
    if not said or len(binding) < 2:
        return ()
    return tuple(fold_reports(binding, said))


def _local_day(moment: datetime | None, zone: str) -> date | None:
    return moment.astimezone(ZoneInfo(zone)).date() if moment is not None else None


def only_items(query: Select[Any], column: Any, scope: Scope) -> Select[Any]:
    """`query` limited to the items of `scope` (parameters: `item_params`).

    One item has a statement of its own: an expanding `IN` is rewritten at every execution.
    """
    if scope == "one":
        return query.where(column == bindparam("item_id"))
    if scope == "some":
        return query.where(column.in_(bindparam("item_ids", expanding=True)))
    return query
