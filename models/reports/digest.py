"""The coordinators' weekly digest: what is late, what is due soon, who is silent, what changed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.reports.attention import Escalation, LateItem, late_items, open_escalations
from models.reports.lateness import OverdueEntry, SilentAgency, overdue_in, silent_agencies
from models.reports.snapshot import Snapshot, gc_paused, load_snapshot
from models.schema.people import Agency
from models.schema.plans import Item, ItemChange, Plan
from models.schema.reminders import Reminder
from models.schema.statuses import StatusReport
from scheduler.rules.domain import DateWindow, ReminderKind, ReminderState, Side, Status

#: How far ahead «due soon» looks, and how far back changes go when no digest was sent yet.
DUE_AHEAD = timedelta(days=14)
DEFAULT_PERIOD = timedelta(days=7)


@dataclass(frozen=True)
class AgencyOverdue:
    agency: str
    side: Side
    entries: list[OverdueEntry]


@dataclass(frozen=True)
class DueEntry:
    """A window of an open item x agency pair that ends within DUE_AHEAD."""

    plan: str
    number: str
    title: str
    agency: str
    side: Side
    window: DateWindow
    status: Status
    item_id: int = 0
    section_id: int | None = None


@dataclass(frozen=True)
class ChangeLine:
    """A status report or another change of an item since the previous digest."""

    at: datetime
    plan: str
    number: str
    title: str
    agency: str | None
    kind: str  # `report` or an ItemChange kind (created, withdrawn, window_changed…)
    status: Status | None = None
    comment: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Digest:
    now: datetime
    since: datetime
    overdue: list[AgencyOverdue]
    due_soon: list[DueEntry]
    silent: list[SilentAgency]
    changes: list[ChangeLine]
    escalations: list[Escalation] = field(default_factory=list)

    @property
    def late_items(self) -> list[LateItem]:
        """The overdue items (agencies merged), the latest first."""
        return late_items([entry for group in self.overdue for entry in group.entries])

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.silent or self.changes)


def build_digest(session: Session, *, now: datetime) -> Digest:
    """The digest at `now`; changes since the last sent digest, or the last 7 days."""
    since = last_digest_at(session, now=now) or now - DEFAULT_PERIOD
    with gc_paused():
        snap = load_snapshot(session, now=now)
        return Digest(
            now=now,
            since=since,
            overdue=_overdue_by_agency(overdue_in(snap, now)),
            due_soon=due_soon(snap, now),
            silent=silent_agencies(session, snap=snap),
            changes=_changes(session, since=since, now=now),
            escalations=open_escalations(session, snap=snap),
        )


def last_digest_at(session: Session, *, now: datetime) -> datetime | None:
    """When the previous digest went out (before `now`), if one did."""
    return session.scalar(
        select(func.max(Reminder.sent_at)).where(
            Reminder.kind == ReminderKind.DIGEST,
            Reminder.state == ReminderState.SENT,
            Reminder.sent_at < now,
        )
    )


def _overdue_by_agency(entries: list[OverdueEntry]) -> list[AgencyOverdue]:
    grouped: dict[int, list[OverdueEntry]] = defaultdict(list)
    for entry in entries:
        grouped[entry.agency_id].append(entry)
    groups = [AgencyOverdue(e[0].agency, e[0].side, e) for e in grouped.values()]
    groups.sort(key=lambda g: (-len(g.entries), g.side != Side.RU, g.agency))
    return groups


def due_soon(snap: Snapshot, now: datetime) -> list[DueEntry]:
    """Windows of open pairs that end within DUE_AHEAD, the soonest first.

    Each plan's day is computed once and the windows are looked at before the status:
    the summary of a large plan runs this over every pair."""
    days = {plan.id: plan.today(now) for plan in snap.plans.values()}
    due = []
    for item in snap.items:
        own = snap.windows.get(item.id)
        if not own:
            continue
        today = days[item.plan_id]
        horizon = today + DUE_AHEAD
        for agency_id, side in snap.responsible.get(item.id, ()):
            windows = own.get(agency_id) or own.get(None) or ()
            soon = [window for window in windows if today <= window[1] <= horizon]
            if not soon:
                continue
            if not snap.is_open(item.id, agency_id):
                continue
            status = snap.status(item.id, agency_id)
            plan, agency = snap.plans[item.plan_id].title, snap.agencies[agency_id].name
            due += [
                DueEntry(
                    plan,
                    item.number,
                    item.title,
                    agency,
                    side,
                    window,
                    status,
                    item.id,
                    item.section_id,
                )
                for window in soon
            ]
    due.sort(key=lambda d: d.window[1])
    return due


def _changes(session: Session, *, since: datetime, now: datetime) -> list[ChangeLine]:
    reports = session.execute(
        select(StatusReport, Item.number, Item.title, Plan.title, Agency.name)
        .join(Item, Item.id == StatusReport.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .join(Agency, Agency.id == StatusReport.agency_id)
        .where(StatusReport.created_at > since, StatusReport.created_at <= now)
    )
    lines = [
        ChangeLine(r.created_at, plan, number, title, agency, "report", r.status, r.comment)
        for r, number, title, plan, agency in reports
    ]
    changes = session.execute(
        select(ItemChange, Item.number, Item.title, Plan.title, Agency.name)
        .join(Item, Item.id == ItemChange.item_id)
        .join(Plan, Plan.id == Item.plan_id)
        .outerjoin(Agency, Agency.id == ItemChange.agency_id)
        .where(ItemChange.created_at > since, ItemChange.created_at <= now)
    )
    lines += [
        ChangeLine(c.created_at, plan, number, title, agency, c.kind, detail=dict(c.detail or {}))
        for c, number, title, plan, agency in changes
    ]
    lines.sort(key=lambda line: line.at)
    return lines
