"""Who may ask for coordinator reports."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.people import Contact
from scheduler.rules.domain import Role


def is_coordinator(session: Session, *, user_id: int, configured: Collection[int] = ()) -> bool:
    """True for a Telegram user listed in the settings or bound as an active coordinator."""
    if user_id in configured:
        return True
    found = session.scalar(
        select(Contact.id)
        .where(
            Contact.user_id == user_id,
            Contact.role == Role.COORDINATOR,
            Contact.active.is_(True),
        )
        .limit(1)
    )
    return found is not None
