"""What needs the coordinator first: escalations, overdue pairs by how late, grouped views.

The summary, /overdue and the digest lead with these; everything here works from one
`Snapshot` (plus one query for escalations) and takes `now` as a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.reports.lateness import OverdueEntry
from models.reports.snapshot import Snapshot
from models.schema.reminders import Reminder
from models.schema.statuses import StatusReport
from models.statuses.reports import CLOSED
from scheduler.rules.domain import ReminderKind, ReminderState, Side, Status


@dataclass(frozen=True)
class Escalation:
    """An item x agency pair the coordinators were alerted about, still open and unanswered."""

    plan_id: int
    item_id: int
    number: str
    title: str
    agency_id: int
    agency: str
    side: Side
    escalated_at: datetime
    status: Status

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan_id,
            "number": self.number,
            "title": self.title,
            "agency": self.agency,
            "side": self.side.value,
            "escalated_at": self.escalated_at.isoformat(),
            "status": self.status.value,
        }


def open_escalations(session: Session, *, snap: Snapshot) -> list[Escalation]:
    """Escalations sent for pairs that are still open with no report since, oldest first."""
    last_report = (
        select(
            StatusReport.item_id,
            StatusReport.agency_id,
            func.max(StatusReport.created_at).label("at"),
        )
        .group_by(StatusReport.item_id, StatusReport.agency_id)
        .subquery()
    )
    rows = session.execute(
        select(Reminder.item_id, Reminder.agency_id, func.max(Reminder.sent_at))
        .outerjoin(
            last_report,
            (last_report.c.item_id == Reminder.item_id)
            & (last_report.c.agency_id == Reminder.agency_id),
        )
        .where(
            Reminder.kind == ReminderKind.ESCALATION,
            Reminder.state == ReminderState.SENT,
            Reminder.sent_at.is_not(None),
            last_report.c.at.is_(None) | (Reminder.sent_at > last_report.c.at),
        )
        .group_by(Reminder.item_id, Reminder.agency_id)
    ).all()
    items = {item.id: item for item in snap.items}
    found = []
    for item_id, agency_id, sent_at in rows:
        item = items.get(item_id)
        if item is None or agency_id not in snap.agencies:
            continue
        sides = dict(snap.responsible.get(item_id, ()))
        status = snap.status(item_id, agency_id)
        if agency_id not in sides or status in CLOSED:
            continue
        agency = snap.agencies[agency_id]
        found.append(
            Escalation(
                item.plan_id,
                item_id,
                item.number,
                item.title,
                agency_id,
                agency.name,
                sides[agency_id],
                sent_at,
                status,
            )
        )
    found.sort(key=lambda e: (e.escalated_at, e.number))
    return found


def days_late(entry: OverdueEntry, today: date) -> int:
    """Whole days since the pair's window ended."""
    return (today - entry.window_end).days


def by_lateness(entries: list[OverdueEntry]) -> list[OverdueEntry]:
    """The latest first: the earliest window end, then (a stable sort) plan order."""
    return sorted(entries, key=attrgetter("window_end"))


@dataclass(frozen=True)
class LateItem:
    """One overdue item with every agency late on it (the summary lists items, not pairs)."""

    plan_id: int
    item_id: int
    number: str
    title: str
    window_end: date
    agencies: tuple[tuple[str, Side], ...]


def late_items(entries: list[OverdueEntry]) -> list[LateItem]:
    """Overdue pairs merged per item, the latest first."""
    merged: dict[int, list[OverdueEntry]] = defaultdict(list)
    for entry in by_lateness(entries):
        merged[entry.item_id].append(entry)
    return [
        LateItem(
            group[0].plan_id,
            group[0].item_id,
            group[0].number,
            group[0].title,
            min(e.window_end for e in group),
            tuple((e.agency, e.side) for e in group),
        )
        for group in merged.values()
    ]


@dataclass(frozen=True)
class LateAgency:
    """One agency's overdue pairs, the latest first."""

    agency_id: int
    agency: str
    side: Side
    entries: tuple[OverdueEntry, ...]

    @property
    def oldest(self) -> date:
        return self.entries[0].window_end


def late_by_agency(entries: list[OverdueEntry]) -> list[LateAgency]:
    """Overdue pairs grouped by agency; the agency with the oldest debt first."""
    grouped: dict[int, list[OverdueEntry]] = defaultdict(list)
    for entry in by_lateness(entries):
        grouped[entry.agency_id].append(entry)
    groups = [
        LateAgency(g[0].agency_id, g[0].agency, g[0].side, tuple(g)) for g in grouped.values()
    ]
    groups.sort(key=lambda g: (g.oldest, -len(g.entries), g.side != Side.RU, g.agency))
    return groups
