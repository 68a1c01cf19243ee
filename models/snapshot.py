"""One bulk read of plans, items, responsibilities, windows and statuses for the reports.

A handful of queries, never one per item: summaries, the digest and the exports all
work from this picture of the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import Side, Status
from models.people import Agency, Responsibility
from models.plan import Item, Plan, Section, Window
from models.statuses import CLOSED, current_statuses, overall_status

DateWindow = tuple[date, date]


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


@dataclass(frozen=True)
class ItemRow:
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
    statuses: dict[tuple[int, int], Status] = field(default_factory=dict)

    def status(self, item_id: int, agency_id: int) -> Status:
        """The pair's current status; `planned` when it never reported one."""
        return self.statuses.get((item_id, agency_id), Status.PLANNED)

    def item_status(self, item_id: int) -> Status:
        """The item's overall status from its agencies' statuses."""
        return overall_status(self.status(item_id, a) for a, _ in self.responsible.get(item_id, []))

    def printed_windows(self, item_id: int) -> list[DateWindow]:
        return list(self.windows.get(item_id, {}).get(None, []))

    def pair_windows(self, item_id: int, agency_id: int) -> list[DateWindow]:
        """The windows binding the agency: its own dates when it named some, else the printed."""
        own = self.windows.get(item_id, {})
        return list(own.get(agency_id) or own.get(None) or [])

    def overdue_end(self, item: ItemRow, agency_id: int, today: date) -> date | None:
        """The end of the latest window that closed before `today`, if the pair is still open."""
        if self.status(item.id, agency_id) in CLOSED:
            return None
        ended = [end for _, end in self.pair_windows(item.id, agency_id) if end < today]
        return max(ended) if ended else None


def load_snapshot(session: Session, *, plan_id: int | None = None) -> Snapshot:
    """Read the current (not withdrawn) items of one plan, or of all plans, in bulk."""
    snap = Snapshot()
    plans = select(Plan.id, Plan.title, Plan.timezone).order_by(Plan.id)
    if plan_id is not None:
        plans = plans.where(Plan.id == plan_id)
    snap.plans = {
        row.id: PlanRow(row.id, row.title, row.timezone) for row in session.execute(plans)
    }
    if not snap.plans:
        return snap
    snap.sections = {
        row.id: SectionRow(row.id, row.number, row.title)
        for row in session.execute(
            select(Section.id, Section.number, Section.title).where(
                Section.plan_id.in_(list(snap.plans))
            )
        )
    }
    live = Item.withdrawn_at.is_(None)
    if plan_id is not None:
        live = live & (Item.plan_id == plan_id)
    snap.items = [
        ItemRow(*row)
        for row in session.execute(
            select(
                Item.id,
                Item.plan_id,
                Item.section_id,
                Item.number,
                Item.title,
                Item.deadline_text,
                Item.tentative,
                Item.undated,
            )
            .where(live)
            .order_by(Item.plan_id, Item.position)
        )
    ]
    live_ids = select(Item.id).where(live)
    snap.agencies = {
        row.id: AgencyRow(row.id, row.name, row.side)
        for row in session.execute(select(Agency.id, Agency.name, Agency.side))
    }
    _load_responsible(session, snap, live_ids)
    _load_windows(session, snap, live_ids)
    statuses = current_statuses(session)
    known = {item.id for item in snap.items}
    snap.statuses = {pair: s for pair, s in statuses.items() if pair[0] in known}
    return snap


def _load_responsible(session: Session, snap: Snapshot, live_ids: object) -> None:
    responsible: dict[int, list[tuple[int, Side]]] = defaultdict(list)
    rows = session.execute(
        select(Responsibility.item_id, Responsibility.agency_id, Responsibility.side).where(
            Responsibility.item_id.in_(live_ids)  # type: ignore[arg-type]
        )
    )
    for item_id, agency_id, side in rows:
        responsible[item_id].append((agency_id, side))
    for pairs in responsible.values():
        # Russian side first, as the plans print them, then by name.
        pairs.sort(key=lambda p: (p[1] != Side.RU, snap.agencies[p[0]].name))
    snap.responsible = dict(responsible)


def _load_windows(session: Session, snap: Snapshot, live_ids: object) -> None:
    windows: dict[int, dict[int | None, list[DateWindow]]] = defaultdict(lambda: defaultdict(list))
    rows = session.execute(
        select(Window.item_id, Window.agency_id, Window.start, Window.end)
        .where(Window.item_id.in_(live_ids))  # type: ignore[arg-type]
        .order_by(Window.start, Window.end)
    )
    for item_id, agency_id, start, end in rows:
        windows[item_id][agency_id].append((start, end))
    snap.windows = {k: dict(v) for k, v in windows.items()}
