"""A status belongs to a window (an occurrence of a recurring item).

A report made on a day is about the window that had started by then (the latest such),
or the first window when none had: «Выполнено» in July 2026 for «июнь – июль 2026 – 2028
годов» closes 2026, and 2027 and 2028 stay «Запланировано» (as the planner judges them,
see `scheduler.rules.specs.Obligation.closes`). «Отменено» ends that window and every later one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.statuses import StatusReport
from models.statuses.windows import windows_by_item
from scheduler.rules.domain import DateWindow, Status


def window_of(day: date, windows: Sequence[DateWindow]) -> DateWindow | None:
    """The window a report (or a look) on `day` is about: the latest one started by then,
    else the first; None for an item without windows."""
    ordered = sorted(windows)
    started = [w for w in ordered if w[0] <= day]
    return started[-1] if started else (ordered[0] if ordered else None)


def statuses_by_window(
    session: Session, *, item_ids: Collection[int]
) -> dict[tuple[int, int], list[tuple[DateWindow, Status]]]:
    """Per (item, agency) that reported a status: each binding window with its status, in
    date order (windows nobody reported on are «Запланировано»)."""
    if not item_ids:
        return {}
    windows = windows_by_item(session, item_ids=item_ids)
    reports: dict[tuple[int, int], list[tuple[date, Status]]] = defaultdict(list)
    rows = session.execute(
        select(
            StatusReport.item_id,
            StatusReport.agency_id,
            StatusReport.created_at,
            StatusReport.status,
        )
        .where(StatusReport.item_id.in_(list(item_ids)), StatusReport.status.is_not(None))
        .order_by(StatusReport.id)
    )
    for item_id, agency_id, at, status in rows:
        reports[(item_id, agency_id)].append((at.date(), status))
    found = {}
    for (item_id, agency_id), said in reports.items():
        own = windows.get(item_id, {})
        binding = sorted(own.get(agency_id) or own.get(None) or [])
        if not binding:
            continue
        per: dict[DateWindow, Status] = {w: Status.PLANNED for w in binding}
        for day, status in said:
            window = window_of(day, binding)
            assert window is not None
            per[window] = status
            if status == Status.CANCELLED:
                for later in binding:
                    if later > window:
                        per[later] = Status.CANCELLED
        found[(item_id, agency_id)] = [(w, per[w]) for w in binding]
    return found


def status_now(
    per_window: Sequence[tuple[DateWindow, Status]] | None, today: date, fallback: Status
) -> Status:
    """The status of the current or latest past window (`fallback` with no windows)."""
    if not per_window:
        return fallback
    window = window_of(today, [w for w, _ in per_window])
    return dict(per_window).get(window, fallback) if window else fallback
