"""An item's windows: the printed ones, and an agency's own confirmed dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models.schema.plans import ItemChange, Window
from scheduler.rules.domain import DateWindow


def windows_by_item(
    session: Session, *, item_ids: Collection[int]
) -> dict[int, dict[int | None, list[DateWindow]]]:
    """For each item: {None: printed windows, agency_id: that agency's own windows}."""
    result: dict[int, dict[int | None, list[DateWindow]]] = defaultdict(lambda: defaultdict(list))
    rows = session.execute(
        select(Window.item_id, Window.agency_id, Window.start, Window.end)
        .where(Window.item_id.in_(list(item_ids)))
        .order_by(Window.start, Window.end)
    )
    for item_id, agency_id, start, end in rows:
        result[item_id][agency_id].append((start, end))
    return result


def agency_windows(session: Session, *, item_id: int, agency_id: int) -> list[DateWindow]:
    """The windows that bind `agency_id`: its own dates when it named some, else the printed."""
    own = windows_by_item(session, item_ids=[item_id]).get(item_id, {})
    return list(own.get(agency_id) or own.get(None) or [])


def set_agency_windows(
    session: Session,
    *,
    item_id: int,
    agency_id: int,
    windows: Sequence[DateWindow],
    now: datetime,
    text: str,
    contact_id: int | None = None,
) -> None:
    """Replace the agency's own windows for an item (a confirmed «Перенос») and log it."""
    before = agency_windows(session, item_id=item_id, agency_id=agency_id)
    session.execute(delete(Window).where(Window.item_id == item_id, Window.agency_id == agency_id))
    session.add_all(
        Window(
            item_id=item_id,
            agency_id=agency_id,
            start=start,
            end=end,
            source="reply",
            created_at=now,
        )
        for start, end in windows
    )
    session.add(
        ItemChange(
            item_id=item_id,
            agency_id=agency_id,
            contact_id=contact_id,
            kind="window_changed",
            detail={
                "text": text,
                "before": [[s.isoformat(), e.isoformat()] for s, e in before],
                "after": [[s.isoformat(), e.isoformat()] for s, e in windows],
            },
            created_at=now,
        )
    )
    session.flush()
