"""A status belongs to a window (an occurrence of a recurring item).

Each report stores its window (`StatusReport.window_start/end`): a press on a reminder's
button is about that reminder's window, a press on a card about the window the card
showed, and a status given without one (words, a coordinator's lever) about the window
current when it was given — the latest one started by then, or the first when none had.
«Выполнено» for the 2026 window of «июнь – июль 2026 – 2028 годов» closes 2026 only, even
when pressed after the 2027 window began; 2027 and 2028 stay «Запланировано» (the planner
reads the same, see `scheduler.rules.specs.Obligation.closes`). «Отменено» ends that window
and every later one. A report without a stored window (none after migration 0010's
backfill), or whose window no longer binds the agency (its dates were changed since), is
read by the day it was made, as all reports were before.
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


#: One report as the fold reads it: the day it was made, its status, its stored window.
Said = tuple[date, Status, DateWindow | None]


def fold_reports(
    binding: Sequence[DateWindow], said: Sequence[Said]
) -> list[tuple[DateWindow, Status]]:
    """Each binding window with its status after the reports `said`, oldest first (windows
    nobody reported on are «Запланировано»); empty without windows."""
    ordered = sorted(binding)
    per: dict[DateWindow, Status] = dict.fromkeys(ordered, Status.PLANNED)
    for day, status, stored in said:
        window = stored if stored in per else window_of(day, ordered)
        if window is None:
            continue
        per[window] = status
        if status == Status.CANCELLED:
            for later in ordered:
                if later > window:
                    per[later] = Status.CANCELLED
    return [(w, per[w]) for w in ordered]


def statuses_by_window(
    session: Session, *, item_ids: Collection[int]
) -> dict[tuple[int, int], list[tuple[DateWindow, Status]]]:
    """Per (item, agency) that reported a status: each binding window with its status, in
    date order (windows nobody reported on are «Запланировано»)."""
    if not item_ids:
        return {}
    windows = windows_by_item(session, item_ids=item_ids)
    reports: dict[tuple[int, int], list[Said]] = defaultdict(list)
    rows = session.execute(
        select(
            StatusReport.item_id,
            StatusReport.agency_id,
            StatusReport.created_at,
            StatusReport.status,
            StatusReport.window_start,
            StatusReport.window_end,
        )
        .where(StatusReport.item_id.in_(list(item_ids)), StatusReport.status.is_not(None))
        .order_by(StatusReport.id)
    )
    for item_id, agency_id, at, status, start, end in rows:
        stored = (start, end) if start is not None and end is not None else None
        reports[(item_id, agency_id)].append((at.date(), status, stored))
    found = {}
    for (item_id, agency_id), said in reports.items():
        own = windows.get(item_id, {})
        binding = own.get(agency_id) or own.get(None) or []
        if binding:
            found[(item_id, agency_id)] = fold_reports(binding, said)
    return found


def status_of_window(
    per_window: Sequence[tuple[DateWindow, Status]] | None,
    window: DateWindow | None,
    fallback: Status | None,
) -> Status | None:
    """The status reported for `window` (`fallback`, the latest, when the item has one
    window or none, or `window` is not among its windows)."""
    said = dict(per_window or ())
    if window is not None and len(said) > 1 and window in said:
        return said[window]
    return fallback


def status_now(
    per_window: Sequence[tuple[DateWindow, Status]] | None, today: date, fallback: Status
) -> Status:
    """The status of the current or latest past window (`fallback` with no windows)."""
    if not per_window:
        return fallback
    window = window_of(today, [w for w, _ in per_window])
    return dict(per_window).get(window, fallback) if window else fallback
