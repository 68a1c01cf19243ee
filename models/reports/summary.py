"""The coordinator's summary: counts by status, section and agency; overdue; silent agencies."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.reports.attention import (
    Escalation,
    LateAgency,
    LateItem,
    by_lateness,
    late_by_agency,
    late_items,
    open_escalations,
)
from models.reports.digest import Digest, DueEntry, build_digest, due_soon
from models.reports.lateness import (
    OverdueEntry,
    SilentAgency,
    overdue_in,
    overdue_items,
    silent_agencies,
    status_counts,
)
from models.reports.snapshot import ItemRow, Snapshot, gc_paused, load_snapshot
from models.schema.plans import Plan
from scheduler.rules.domain import Side, Status

__all__ = [
    "Digest",
    "Escalation",
    "GroupCount",
    "OverdueEntry",
    "SilentAgency",
    "Summary",
    "build_digest",
    "build_summary",
    "overdue_items",
    "status_counts",
]


@dataclass(frozen=True)
class GroupCount:
    """Counts for one section or one agency."""

    key: str
    title: str
    total: int
    by_status: dict[str, int]
    overdue: int
    side: Side | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "total": self.total,
            "overdue": self.overdue,
            **self.by_status,
        }
        if self.side is not None:
            data["side"] = self.side.value
        return data


@dataclass(frozen=True)
class Summary:
    now: datetime
    plans: tuple[str, ...]
    total: int
    by_status: dict[str, int]
    by_section: list[GroupCount] = field(default_factory=list)
    by_agency: list[GroupCount] = field(default_factory=list)
    #: The overdue pairs, the latest first (the earliest window end).
    overdue: list[OverdueEntry] = field(default_factory=list)
    silent_agencies: list[SilentAgency] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    due_soon: list[DueEntry] = field(default_factory=list)
    #: The plan's day at `now` (the first plan's, when several share a summary).
    today: date | None = None
    plan_ids: tuple[int, ...] = ()

    @property
    def overdue_items(self) -> int:
        """How many distinct items are overdue for at least one agency."""
        return len({entry.item_id for entry in self.overdue})

    @property
    def late_items(self) -> list[LateItem]:
        """Overdue items (agencies merged), the latest first."""
        return late_items(self.overdue)

    @property
    def late_agencies(self) -> list[LateAgency]:
        """Overdue pairs by agency, the oldest debt first."""
        return late_by_agency(self.overdue)

    @property
    def needs_attention(self) -> bool:
        return bool(self.escalations or self.overdue or self.silent_agencies)

    @property
    def sections_to_report(self) -> list[GroupCount]:
        """Sections with something overdue (the others have nothing to report)."""
        return [group for group in self.by_section if group.overdue]

    @property
    def agencies_to_report(self) -> list[GroupCount]:
        """Agencies with something overdue, the most overdue first."""
        return [group for group in self.by_agency if group.overdue]

    def as_json(self) -> dict[str, Any]:
        """The stable `srok summary --json` shape (DESIGN.md)."""
        return {
            # What needs the coordinator first, as `srok summary` prints it.
            "escalations": [escalation.as_json() for escalation in self.escalations],
            "overdue": [
                {**entry.as_json(), "days_late": self.days_late(entry)} for entry in self.overdue
            ],
            "silent_agencies": [agency.as_json() for agency in self.silent_agencies],
            "due_soon": [_due_json(entry) for entry in self.due_soon],
            **self.by_status,
            "total": self.total,
            "overdue_items": self.overdue_items,
            "by_section": [group.as_json() for group in self.by_section],
            "by_agency": [group.as_json() for group in self.by_agency],
            "plans": list(self.plans),
            "now": self.now.isoformat(),
        }

    def days_late(self, entry: OverdueEntry) -> int:
        """Whole days since the pair's window ended."""
        today = self.today or self.now.date()
        return (today - entry.window_end).days


