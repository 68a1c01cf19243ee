"""Who pulls a lever: a coordinator, re-read from the database on every press."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.chats.contacts import bind_contact
from models.chats.coordinators import is_coordinator
from models.schema.people import Contact
from scheduler.rules.domain import Role


class LeverRefusedError(Exception):
    """A lever that may not be pulled; `reason` picks the reply (bot/lever_refused.j2)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"рычаг недоступен: {reason}")


@dataclass(frozen=True)
class Actor:
    """A coordinator as the history shows them; `contact_id` None for one configured only
    by SROK_COORDINATOR_IDS and never bound."""

    user_id: int
    name: str
    contact_id: int | None


def coordinator_actor(
    session: Session, *, user_id: int, name: str, configured: Collection[int] = ()
) -> Actor:
    """The coordinator pressing; raises LeverRefusedError for anyone else."""
    if not is_coordinator(session, user_id=user_id, configured=configured):
        raise LeverRefusedError("not_coordinator")
    contact_id = session.scalar(
        select(Contact.id)
        .where(
            Contact.user_id == user_id,
            Contact.role == Role.COORDINATOR,
            Contact.active.is_(True),
        )
        .order_by(Contact.is_group, Contact.id)
        .limit(1)
    )
    return Actor(user_id, name, contact_id)


def bound_actor(
    session: Session, *, actor: Actor, now: datetime, username: str | None = None
) -> Actor:
    """`actor` with a contact row (their private chat), bound on first need as /start does
    for a configured coordinator: a question the bot waits on belongs to a contact."""
    if actor.contact_id is not None:
        return actor
    contact = bind_contact(
        session,
        user_id=actor.user_id,
        chat_id=actor.user_id,
        agency_id=None,
        role=Role.COORDINATOR,
        now=now,
        name=actor.name,
        username=username,
    )
    return Actor(actor.user_id, actor.name, contact.id)
