"""An agency's people as a coordinator sees them, and taking one of them off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from models.levers.actors import Actor, LeverRefusedError
from models.schema.people import Agency, Contact
from models.schema.reminders import Delivery
from models.schema.statuses import StatusReport
from scheduler.rules.domain import ReminderState, Role

#: Why a coordinator's removal made a contact inactive; who and when follow.
REMOVED = "removed by coordinator"


@dataclass(frozen=True)
class Person:
    contact_id: int
    name: str
    username: str | None
    #: When they last answered anything (a status or a comment); None: never.
    last_answer: datetime | None


@dataclass(frozen=True)
class AgencyPeople:
    agency_id: int
    agency: str
    people: list[Person]


def agency_people(session: Session, *, agency_id: int) -> AgencyPeople:
    """The agency's active contacts, the ones who answered most recently first."""
    agency = session.get(Agency, agency_id)
    if agency is None:
        raise LeverRefusedError("stale")
    last = (
        select(StatusReport.contact_id, func.max(StatusReport.created_at).label("at"))
        .group_by(StatusReport.contact_id)
        .subquery()
    )
    rows = session.execute(
        select(Contact.id, Contact.name, Contact.username, last.c.at)
        .outerjoin(last, last.c.contact_id == Contact.id)
        .where(
            Contact.agency_id == agency_id,
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
        .order_by(Contact.name, Contact.id)
    ).all()
    people = [Person(cid, name, username, at) for cid, name, username, at in rows]
    people.sort(key=lambda p: p.last_answer is None)
    return AgencyPeople(agency.id, agency.name, people)


def deactivate_contact(
    session: Session, *, actor: Actor, contact_id: int, now: datetime
) -> Contact:
    """Take a contact off: inactive, their deliveries not yet sent cancelled. Undone by a
    new invite. Raises LeverRefusedError for a coordinator or an unknown contact."""
    contact = session.get(Contact, contact_id)
    if contact is None or contact.role != Role.CONTACT or contact.agency_id is None:
        raise LeverRefusedError("stale")
    if contact.active:
        contact.active = False
        contact.inactive_reason = f"{REMOVED}: {actor.name}, {now}"
        session.execute(
            update(Delivery)
            .where(
                Delivery.contact_id == contact_id,
                Delivery.state == ReminderState.PENDING,
            )
            .values(state=ReminderState.CANCELLED, last_error="контакт отключён координатором")
        )
        session.flush()
    return contact


def agency_chats(session: Session, *, agency_id: int) -> list[int]:
    """The private chats of the agency's active contacts (told a decision on their item)."""
    return list(
        session.scalars(
            select(Contact.chat_id)
            .where(
                Contact.agency_id == agency_id,
                Contact.role == Role.CONTACT,
                Contact.active.is_(True),
            )
            .distinct()
            .order_by(Contact.chat_id)
        )
    )
