"""Telegram people: binding them to an agency, their roles, who gets what."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from models.db import rowcount
from models.schema.people import Agency, AgencyAlias, Contact
from models.schema.reminders import Delivery
from scheduler.rules.domain import ReminderState, Role
from scheduler.rules.numbers import parse_id


class AgencyNotFoundError(Exception):
    """No agency matches what was asked for."""

    def __init__(self, query: str) -> None:
        self.query = query
        super().__init__(f"орган «{query}» не найден")


class AmbiguousAgencyError(Exception):
    """Several agencies match; the message lists them."""

    def __init__(self, query: str, names: list[str]) -> None:
        self.query = query
        self.names = names
        listed = "; ".join(names[:5])
        super().__init__(f"«{query}» подходит нескольким органам: {listed}")


def find_agency(session: Session, *, query: str) -> Agency:
    """The agency named by its id, exact name, alias, or a unique part of its name."""
    text = " ".join(query.split())
    agency_id = parse_id(text)
    if agency_id is not None:
        agency = session.get(Agency, agency_id)
        if agency is not None:
            return agency
    lowered = text.lower()
    exact = (
        session.scalars(
            select(Agency)
            .outerjoin(AgencyAlias)
            .where(or_(func.lower(Agency.name) == lowered, AgencyAlias.alias == lowered))
        )
        .unique()
        .all()
    )
    if len(exact) == 1:
        return exact[0]
    # SQLite's lower() folds ASCII only, so compare Cyrillic in Python.
    matches = [
        a
        for a in session.scalars(select(Agency).order_by(Agency.name))
        if lowered in a.name.lower()
    ]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise AgencyNotFoundError(text)
    raise AmbiguousAgencyError(text, [a.name for a in matches])


def bind_contact(
    session: Session,
    *,
    user_id: int | None,
    chat_id: int,
    agency_id: int | None,
    role: Role,
    now: datetime,
    name: str = "",
    username: str | None = None,
    is_group: bool = False,
    keep_others: bool = False,
) -> Contact:
    """Bind a chat to an agency (or as a coordinator). A person answers for one agency
    unless `keep_others` (an addition they confirmed): then for this one as well."""
    if role == Role.CONTACT and not keep_others:
        # Binding to another agency ends the chat's earlier contact binding.
        session.execute(
            update(Contact)
            .where(
                Contact.chat_id == chat_id,
                Contact.role == Role.CONTACT,
                Contact.agency_id != agency_id,
                Contact.active.is_(True),
            )
            .values(active=False, inactive_reason="rebound")
        )
    contact = session.scalars(
        select(Contact).where(
            Contact.chat_id == chat_id,
            Contact.role == role,
            Contact.agency_id.is_(None) if agency_id is None else Contact.agency_id == agency_id,
        )
    ).first()
    if contact is None:
        contact = Contact(chat_id=chat_id, agency_id=agency_id, role=role, created_at=now)
        session.add(contact)
    contact.user_id = user_id
    contact.name = name
    contact.username = username
    contact.is_group = is_group
    contact.active = True
    contact.inactive_reason = None
    session.flush()
    return contact


def _agency_contact_query(*columns: Any) -> Select[Any]:
    """The latest active contact binding of the chat in the `chat_id` parameter."""
    return (
        select(*columns)
        .where(
            Contact.chat_id == bindparam("chat_id"),
            Contact.role == Role.CONTACT,
            Contact.active.is_(True),
        )
        .order_by(Contact.id.desc())
        .limit(1)
    )


# Built once: every press and every message from a contact looks its binding up.
_AGENCY_CONTACT = _agency_contact_query(Contact)
#: Its id, for queries that join the binding (a button press: models.statuses.contact).
AGENCY_CONTACT_ID = _agency_contact_query(Contact.id).scalar_subquery()


def agency_contact(
    session: Session, *, chat_id: int, agency_id: int | None = None
) -> Contact | None:
    """The active contact binding of a private chat, if any; with `agency_id`, its binding
    to that agency first (a person may answer for several)."""
    if agency_id is not None:
        found = session.scalars(
            select(Contact).where(
                Contact.chat_id == chat_id,
                Contact.role == Role.CONTACT,
                Contact.active.is_(True),
                Contact.agency_id == agency_id,
            )
        ).first()
        if found is not None:
            return found
    return session.scalars(_AGENCY_CONTACT, {"chat_id": chat_id}).first()


def contact_bindings(session: Session, *, chat_id: int) -> list[Contact]:
    """Every active contact binding of a chat, oldest first (a person may answer for
    several agencies)."""
    return list(
        session.scalars(
            select(Contact)
            .where(
                Contact.chat_id == chat_id,
                Contact.role == Role.CONTACT,
                Contact.active.is_(True),
                Contact.agency_id.is_not(None),
            )
            .order_by(Contact.id)
        )
    )


def coordinator_contact(session: Session, *, chat_id: int) -> Contact | None:
    """The active coordinator binding of a chat (private or group), if any."""
    return session.scalars(
        select(Contact)
        .where(
            Contact.chat_id == chat_id,
            Contact.role == Role.COORDINATOR,
            Contact.active.is_(True),
        )
        .limit(1)
    ).first()


def deactivate_chat(session: Session, *, chat_id: int, reason: str) -> int:
    """Mark every binding of a chat inactive (the user blocked the bot); returns how many."""
    result = session.execute(
        update(Contact)
        .where(Contact.chat_id == chat_id, Contact.active.is_(True))
        .values(active=False, inactive_reason=reason)
    )
    return rowcount(result)


def move_chat(session: Session, *, old_chat_id: int, new_chat_id: int) -> int:
    """A group upgraded to a supergroup: its bindings, and what is still to be sent
    there, move to the new chat id; returns how many bindings moved.

    Telegram says so twice (the service message, and a 400 naming the new id on any
    send), so a second call moves nothing; a binding the new chat already has is kept and
    the old chat's twin is dropped.
    """
    moved = 0
    # Locked: the two service messages (in the old chat and the new) are handled at once;
    # the second waits here, then finds the row already moved and leaves it alone.
    bindings = select(Contact).where(Contact.chat_id == old_chat_id).with_for_update()
    for contact in session.scalars(bindings):
        twin = session.scalars(
            select(Contact.id).where(
                Contact.id != contact.id,
                Contact.chat_id == new_chat_id,
                Contact.role == contact.role,
                Contact.agency_id.is_(None)
                if contact.agency_id is None
                else Contact.agency_id == contact.agency_id,
            )
        ).first()
        if twin is not None:
            contact.active, contact.inactive_reason = False, "migrated"
            continue
        contact.chat_id = new_chat_id
        moved += 1
    session.execute(
        update(Delivery)
        .where(
            Delivery.chat_id == old_chat_id,
            Delivery.state.in_((ReminderState.PENDING, ReminderState.SENDING)),
        )
        .values(chat_id=new_chat_id)
    )
    session.flush()
    return moved
