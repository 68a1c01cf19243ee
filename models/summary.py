"""The coordinator's summary: counts by status, section and agency; overdue; silent agencies."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from models.base import Side, Status
from models.digest import Digest, build_digest
from models.lateness import (
    OverdueEntry,
    SilentAgency,
    overdue_in,
    overdue_items,
    silent_agencies,
    status_counts,
)
from models.snapshot import ItemRow, Snapshot, gc_paused, load_snapshot

__all__ = [
    "Digest",
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
    overdue: list[OverdueEntry] = field(default_factory=list)
    silent_agencies: list[SilentAgency] = field(default_factory=list)

    @property
    def overdue_items(self) -> int:
        """How many distinct items are overdue for at least one agency."""
        return len({entry.item_id for entry in self.overdue})

    def as_json(self) -> dict[str, Any]:
        """The stable `srok summary --json` shape (DESIGN.md)."""
        return {
            **self.by_status,
            "total": self.total,
            "overdue_items": self.overdue_items,
            "overdue": [entry.as_json() for entry in self.overdue],
            "by_section": [group.as_json() for group in self.by_section],
            "by_agency": [group.as_json() for group in self.by_agency],
            "silent_agencies": [agency.as_json() for agency in self.silent_agencies],
            "plans": list(self.plans),
            "now": self.now.isoformat(),
        }


def build_summary(session: Session, *, now: datetime, plan_id: int | None = None) -> Summary:
    """The coordinator summary at `now`, of one plan or of all of them."""
    with gc_paused():
        snap = load_snapshot(session, plan_id=plan_id)
        overdue = overdue_in(snap, now)
        return Summary(
            now=now,
            plans=tuple(p.title for p in snap.plans.values()),
            total=len(snap.items),
            by_status=status_counts([snap.item_status(item.id) for item in snap.items]),
            by_section=_by_section(snap, overdue),
            by_agency=_by_agency(snap, overdue),
            overdue=overdue,
            silent_agencies=silent_agencies(session, snap=snap),
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
