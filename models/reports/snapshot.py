"""One bulk read of plans, items, responsibilities, windows and statuses for the reports.

A handful of queries, never one per item: summaries, the digest and the exports all
work from this picture of the database.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, String, select, type_coerce
from sqlalchemy.orm import Session

from models.schema.people import Agency, Responsibility
from models.schema.plans import Item, Plan, Section, Window
from models.schema.statuses import StatusReport
from models.statuses.by_window import status_now, statuses_by_window
from models.statuses.reports import CLOSED, overall_status
from scheduler.rules.domain import DateWindow, Side, Status


@dataclass(frozen=True)
class PlanRow:
    id: int
    title: str
    timezone: str

    def today(self, now: datetime) -> date:
        """The plan's calendar day at `now` (deadlines are dates in the plan's zone)."""
        return now.astimezone(ZoneInfo(self.timezone)).date()


@dataclass(frozen=True)
class SectionRow:
    id: int
    number: str | None
    title: str


@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    side: Side


class ItemRow(NamedTuple):
    """A current item (a named tuple: there may be tens of thousands)."""

    id: int
    plan_id: int
    section_id: int | None
    number: str
    title: str
    deadline_text: str
    tentative: bool
    undated: bool


@dataclass
class Snapshot:
    """Everything the reports need, keyed by id; items in plan order."""

    plans: dict[int, PlanRow] = field(default_factory=dict)
    sections: dict[int, SectionRow] = field(default_factory=dict)
    agencies: dict[int, AgencyRow] = field(default_factory=dict)
    items: list[ItemRow] = field(default_factory=list)
    #: item_id -> [(agency_id, side)] in a stable order (side, then name).
    responsible: dict[int, list[tuple[int, Side]]] = field(default_factory=dict)
    #: item_id -> {None: printed windows, agency_id: that agency's own windows}.
    windows: dict[int, dict[int | None, list[DateWindow]]] = field(default_factory=dict)
    #: The latest status of each responsible pair that reported one.
    statuses: dict[tuple[int, int], Status] = field(default_factory=dict)
    #: Items a coordinator took off control («снято с контроля»): nothing is owed on them.
    closed: set[int] = field(default_factory=set)
    _item_statuses: dict[int, Status] = field(default_factory=dict, repr=False)

    def status(self, item_id: int, agency_id: int) -> Status:
        """The pair's current status; `planned` when it never reported one."""
        return self.statuses.get((item_id, agency_id), Status.PLANNED)

    def item_status(self, item_id: int) -> Status:
        """The item's overall status from its agencies' statuses (computed once)."""
        found = self._item_statuses.get(item_id)
        if found is None:
            pairs = self.responsible.get(item_id, ())
            found = _overall(tuple(self.status(item_id, a) for a, _ in pairs))
            self._item_statuses[item_id] = found
        return found

    def printed_windows(self, item_id: int) -> list[DateWindow]:
        return list(self.windows.get(item_id, {}).get(None, []))

    def pair_windows(self, item_id: int, agency_id: int) -> list[DateWindow]:
        """The windows binding the agency: its own dates when it named some, else the printed."""
        own = self.windows.get(item_id, {})
        return list(own.get(agency_id) or own.get(None) or [])

    def is_open(self, item_id: int, agency_id: int) -> bool:
        """Something is still owed: the pair is neither done nor cancelled, and the item is
        not off control."""
        return item_id not in self.closed and self.status(item_id, agency_id) not in CLOSED

    def overdue_end(self, item: ItemRow, agency_id: int, today: date) -> date | None:
        """The end of the latest window that closed before `today`, if the pair is still open."""
        if not self.is_open(item.id, agency_id):
            return None
        own = self.windows.get(item.id)
        if not own:
            return None
        ended = [end for _, end in own.get(agency_id) or own.get(None) or () if end < today]
        return max(ended) if ended else None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while tens of thousands of rows are built.

    The rows are acyclic tuples, yet allocating them triggers collections that walk every
    live object again and again: pausing halves a 10,000-item summary.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_snapshot(
    session: Session, *, plan_id: int | None = None, now: datetime | None = None
) -> Snapshot:
    """Read the current (not withdrawn) items of one plan, or of all plans, in bulk.

    With `now`, a recurring item's pair has the status of its current or latest past
    window (see `models.statuses.by_window`): «Выполнено» for 2026 leaves 2027 open.

    Rows are read through the Core connection, with enum columns as plain strings:
    for 10,000 items the ORM's per-row work would cost more than the queries.
    """
    snap = Snapshot()
    connection = session.connection()
    plans = select(Plan.id, Plan.title, Plan.timezone).order_by(Plan.id)
    if plan_id is not None:
        plans = plans.where(Plan.id == plan_id)
    snap.plans = {row[0]: PlanRow(*row) for row in connection.execute(plans).all()}
    if not snap.plans:
        return snap
    sections = select(Section.id, Section.number, Section.title)
    sections = sections.where(Section.plan_id.in_(list(snap.plans)))
    snap.sections = {row[0]: SectionRow(*row) for row in connection.execute(sections).all()}
    live: ColumnElement[bool] = Item.withdrawn_at.is_(None)
    if plan_id is not None:
        live = live & (Item.plan_id == plan_id)
    columns = (
        *(Item.id, Item.plan_id, Item.section_id, Item.number, Item.title),
        *(Item.deadline_text, Item.tentative, Item.undated),
    )
    query = select(*columns).where(live).order_by(Item.plan_id, Item.position)
    snap.items = [ItemRow._make(row) for row in connection.execute(query).all()]
    closed = select(Item.id).where(live, Item.closed_at.is_not(None))
    snap.closed = set(connection.execute(closed).scalars())
    live_ids = select(Item.id).where(live).scalar_subquery()
    agencies = select(Agency.id, Agency.name, _text(Agency.side))
    snap.agencies = {
        r[0]: AgencyRow(r[0], r[1], _SIDES[r[2]]) for r in connection.execute(agencies)
    }
    _responsible(connection, live_ids, snap)
    snap.windows = _windows(connection, live_ids)
    if now is not None:
        _by_window(session, snap, now)
    return snap


