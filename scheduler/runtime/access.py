"""Who may touch what: a contact's every press and words are checked against the database
here, by the use cases that act on them (`presses`, `confirmations`, `answers`).

A refusal is `Refused(reason)`; the bot answers it with one polite line
(bot/refused.j2 picks the wording by `reason`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from models.chats.contacts import agency_contact
from models.chats.questions import open_by_id
from models.schema.chats import PendingQuestion
from models.schema.people import Contact
from models.statuses.agency_items import answers_for
from models.statuses.contact import PressContact, PressTarget, press_target


class Refused(Exception):
    """The user may not do this; `reason` picks the polite reply (bot/refused.j2)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"отказано: {reason}")


def contact_for(
    session: Session, *, chat_id: int, user_id: int, agency_id: int | None = None
) -> Contact:
    """The active contact writing in their own private chat (with `agency_id`: their
    binding to that agency, when they answer for several)."""
    contact = agency_contact(session, chat_id=chat_id, agency_id=agency_id)
    if contact is None or contact.user_id != user_id or contact.agency_id is None:
        raise Refused("not_contact")
    return contact


def reminder_for_press(
    session: Session, *, reminder_id: int, chat_id: int, user_id: int, message_id: int | None
) -> tuple[PressTarget, PressContact]:
    """A reminder button pressed by a contact of its agency, on the message that carried it."""
    target = press_target(session, reminder_id=reminder_id, chat_id=chat_id, message_id=message_id)
    if target is None:  # refused either way; which reason depends on the chat
        contact_for(session, chat_id=chat_id, user_id=user_id)
        raise Refused("unknown")
    contact = target.contact
    if contact is not None and contact.agency_id != target.agency_id:
        # A person answering for several agencies: their binding to this reminder's one.
        own = agency_contact(session, chat_id=chat_id, agency_id=target.agency_id)
        if own is not None and own.agency_id == target.agency_id:
            contact = PressContact(own.id, own.user_id, own.agency_id, own.name)
    if contact is None or contact.user_id != user_id or contact.agency_id is None:
        raise Refused("not_contact")
    # Another agency's reminder, data copied onto another message, or a reminder never
    # sent here: forged.
    if target.agency_id != contact.agency_id or not target.delivered:
        raise Refused("foreign")
    if not target.answers:
        raise Refused("stale")
    return target, contact


def question_for_press(
    session: Session,
    *,
    question_id: int,
    chat_id: int,
    user_id: int,
    message_id: int | None,
    now: datetime,
) -> tuple[PendingQuestion, Contact]:
    """An open question (a confirmation, «which item?») asked of this very contact here."""
    contact = contact_for(session, chat_id=chat_id, user_id=user_id)
    question = open_by_id(session, question_id=question_id, now=now)
    # A contact's questions are always about an item of an agency (a lever's may not be).
    if question is None or question.agency_id is None:
        raise Refused("stale")
    if question.agency_id != contact.agency_id:  # a person answering for several agencies
        contact = contact_for(
            session, chat_id=chat_id, user_id=user_id, agency_id=question.agency_id
        )
    if question.chat_id != chat_id or question.contact_id != contact.id:
        raise Refused("foreign")
    if question.message_id is not None and question.message_id != message_id:
        raise Refused("foreign")
    if not answers_for(session, item_id=question.item_id, agency_id=question.agency_id):
        raise Refused("stale")
    return question, contact
