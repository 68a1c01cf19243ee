"""Telegram updates by update_id: recorded when received, claimed once when handled.

Both steps take a batch: the bot records a whole getUpdates answer in one transaction and
claims the updates that start together in one more, so a busy minute costs a few commits
instead of two per update.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Insert, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.outbox import ProcessedUpdate

Payload = dict[str, Any]


def _insert_new(session: Session) -> Insert:
    """INSERT that skips an update_id already there (another process, or a repeat)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return sqlite.insert(ProcessedUpdate).on_conflict_do_nothing(index_elements=["update_id"])
    if dialect == "postgresql":
        return postgresql.insert(ProcessedUpdate).on_conflict_do_nothing(
            index_elements=["update_id"]
        )
    return insert(ProcessedUpdate)  # pragma: no cover - the two supported databases above


def _handled(session: Session, update_ids: list[int]) -> set[int]:
    return set(
        session.scalars(
            select(ProcessedUpdate.update_id).where(
                ProcessedUpdate.update_id.in_(update_ids), ProcessedUpdate.handled_at.is_not(None)
            )
        )
    )


def record_updates(
    session: Session, payloads: Mapping[int, Payload], *, now: datetime
) -> dict[int, bool]:
    """Keep updates as received; update_id -> False for those handled before (repeats)."""
    if not payloads:
        return {}
    rows = [
        {"update_id": update_id, "payload": payload, "received_at": now}
        for update_id, payload in payloads.items()
    ]
    session.execute(_insert_new(session), rows)
    handled = _handled(session, list(payloads))
    return {update_id: update_id not in handled for update_id in payloads}


def record_update(session: Session, *, update_id: int, payload: Payload, now: datetime) -> bool:
    """Keep one update as received; False when it was handled before (a repeat)."""
    return record_updates(session, {update_id: payload}, now=now)[update_id]


def claim_updates(
    session: Session, payloads: Mapping[int, Callable[[], Payload]], *, now: datetime
) -> set[int]:
    """Mark updates handled; the ids claimed now (each is claimed once, by one process).

    An update never recorded (handed to the application directly) is recorded as handled;
    its `payloads` entry is called only then.
    """
    if not payloads:
        return set()
    claimed = set(
        session.scalars(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.update_id.in_(list(payloads)),
                ProcessedUpdate.handled_at.is_(None),
            )
            .values(handled_at=now)
            .returning(ProcessedUpdate.update_id)
        )
    )
    unseen = set(payloads) - claimed
    if unseen:
        unseen -= set(
            session.scalars(
                select(ProcessedUpdate.update_id).where(ProcessedUpdate.update_id.in_(unseen))
            )
        )
    if unseen:
        rows = [
            {"update_id": i, "payload": payloads[i](), "received_at": now, "handled_at": now}
            for i in sorted(unseen)
        ]
        inserted = session.scalars(_insert_new(session).returning(ProcessedUpdate.update_id), rows)
        claimed |= set(inserted)  # an id another process inserted meanwhile is its claim
    return claimed


def claim_update(
    session: Session, *, update_id: int, payload: Callable[[], Payload], now: datetime
) -> bool:
    """Mark one update handled; True only for the first claim (the one that handles it)."""
    return update_id in claim_updates(session, {update_id: payload}, now=now)


def unhandled_updates(session: Session, *, limit: int = 1000) -> list[Payload]:
    """Payloads received but never handled (the process stopped in between), oldest first."""
    return list(
        session.scalars(
            select(ProcessedUpdate.payload)
            .where(ProcessedUpdate.handled_at.is_(None))
            .order_by(ProcessedUpdate.update_id)
            .limit(limit)
        )
    )
