"""One item with its whole history; one agency with its items; plans found by a word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.reports.lateness import status_counts
from models.reports.snapshot import load_snapshot
from models.schema.people import Agency, AgencyAlias, Contact, Responsibility
from models.schema.plans import Item, ItemChange, Plan
from models.schema.statuses import StatusReport
from models.statuses.by_window import statuses_by_window
from models.statuses.reports import current_statuses, overall_status
from models.statuses.windows import windows_by_item
from scheduler.rules.domain import DateWindow, Side, Status
from scheduler.rules.numbers import parse_id


def normalise(text: str) -> str:
    """Lower case, «ё» as «е», single spaces: how names are compared."""
    return " ".join(text.lower().replace("ё", "е").split())


@dataclass(frozen=True)
class PlanRef:
    id: int
    title: str


def find_plans(session: Session, *, query: str = "") -> list[PlanRef]:
    """Plans whose id is `query` or whose title contains it; all plans for an empty query."""
    plans = [PlanRef(p.id, p.title) for p in session.execute(select(Plan.id, Plan.title))]
    plans.sort(key=lambda p: p.id)
    if not query.strip():
        return plans
    if (plan_id := parse_id(query)) is not None:
        return [p for p in plans if p.id == plan_id]
    wanted = normalise(query)
    return [p for p in plans if wanted in normalise(p.title)]


@dataclass(frozen=True)
class AgencyState:
    """One responsible agency of an item: its status and the windows that bind it."""

    agency_id: int
    name: str
    side: Side
    status: Status
    windows: list[DateWindow]
    own_windows: bool
    #: Each binding window with its status, once the agency reported (see
    #: `models.statuses.by_window`); a recurring item shows them one by one.
    windows_status: tuple[tuple[DateWindow, Status], ...] = ()


@dataclass(frozen=True)
class HistoryLine:
    """A status report or another change of the item, for the history list."""

    at: datetime
    agency: str | None
    status: Status | None
    comment: str | None
    author: str
    kind: str  # `report` or an ItemChange kind
    detail: dict[str, Any] = field(default_factory=dict)
    #: The window a status report is about, for an item with several windows.
    window: DateWindow | None = None


@dataclass(frozen=True)
class ItemDetail:
    plan: PlanRef
    item_id: int
    number: str
    title: str
    place: str | None
    deadline_text: str
    tentative: bool
    undated: bool
    withdrawn_at: datetime | None
    printed_windows: list[DateWindow]
    status: Status
    agencies: list[AgencyState]
    history: list[HistoryLine]


def item_detail(session: Session, *, plan_id: int | None = None, number: str) -> list[ItemDetail]:
    """The item numbered `number` in each plan that has one (only in `plan_id` when given)."""
    query = select(Item, Plan.title).join(Plan, Plan.id == Item.plan_id)
    query = query.where(Item.number == number.strip().rstrip("."))
    if plan_id is not None:
        query = query.where(Item.plan_id == plan_id)
    return [
        _detail(session, item, PlanRef(item.plan_id, title))
        for item, title in session.execute(query.order_by(Item.plan_id))
    ]


def item_detail_by_id(session: Session, *, item_id: int) -> ItemDetail | None:
    """The item with this id (a button's target), withdrawn or not; None when it is gone."""
    row = session.execute(
        select(Item, Plan.title).join(Plan, Plan.id == Item.plan_id).where(Item.id == item_id)
    ).first()
    if row is None:
        return None
    item, title = row
    return _detail(session, item, PlanRef(item.plan_id, title))


def _detail(session: Session, item: Item, plan: PlanRef) -> ItemDetail:
    windows = windows_by_item(session, item_ids=[item.id]).get(item.id, {})
    statuses = current_statuses(session, item_ids=[item.id])
    per_window = statuses_by_window(session, item_ids=[item.id])
    names = {a.id: a for a in _item_agencies(session, item.id)}
    agencies = [
        AgencyState(
            agency_id=agency.id,
            name=agency.name,
            side=side,
            status=statuses.get((item.id, agency.id), Status.PLANNED),
            windows=list(windows.get(agency.id) or windows.get(None) or []),
            own_windows=bool(windows.get(agency.id)),
            windows_status=tuple(per_window.get((item.id, agency.id), ())),
        )
        for agency, side in _responsible(session, item.id)
    ]
    return ItemDetail(
        plan=plan,
        item_id=item.id,
        number=item.number,
        title=item.title,
        place=item.place,
        deadline_text=item.deadline_text,
        tentative=item.tentative,
        undated=item.undated,
        withdrawn_at=item.withdrawn_at,
        printed_windows=list(windows.get(None, [])),
        status=overall_status(a.status for a in agencies),
        agencies=agencies,
        history=_history(
            session,
            item.id,
            names,
            several=any(len(a.windows) > 1 for a in agencies) or len(windows.get(None, [])) > 1,
        ),
    )


def _responsible(session: Session, item_id: int) -> list[tuple[Agency, Side]]:
    rows = session.execute(
        select(Agency, Responsibility.side)
        .join(Responsibility, Responsibility.agency_id == Agency.id)
        .where(Responsibility.item_id == item_id)
    )
    pairs = [(agency, side) for agency, side in rows]
    pairs.sort(key=lambda p: (p[1] != Side.RU, p[0].name))
    return pairs


def _item_agencies(session: Session, item_id: int) -> list[Agency]:
    """Every agency that reported on or changed the item (it may no longer answer for it)."""
    ids = select(StatusReport.agency_id).where(StatusReport.item_id == item_id)
    changed = select(ItemChange.agency_id).where(ItemChange.item_id == item_id)
    return list(session.scalars(select(Agency).where(Agency.id.in_(ids.union(changed)))))


def _history(
    session: Session, item_id: int, agencies: dict[int, Agency], *, several: bool = False
) -> list[HistoryLine]:
    """The item's reports and changes in time order (`several`: the item has several
    windows, so each status says which one it is about)."""
    lines = [
        HistoryLine(
            at=r.created_at,
            agency=agencies[r.agency_id].name if r.agency_id in agencies else None,
            status=r.status,
            comment=r.comment,
            author=r.author,
            kind="report",
            window=(r.window_start, r.window_end)
            if several and r.status is not None and r.window_start and r.window_end
            else None,
        )
        for r in session.scalars(select(StatusReport).where(StatusReport.item_id == item_id))
    ]
    lines += [
        HistoryLine(
            at=c.created_at,
            agency=agencies[c.agency_id].name if c.agency_id in agencies else None,
            status=None,
            comment=None,
            author="",
            kind=c.kind,
            detail=dict(c.detail or {}),
        )
        for c in session.scalars(select(ItemChange).where(ItemChange.item_id == item_id))
    ]
    lines.sort(key=lambda line: line.at)
    return lines


@dataclass(frozen=True)
class OverviewItem:
    plan: str
    number: str
    title: str
    status: Status
    windows: list[DateWindow]
    overdue_since: date | None


@dataclass(frozen=True)
class AgencyOverview:
    agency_id: int
    name: str
    side: Side
    aliases: list[str]
    contacts: int
    items: list[OverviewItem]

    @property
    def by_status(self) -> dict[str, int]:
        return status_counts([item.status for item in self.items])


def find_agencies(session: Session, *, name: str) -> list[Agency]:
    """Agencies named exactly `name` (or by that alias); else those whose name holds it as
    whole words («по культуре» is not «культурного»); else those whose name contains it."""
    wanted = normalise(name)
    if not wanted:
        return []
    agencies = list(session.scalars(select(Agency).order_by(Agency.name)))
    aliases: dict[int, list[str]] = {}
    for agency_id, alias in session.execute(select(AgencyAlias.agency_id, AgencyAlias.alias)):
        aliases.setdefault(agency_id, []).append(normalise(alias))
    exact = [a for a in agencies if wanted in {normalise(a.name), *aliases.get(a.id, [])}]
    if exact:
        return exact
    words = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    whole = [
        a
        for a in agencies
        if any(words.search(n) for n in [normalise(a.name), *aliases.get(a.id, [])])
    ]
    if whole:
        return whole
    return [
        a for a in agencies if any(wanted in n for n in [normalise(a.name), *aliases.get(a.id, [])])
    ]


def agency_overview(
    session: Session, *, name: str = "", now: datetime, agency_id: int | None = None
) -> list[AgencyOverview]:
    """Each agency matching `name` (case-insensitive, by name or alias), or the one with
    `agency_id`, with its items."""
    if agency_id is not None:
        one = session.get(Agency, agency_id)
        found = [one] if one is not None else []
    else:
        found = find_agencies(session, name=name)
    if not found:
        return []
    snap = load_snapshot(session)
    result = []
    for agency in found:
        items = [
            OverviewItem(
                plan=snap.plans[item.plan_id].title,
                number=item.number,
                title=item.title,
                status=snap.status(item.id, agency.id),
                windows=snap.pair_windows(item.id, agency.id),
                overdue_since=snap.overdue_end(
                    item, agency.id, snap.plans[item.plan_id].today(now)
                ),
            )
            for item in snap.items
            if any(a == agency.id for a, _ in snap.responsible.get(item.id, []))
        ]
        contacts = session.scalars(
            select(Contact.id).where(Contact.agency_id == agency.id, Contact.active.is_(True))
        ).all()
        result.append(
            AgencyOverview(
                agency_id=agency.id,
                name=agency.name,
                side=agency.side,
                aliases=[a.alias for a in agency.aliases],
                contacts=len(contacts),
                items=items,
            )
        )
    return result
