"""What is late: overdue item x agency pairs and agencies silent after repeated requests."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.reports.snapshot import Snapshot, gc_paused, load_snapshot
from models.schema.reminders import Reminder
from models.schema.statuses import StatusReport
from scheduler.rules.domain import ReminderKind, ReminderState, Side, Status

#: Reminders that ask an agency for its status; two of them unanswered make it silent.
REQUEST_KINDS = (ReminderKind.STATUS_REQUEST, ReminderKind.REPEAT)
SILENT_AFTER = 2


def status_counts(statuses: list[Status] | None = None) -> dict[str, int]:
    """Every status with its count (zeros included), in the order of the Status enum."""
    counts = Counter(statuses or [])
    return {s.value: counts.get(s, 0) for s in Status}


class OverdueEntry(NamedTuple):
    """One item x agency pair whose window closed and whose status is still open.

    A named tuple, not a dataclass: a summary may build tens of thousands of them.
    """

    plan_id: int
    plan: str
    item_id: int
    number: str
    title: str
    agency_id: int
    agency: str
    side: Side
    window_end: date
    status: Status

    def as_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "plan_id": self.plan_id,
            "number": self.number,
            "title": self.title,
            "agency": self.agency,
            "side": self.side.value,
            "window_end": self.window_end.isoformat(),
            "status": self.status.value,
        }


@dataclass(frozen=True)
class SilentAgency:
    """An agency asked at least twice about some items without answering since."""

    agency_id: int
    name: str
    side: Side
    requests: int
    last_request_at: datetime
    items: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "agency": self.name,
            "side": self.side.value,
            "requests": self.requests,
            "last_request_at": self.last_request_at.isoformat(),
            "items": list(self.items),
        }


def overdue_items(
    session: Session, *, now: datetime, plan_id: int | None = None
) -> list[OverdueEntry]:
    """Every item x agency pair past a window's end and not done or cancelled."""
    with gc_paused():
        return overdue_in(load_snapshot(session, plan_id=plan_id, now=now), now)


def overdue_in(snap: Snapshot, now: datetime) -> list[OverdueEntry]:
    """The overdue pairs of a snapshot at `now`, in plan order."""
    today = {plan.id: plan.today(now) for plan in snap.plans.values()}
    titles = {plan.id: plan.title for plan in snap.plans.values()}
    names = {agency.id: agency.name for agency in snap.agencies.values()}
    entries = []
    for item in snap.items:
        for agency_id, side in snap.responsible.get(item.id, ()):
            end = snap.overdue_end(item, agency_id, today[item.plan_id])
            if end is not None:
                entries.append(
                    OverdueEntry(
                        item.plan_id,
                        titles[item.plan_id],
                        item.id,
                        item.number,
                        item.title,
                        agency_id,
                        names[agency_id],
                        side,
                        end,
                        snap.status(item.id, agency_id),
                    )
                )
    return entries


def silent_agencies(session: Session, *, snap: Snapshot) -> list[SilentAgency]:
    """Agencies sent two or more status requests for an item with no report since."""
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
        select(Reminder.item_id, Reminder.agency_id, func.count(), func.max(Reminder.sent_at))
        .outerjoin(
            last_report,
            (last_report.c.item_id == Reminder.item_id)
            & (last_report.c.agency_id == Reminder.agency_id),
        )
        .where(
            Reminder.kind.in_(REQUEST_KINDS),
            Reminder.state == ReminderState.SENT,
            Reminder.sent_at.is_not(None),
            last_report.c.at.is_(None) | (Reminder.sent_at > last_report.c.at),
        )
        .group_by(Reminder.item_id, Reminder.agency_id)
        .having(func.count() >= SILENT_AFTER)
    )
    numbers = {item.id: item.number for item in snap.items}
    found: dict[int, list[tuple[str, int, datetime]]] = defaultdict(list)
    for item_id, agency_id, count, last_at in rows:
        if item_id in numbers and agency_id in snap.agencies:
            found[agency_id].append((numbers[item_id], count, last_at))
    return sorted(
        (
            SilentAgency(
                agency_id=agency_id,
                name=snap.agencies[agency_id].name,
                side=snap.agencies[agency_id].side,
                requests=sum(count for _, count, _ in entries),
                last_request_at=max(at for _, _, at in entries),
                items=tuple(number for number, _, _ in entries),
            )
            for agency_id, entries in found.items()
        ),
        key=lambda s: (-s.requests, s.name),
    )