def _due_json(entry: DueEntry) -> dict[str, Any]:
    return {
        "plan": entry.plan,
        "number": entry.number,
        "title": entry.title,
        "agency": entry.agency,
        "side": entry.side.value,
        "window": [entry.window[0].isoformat(), entry.window[1].isoformat()],
        "status": entry.status.value,
    }


def build_summary(session: Session, *, now: datetime, plan_id: int | None = None) -> Summary:
    """The coordinator summary at `now`, of one plan or of all of them."""
    with gc_paused():
        snap = load_snapshot(session, plan_id=plan_id, now=now)
        overdue = overdue_in(snap, now)
        first = next(iter(snap.plans.values()), None)
        return Summary(
            now=now,
            plans=tuple(p.title for p in snap.plans.values()),
            total=len(snap.items),
            by_status=status_counts([snap.item_status(item.id) for item in snap.items]),
            by_section=_by_section(snap, overdue),
            by_agency=_by_agency(snap, overdue),
            overdue=by_lateness(overdue),
            silent_agencies=silent_agencies(session, snap=snap),
            escalations=open_escalations(session, snap=snap),
            due_soon=due_soon(snap, now),
            today=first.today(now) if first else None,
            plan_ids=tuple(snap.plans),
        )


def _by_section(snap: Snapshot, overdue: list[OverdueEntry]) -> list[GroupCount]:
    late_items = {entry.item_id for entry in overdue}
    grouped: dict[int | None, list[ItemRow]] = defaultdict(list)
    for item in snap.items:
        grouped[item.section_id].append(item)
    groups = []
    for section_id, items in grouped.items():
        section = snap.sections.get(section_id) if section_id is not None else None
        groups.append(
            GroupCount(
                key=str(section_id or ""),
                title=_section_title(section.number, section.title) if section else "Без раздела",
                total=len(items),
                by_status=status_counts([snap.item_status(i.id) for i in items]),
                overdue=sum(1 for i in items if i.id in late_items),
            )
        )
    return groups


def _section_title(number: str | None, title: str) -> str:
    """«1. Торговля»: the section as printed."""
    return f"{number.rstrip('.')}. {title}" if number else title


def _by_agency(snap: Snapshot, overdue: list[OverdueEntry]) -> list[GroupCount]:
    late = Counter(entry.agency_id for entry in overdue)
    statuses: dict[int, list[Status]] = defaultdict(list)
    for item in snap.items:
        for agency_id, _ in snap.responsible.get(item.id, []):
            statuses[agency_id].append(snap.status(item.id, agency_id))
    groups = [
        GroupCount(
            key=str(agency_id),
            title=snap.agencies[agency_id].name,
            total=len(values),
            by_status=status_counts(values),
            overdue=late.get(agency_id, 0),
            side=snap.agencies[agency_id].side,
        )
        for agency_id, values in statuses.items()
    ]
    # The most overdue first: that is whom a coordinator calls.
    groups.sort(key=lambda g: (-g.overdue, g.side != Side.RU, g.title))
    return groups


@dataclass(frozen=True)
class PlanLine:
    """One plan in a summary of several: what a coordinator sees before choosing it."""

    plan_id: int
    title: str
    total: int
    overdue: int
    escalations: int
    silent: int
    due_soon: int


def plan_lines(session: Session, *, now: datetime) -> list[PlanLine]:
    """A line per plan, in id order (a coordinator's plans are a handful)."""
    lines = []
    for plan_id in session.scalars(select(Plan.id).order_by(Plan.id)):
        summary = build_summary(session, now=now, plan_id=plan_id)
        lines.append(
            PlanLine(
                plan_id=plan_id,
                title=summary.plans[0] if summary.plans else "",
                total=summary.total,
                overdue=summary.overdue_items,
                escalations=len(summary.escalations),
                silent=len(summary.silent_agencies),
                due_soon=len({(d.item_id, d.window) for d in summary.due_soon}),
            )
        )
    return lines
