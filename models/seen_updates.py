"""Telegram updates by update_id: recorded when received, claimed once when handled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.outbox import ProcessedUpdate


def record_update(
    session: Session, *, update_id: int, payload: dict[str, Any], now: datetime
) -> bool:
    """Keep an update as received; False when it was handled before (a repeat)."""
    handled = session.execute(
        select(ProcessedUpdate.handled_at).where(ProcessedUpdate.update_id == update_id)
    ).first()
    if handled is not None:
        return handled[0] is None
    try:
        with session.begin_nested():
            session.add(ProcessedUpdate(update_id=update_id, payload=payload, received_at=now))
    except IntegrityError:
        # Another process recorded it at the same moment; it is not handled yet either way.
        return True
    return True


def claim_update(
    session: Session,
    *,
    update_id: int,
    payload: Callable[[], dict[str, Any]],
    now: datetime,
) -> bool:
    """Mark an update handled; True only for the first claim (the one that handles it).

    `payload` is called only for an update that was never recorded.
    """
    result = session.execute(
        update(ProcessedUpdate)
        .where(ProcessedUpdate.update_id == update_id, ProcessedUpdate.handled_at.is_(None))
        .values(handled_at=now)
    )
    if result.rowcount:
        return True
    if session.get(ProcessedUpdate, update_id) is not None:
        return False  # handled before: a repeat
    try:
        with session.begin_nested():
            session.add(
                ProcessedUpdate(
                    update_id=update_id, payload=payload(), received_at=now, handled_at=now
                )
            )
    except IntegrityError:
        return False  # another process claimed it at this very moment
    return True


def unhandled_updates(session: Session, *, limit: int = 1000) -> list[dict[str, Any]]:
    """Payloads received but never handled (the process stopped in between), oldest first."""
    return list(
        session.scalars(
            select(ProcessedUpdate.payload)
            .where(ProcessedUpdate.handled_at.is_(None))
            .order_by(ProcessedUpdate.update_id)
            .limit(limit)
        )
    )
