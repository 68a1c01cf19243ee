"""Telegram updates by update_id: recorded when received, claimed once when handled.

Both steps take a batch: the bot records a whole getUpdates answer in one transaction and
claims the updates that start together in one more, so a busy minute costs a few commits
instead of two per update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Insert, insert, null, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models.db import rowcount
from models.schema.chats import ProcessedUpdate
from models.schema.people import Contact

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


def sender_of(payload: Payload) -> int | None:
    """The id of the user an update came from: the `from` of its one content object
    (message, callback_query, my_chat_member, …); None when it names none."""
    for key, value in payload.items():
        if key != "update_id" and isinstance(value, dict):
            sender = value.get("from")
            if isinstance(sender, dict) and isinstance(sender.get("id"), int):
                return int(sender["id"])
    return None


def record_updates(
    session: Session, payloads: Mapping[int, Payload], *, now: datetime
) -> dict[int, bool]:
    """Keep updates as received; update_id -> False for those handled before (repeats)."""
    if not payloads:
        return {}
    rows = [
        {
            "update_id": update_id,
            "payload": payload,
            "received_at": now,
            "sender_id": sender_of(payload),
        }
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
        rows = []
        for i in sorted(unseen):
            payload = payloads[i]()
            rows.append(
                {
                    "update_id": i,
                    "payload": payload,
                    "received_at": now,
                    "handled_at": now,
                    "sender_id": sender_of(payload),
                }
            )
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


def prune_updates(
    session: Session, *, now: datetime, retention: timedelta, known_users: Iterable[int] = ()
) -> int:
    """Drop the payloads that neither replay nor idempotency needs; how many were dropped.

    The id and the times of every update stay (a repeated update is still recognised);
    an unhandled update keeps its payload (it is replayed). A handled one keeps it for
    `retention` when it came from a contact or a coordinator (`known_users` adds those
    configured outside the database), and not at all when it came from anyone else.
    """
    handled = ProcessedUpdate.handled_at.is_not(None) & ProcessedUpdate.payload.is_not(None)
    expired = session.execute(
        update(ProcessedUpdate)
        .where(handled, ProcessedUpdate.handled_at < now - retention)
        .values(payload=null())
    )
    return rowcount(expired) + forget_strangers(session, known_users=known_users)


def forget_strangers(session: Session, *, known_users: Iterable[int] = ()) -> int:
    """Drop the payloads of handled updates from users who are not contacts or
    coordinators (`known_users`: those configured outside the database)."""
    handled = ProcessedUpdate.handled_at.is_not(None) & ProcessedUpdate.payload.is_not(None)
    known = select(Contact.user_id).where(Contact.user_id.is_not(None))
    stranger = ProcessedUpdate.sender_id.is_(None) | ProcessedUpdate.sender_id.not_in(known)
    configured = list(known_users)
    if configured:
        stranger = stranger & (
            ProcessedUpdate.sender_id.is_(None) | ProcessedUpdate.sender_id.not_in(configured)
        )
    dropped = session.execute(
        update(ProcessedUpdate).where(handled, stranger).values(payload=null())
    )
    return rowcount(dropped)
