"""Who may touch what: every press and command is checked against the database here."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from models.chats.contacts import agency_contact
from models.chats.questions import open_by_id
from models.schema.chats import PendingQuestion
from models.schema.people import Contact
from models.statuses.agency_items import answers_for
from models.statuses.contact import PressContact, PressTarget, press_target
from scheduler.rules.domain import Status
from scheduler.rules.numbers import parse_id

#: Button codes of a reminder (`st:<reminder_id>:<code>`); `cm` asks for a comment.
STATUS_CODES = {
    "ip": Status.IN_PROGRESS,
    "dn": Status.DONE,
    "pp": Status.POSTPONED,
    "cn": Status.CANCELLED,
}
COMMENT_CODE = "cm"
#: «Назвать дату» on a date request: asks for the date in words.
NAME_DATE_CODE = "dt"
_STATUS_DATA = re.compile(r"st:([0-9]{1,18}):(ip|dn|pp|cn|cm|dt)", re.ASCII)
_QUESTION_DATA = re.compile(r"(ok|no):([0-9]{1,18})", re.ASCII)


class Refused(Exception):
    """The user may not do this; `reason` picks the polite reply (bot/refused.j2)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"отказано: {reason}")


def parse_status_data(data: str | None) -> tuple[int, str]:
    """(reminder_id, code) from `st:<reminder_id>:<code>`; anything else is malformed."""
    match = _STATUS_DATA.fullmatch(data or "")
    reminder_id = parse_id(match.group(1)) if match else None
    if match is None or reminder_id is None:
        raise Refused("malformed")
    return reminder_id, match.group(2)


def parse_question_data(data: str | None) -> tuple[bool, int]:
    """(confirmed, question_id) from `ok:<id>` / `no:<id>`."""
    match = _QUESTION_DATA.fullmatch(data or "")
    question_id = parse_id(match.group(2)) if match else None
    if match is None or question_id is None:
        raise Refused("malformed")
    return match.group(1) == "ok", question_id


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
    """An open confirmation asked of this very contact in this chat."""
    contact = contact_for(session, chat_id=chat_id, user_id=user_id)
    question = open_by_id(session, question_id=question_id, now=now)
    if question is None:
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
