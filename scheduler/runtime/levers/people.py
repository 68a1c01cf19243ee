"""An agency's people: its contacts, taking one off, invites."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from messages.levers import people_keyboard
from messages.say import Say, say
from models.chats.invites import create_invite
from models.levers import LeverRefusedError, agency_people, deactivate_contact
from models.schema.people import Agency, Contact
from scheduler.rules.domain import Role
from scheduler.runtime.levers.press import LeverReply, Press
from scheduler.runtime.options import Options


def people(p: Press) -> LeverReply:
    """The agency's contacts, each with «Отключить»."""
    (agency_id,) = p.lever.ids
    found = agency_people(p.session, agency_id=agency_id)
    said = p.say("levers/people.j2", agency=found.agency, people=found.people)
    rows = [(person.contact_id, person.name or str(person.contact_id)) for person in found.people]
    return LeverReply(said, people_keyboard(agency_id, rows))


def remove_contact(p: Press) -> LeverReply:
    """«Отключить»: the contact gets nothing more."""
    (contact_id,) = p.lever.ids
    contact = p.session.get(Contact, contact_id)
    was_active = bool(contact and contact.active)
    contact = deactivate_contact(p.session, actor=p.actor, contact_id=contact_id, now=p.now)
    agency = contact.agency.name if contact.agency else ""
    said = p.say(
        "levers/contact_removed.j2", changed=was_active, person=contact.name, agency=agency
    )
    assert contact.agency_id is not None
    return LeverReply(said, people_keyboard(contact.agency_id, []))


def new_invite(
    session: Session,
    options: Options,
    *,
    now: datetime,
    agency_id: int | None,
    role: Role,
    created_by: int | None,
    bot_username: str | None,
) -> Say:
    """A fresh invite for a contact of the agency, or for a coordinator (`bot_username`
    for the link)."""
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise LeverRefusedError("stale")
    invite = create_invite(
        session,
        agency_id=agency_id,
        role=role,
        now=now,
        ttl=options.invite_ttl,
        created_by=created_by,
    )
    return say(
        "reports/invite.j2",
        problem=None,
        invite=invite,
        username=bot_username,
        timezone=options.timezone,
    )


def invite(p: Press) -> LeverReply:
    """An invite for a contact of the agency, or for a coordinator."""
    agency_id = p.lever.ids[0] if p.lever.ids else None
    role = Role.CONTACT if agency_id is not None else Role.COORDINATOR
    said = new_invite(
        p.session,
        p.options,
        now=p.now,
        agency_id=agency_id,
        role=role,
        created_by=p.actor.contact_id,
        bot_username=p.bot_username,
    )
    return LeverReply(said)
