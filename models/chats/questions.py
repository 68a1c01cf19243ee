"""Questions the bot waits on (a comment, a new date, a confirmation), kept in the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from models.db import rowcount
from models.schema.chats import PendingQuestion

COMMENT = "comment"
NEW_DATE = "new_date"
CONFIRM_STATUS = "confirm_status"
CONFIRM_DATE = "confirm_date"
#: «Назовите, пожалуйста, дату»: the date of an undated or tentative item (not a «Перенос»).
NAME_DATE = "name_date"
#: Several items a text may be about: the contact picks one with a button.
CHOOSE_ITEM = "choose_item"
#: Questions answered in words; the others are answered with a button.
TEXT_KINDS = frozenset({COMMENT, NEW_DATE, NAME_DATE})
#: How long the bot waits for an answer.
QUESTION_TTL = timedelta(days=7)


def open_question(
    session: Session,
    *,
    contact_id: int,
    chat_id: int,
    kind: str,
    item_id: int,
    agency_id: int | None,
    now: datetime,
    reminder_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> PendingQuestion:
    """Ask something new in a chat; an older open question of that chat is superseded."""
    session.execute(
        update(PendingQuestion)
        .where(PendingQuestion.chat_id == chat_id, PendingQuestion.resolved_at.is_(None))
        .values(resolved_at=now)
    )
    question = PendingQuestion(
        contact_id=contact_id,
        chat_id=chat_id,
        kind=kind,
        item_id=item_id,
        agency_id=agency_id,
        reminder_id=reminder_id,
        payload=payload or {},
        created_at=now,
        expires_at=now + QUESTION_TTL,
    )
    session.add(question)
    session.flush()
    return question


def attach_message(session: Session, *, question_id: int, message_id: int) -> None:
    """Remember the bot's message that asked, so that a reply to it finds the question."""
    session.execute(
        update(PendingQuestion)
        .where(PendingQuestion.id == question_id)
        .values(message_id=message_id)
    )


def _open(now: datetime) -> Select[tuple[PendingQuestion]]:
    return select(PendingQuestion).where(
        PendingQuestion.resolved_at.is_(None), PendingQuestion.expires_at > now
    )


def open_by_id(session: Session, *, question_id: int, now: datetime) -> PendingQuestion | None:
    """An open, unexpired question by id."""
    return session.scalars(_open(now).where(PendingQuestion.id == question_id)).first()


def for_reply(
    session: Session, *, chat_id: int, message_id: int, now: datetime
) -> PendingQuestion | None:
    """The open question asked by the message a reply answers."""
    return session.scalars(
        _open(now)
        .where(PendingQuestion.chat_id == chat_id, PendingQuestion.message_id == message_id)
        .limit(1)
    ).first()


def asked_by(session: Session, *, chat_id: int, message_id: int) -> PendingQuestion | None:
    """The question (open or answered) the bot asked with this message: a reply to it is
    about its item even after it was answered."""
    return session.scalars(
        select(PendingQuestion)
        .where(PendingQuestion.chat_id == chat_id, PendingQuestion.message_id == message_id)
        .order_by(PendingQuestion.id.desc())
        .limit(1)
    ).first()


def awaiting_text(session: Session, *, chat_id: int, now: datetime) -> PendingQuestion | None:
    """The newest open question of a chat that is answered in words."""
    return session.scalars(
        _open(now)
        .where(PendingQuestion.chat_id == chat_id, PendingQuestion.kind.in_(TEXT_KINDS))
        .order_by(PendingQuestion.id.desc())
        .limit(1)
    ).first()


def resolve(session: Session, *, question_id: int, now: datetime) -> bool:
    """Close a question once; False when it was already closed (a repeated press)."""
    result = session.execute(
        update(PendingQuestion)
        .where(PendingQuestion.id == question_id, PendingQuestion.resolved_at.is_(None))
        .values(resolved_at=now)
    )
    return bool(rowcount(result))
