"""What the exports (XLSX, ICS, the timeline chart) show, read in a few bulk queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.reports.snapshot import ItemRow, Snapshot, gc_paused, load_snapshot
from models.schema.people import Agency
from models.schema.plans import Item, Plan
from models.schema.statuses import StatusReport
from scheduler.rules.domain import DateWindow, Side, Status


@dataclass(frozen=True)
class ExportAgency:
    id: int
    name: str
    side: Side
    status: Status
    windows: tuple[DateWindow, ...]
    own_windows: bool


@dataclass(frozen=True)
class ExportItem:
    id: int
    number: str
    section: str
    title: str
    deadline_text: str
    tentative: bool
    undated: bool
    printed_windows: tuple[DateWindow, ...]
    agencies: tuple[ExportAgency, ...]
    status: Status
    last_comment: str | None
    last_report_at: datetime | None
    overdue: bool
    #: Taken off control by a coordinator («снято с контроля»).
    closed: bool = False

    def agencies_of(self, side: Side) -> list[ExportAgency]:
        return [a for a in self.agencies if a.side == side]


@dataclass(frozen=True)
class ExportPlan:
    id: int
    title: str
    timezone: str
    today: date
    items: tuple[ExportItem, ...]
    #: The plan's own period (start, end), as imported.
    period: DateWindow | None = None


@dataclass(frozen=True)
class HistoryRow:
    plan: str
    number: str
    agency: str
    status: Status | None
    comment: str | None
    author: str
    source: str
    at: datetime


@dataclass(frozen=True)
class ExportData:
    now: datetime
    plans: tuple[ExportPlan, ...]
    history: tuple[HistoryRow, ...] = ()


def export_data(
    session: Session, *, now: datetime, plan_id: int | None = None, with_history: bool = True
) -> ExportData:
    """Every current item of one plan (or all) with statuses; the full report history."""
    with gc_paused():
        return _export_data(session, now=now, plan_id=plan_id, with_history=with_history)


def _export_data(
    session: Session, *, now: datetime, plan_id: int | None, with_history: bool
) -> ExportData:
    snap = load_snapshot(session, plan_id=plan_id, now=now)
    last_at, last_comment = _last_reports(session, plan_id)
    periods = {
        row[0]: (row[1], row[2])
        for row in session.execute(
            select(Plan.id, Plan.period_start, Plan.period_end).where(Plan.id.in_(list(snap.plans)))
        )
    }
    plans = []
    for plan in snap.plans.values():
        today = plan.today(now)
        items = tuple(
            _item(snap, item, today, last_at.get(item.id), last_comment.get(item.id))
            for item in snap.items
            if item.plan_id == plan.id
        )
        plans.append(
            ExportPlan(plan.id, plan.title, plan.timezone, today, items, periods.get(plan.id))
        )
    history = _history(session, plan_id) if with_history else ()
    return ExportData(now=now, plans=tuple(plans), history=history)


def _item(
    snap: Snapshot, item: ItemRow, today: date, last_at: datetime | None, comment: str | None
) -> ExportItem:
    own = snap.windows.get(item.id, {})
    agencies = tuple(
        ExportAgency(
            id=agency_id,
            name=snap.agencies[agency_id].name,
            side=side,
            status=snap.status(item.id, agency_id),
            windows=tuple(snap.pair_windows(item.id, agency_id)),
            own_windows=bool(own.get(agency_id)),
        )
        for agency_id, side in snap.responsible.get(item.id, [])
    )
    section = snap.sections.get(item.section_id) if item.section_id is not None else None
    return ExportItem(
        id=item.id,
        number=item.number,
        section=" ".join(p for p in (section.number, section.title) if p) if section else "",
        title=item.title,
        deadline_text=item.deadline_text,
        tentative=item.tentative,
        undated=item.undated,
        printed_windows=tuple(snap.printed_windows(item.id)),
        agencies=agencies,
        status=snap.item_status(item.id),
        last_comment=comment,
        last_report_at=last_at,
        overdue=any(snap.overdue_end(item, a.id, today) for a in agencies),
        closed=item.id in snap.closed,
    )


def _last_reports(
    session: Session, plan_id: int | None
) -> tuple[dict[int, datetime], dict[int, str]]:
    """Per item: when it was last reported on, and the latest comment."""
    scope = select(Item.id) if plan_id is None else select(Item.id).where(Item.plan_id == plan_id)
    last_at = dict(
        session.execute(
            select(StatusReport.item_id, func.max(StatusReport.created_at))
            .where(StatusReport.item_id.in_(scope))
            .group_by(StatusReport.item_id)
        )
        .tuples()
        .all()
    )
    latest_comment = (
        select(func.max(StatusReport.id))
        .where(StatusReport.comment.is_not(None), StatusReport.item_id.in_(scope))
        .group_by(StatusReport.item_id)
    )
    comments = {
        item_id: comment
        for item_id, comment in session.execute(
            select(StatusReport.item_id, StatusReport.comment).where(
                StatusReport.id.in_(latest_comment)
            )
        ).tuples()
        if comment is not None  # always: the latest report that has a comment
    }
    return last_at, comments


def _history(session: Session, plan_id: int | None) -> tuple[HistoryRow, ...]:
    query = (
        select(StatusReport, Item.number, Plan.title, Agency.name)
        .join(Item, Item.id == StatusReport.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .join(Agency, Agency.id == StatusReport.agency_id)
        .order_by(Plan.id, StatusReport.created_at, StatusReport.id)
    )
    if plan_id is not None:
        query = query.where(Item.plan_id == plan_id)
    return tuple(
        HistoryRow(plan, number, agency, r.status, r.comment, r.author, r.source, r.created_at)
        for r, number, plan, agency in session.execute(query)
    )
