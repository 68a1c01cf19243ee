"""Questions the bot asks a coordinator in words: a refusal's reason, a body's name."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.chats.questions import open_question
from models.levers.actors import Actor
from models.schema.chats import PendingQuestion

#: Why a postponement is refused (payload: request_id).
REFUSAL_REASON = "lever_refuse"
#: Which body to add or put instead of another (payload: replaced, name).
BODY_NAME = "lever_body"
LEVER_KINDS = frozenset({REFUSAL_REASON, BODY_NAME})
#: A lever's question lapses sooner than a contact's: the coordinator's later words in the
#: chat should not be taken as a body's name days after they pressed «Добавить орган».
LEVER_QUESTION_TTL = timedelta(hours=12)


def ask_coordinator(
    session: Session,
    *,
    actor: Actor,
    chat_id: int,
    kind: str,
    item_id: int,
    agency_id: int | None,
    payload: dict[str, Any],
    now: datetime,
) -> PendingQuestion:
    """Open a question for a bound coordinator (`actor.contact_id` set) in their chat."""
    assert actor.contact_id is not None
    question = open_question(
        session,
        contact_id=actor.contact_id,
        chat_id=chat_id,
        kind=kind,
        item_id=item_id,
        agency_id=agency_id,
        now=now,
        payload=payload,
    )
    question.expires_at = now + LEVER_QUESTION_TTL
    session.flush()
    return question


def awaiting_lever(session: Session, *, chat_id: int, now: datetime) -> PendingQuestion | None:
    """The chat's newest open question of a coordinator's lever."""
    return session.scalars(
        select(PendingQuestion)
        .where(
            PendingQuestion.chat_id == chat_id,
            PendingQuestion.kind.in_(LEVER_KINDS),
            PendingQuestion.resolved_at.is_(None),
            PendingQuestion.expires_at > now,
        )
        .order_by(PendingQuestion.id.desc())
        .limit(1)
    ).first()


def lever_question(
    session: Session, *, question_id: int, chat_id: int, now: datetime
) -> PendingQuestion | None:
    """An open lever question of this chat by id (a «Новый орган» button carries it)."""
    return session.scalars(
        select(PendingQuestion).where(
            PendingQuestion.id == question_id,
            PendingQuestion.chat_id == chat_id,
            PendingQuestion.kind.in_(LEVER_KINDS),
            PendingQuestion.resolved_at.is_(None),
            PendingQuestion.expires_at > now,
        )
    ).first()


def keep_payload(session: Session, *, question_id: int, payload: dict[str, Any]) -> None:
    """Store what the coordinator typed with the question (a «Новый орган» press reads it)."""
    session.execute(
        update(PendingQuestion).where(PendingQuestion.id == question_id).values(payload=payload)
    )
