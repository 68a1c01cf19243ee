"""An agency's people: its contacts, taking one off, invites."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from bot.levers.press import LeverReply, Press
from bot.services import Services
from messages import render
from messages.levers import people_keyboard
from models.chats.invites import create_invite
from models.levers import LeverRefusedError, agency_people, deactivate_contact
from models.schema.people import Agency, Contact
from scheduler.rules.domain import Role


def people(p: Press) -> LeverReply:
    """The agency's contacts, each with «Отключить»."""
    (agency_id,) = p.lever.ids
    found = agency_people(p.session, agency_id=agency_id)
    text = p.say("levers/people.j2", agency=found.agency, people=found.people)
    rows = [(person.contact_id, person.name or str(person.contact_id)) for person in found.people]
    return LeverReply(text, people_keyboard(agency_id, rows))


def remove_contact(p: Press) -> LeverReply:
    """«Отключить»: the contact gets nothing more."""
    (contact_id,) = p.lever.ids
    contact = p.session.get(Contact, contact_id)
    was_active = bool(contact and contact.active)
    contact = deactivate_contact(p.session, actor=p.actor, contact_id=contact_id, now=p.now)
    agency = contact.agency.name if contact.agency else ""
    text = p.say(
        "levers/contact_removed.j2", changed=was_active, person=contact.name, agency=agency
    )
    assert contact.agency_id is not None
    return LeverReply(text, people_keyboard(contact.agency_id, []))


def invite_text(
    session: Session,
    services: Services,
    *,
    agency_id: int | None,
    role: Role,
    created_by: int | None,
    bot_username: str | None,
) -> str:
    """A fresh invite for a contact of the agency, or for a coordinator."""
    if agency_id is not None and session.get(Agency, agency_id) is None:
        raise LeverRefusedError("stale")
    invite = create_invite(
        session,
        agency_id=agency_id,
        role=role,
        now=services.clock(),
        ttl=timedelta(days=services.settings.srok_invite_ttl_days),
        created_by=created_by,
    )
    return render(
        "reports/invite.j2",
        problem=None,
        invite=invite,
        username=bot_username or services.settings.telegram_bot_username,
        timezone=services.settings.srok_timezone,
    )


def invite(p: Press) -> LeverReply:
    """An invite for a contact of the agency, or for a coordinator."""
    agency_id = p.lever.ids[0] if p.lever.ids else None
    role = Role.CONTACT if agency_id is not None else Role.COORDINATOR
    text = invite_text(
        p.session,
        p.services,
        agency_id=agency_id,
        role=role,
        created_by=p.actor.contact_id,
        bot_username=p.bot_username,
    )
    return LeverReply(text)