def _by_window(session: Session, snap: Snapshot, now: datetime) -> None:
    """Recurring items' pairs: the status of the window current at `now` in the plan's zone."""
    recurring = [
        item.id
        for item in snap.items
        if any(len(windows) > 1 for windows in snap.windows.get(item.id, {}).values())
    ]
    if not recurring:
        return
    plan_of = {item.id: item.plan_id for item in snap.items}
    for pair, per_window in statuses_by_window(session, item_ids=recurring).items():
        if pair in snap.statuses:
            today = snap.plans[plan_of[pair[0]]].today(now)
            snap.statuses[pair] = status_now(per_window, today, snap.statuses[pair])
    snap._item_statuses.clear()


@lru_cache(maxsize=256)
def _overall(statuses: tuple[Status, ...]) -> Status:
    """overall_status, remembered: items share a handful of status combinations."""
    return overall_status(statuses)


_SIDES = {side.value: side for side in Side}
_STATUSES = {status.value: status for status in Status}


def _text(column: Any) -> Any:
    """An enum column read as its stored string (no per-row conversion)."""
    return type_coerce(column, String)


def _responsible(connection: Connection, live_ids: Any, snap: Snapshot) -> None:
    """Who answers for each live item, and each pair's latest status.

    Both backends avoid grouping every report there is. SQLite reads the status in the
    same query, a correlated subquery walking the (item_id, agency_id, id) index once per
    pair; PostgreSQL does better with one DISTINCT ON pass over the reports.
    """
    postgres = connection.dialect.name == "postgresql"
    columns = [Responsibility.item_id, Responsibility.agency_id, _text(Responsibility.side)]
    if not postgres:
        columns.append(_latest_status_of_pair())
    rows = connection.execute(
        select(*columns)
        .join(Agency, Agency.id == Responsibility.agency_id)
        .where(Responsibility.item_id.in_(live_ids))
        # Russian side first, as the plans print them, then by name.
        .order_by(Responsibility.item_id, _text(Responsibility.side).desc(), Agency.name)
    ).all()
    responsible: dict[int, list[tuple[int, Side]]] = defaultdict(list)
    for item_id, agency_id, side, *status in rows:
        responsible[item_id].append((agency_id, _SIDES[side]))
        if status and status[0] is not None:
            snap.statuses[item_id, agency_id] = _STATUSES[status[0]]
    snap.responsible = dict(responsible)
    if postgres:
        snap.statuses = _latest_statuses(connection, live_ids, snap.responsible)


def _latest_status_of_pair() -> Any:
    """The status of the latest report with one, for the Responsibility row at hand."""
    return (
        select(_text(StatusReport.status))
        .where(
            StatusReport.item_id == Responsibility.item_id,
            StatusReport.agency_id == Responsibility.agency_id,
            StatusReport.status.is_not(None),
        )
        .order_by(StatusReport.id.desc())
        .limit(1)
        .correlate(Responsibility)
        .scalar_subquery()
    )


def _latest_statuses(
    connection: Connection, live_ids: Any, responsible: dict[int, list[tuple[int, Side]]]
) -> dict[tuple[int, int], Status]:
    """PostgreSQL: the latest status of every pair of a live item, in one DISTINCT ON pass."""
    rows = connection.execute(
        select(StatusReport.item_id, StatusReport.agency_id, _text(StatusReport.status))
        .distinct(StatusReport.item_id, StatusReport.agency_id)
        .where(StatusReport.status.is_not(None), StatusReport.item_id.in_(live_ids))
        # All descending: a backward scan of the (item_id, agency_id, id) index gives this
        # order, where a mixed one made PostgreSQL sort 100,000 reports (on disk, too).
        .order_by(
            StatusReport.item_id.desc(), StatusReport.agency_id.desc(), StatusReport.id.desc()
        )
    ).all()
    pairs = {(item_id, a) for item_id, agencies in responsible.items() for a, _ in agencies}
    return {(i, a): _STATUSES[s] for i, a, s in rows if (i, a) in pairs}


def _windows(
    connection: Connection, live_ids: Any
) -> dict[int, dict[int | None, list[DateWindow]]]:
    rows = connection.execute(
        select(Window.item_id, Window.agency_id, Window.start, Window.end)
        .where(Window.item_id.in_(live_ids))
        .order_by(Window.start, Window.end)
    ).all()
    windows: dict[int, dict[int | None, list[DateWindow]]] = {}
    for item_id, agency_id, start, end in rows:
        windows.setdefault(item_id, {}).setdefault(agency_id, []).append((start, end))
    return windows
