"""Words a coordinator types for a lever: a refusal's reason, a body's name."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from messages.levers import choices_keyboard
from messages.say import say
from models.levers import LeverRefusedError, body_choices, item_state
from models.levers.questions import REFUSAL_REASON, awaiting_lever, keep_payload
from models.schema.people import Contact
from scheduler.runtime.levers.postponements import refuse_with
from scheduler.runtime.levers.press import LeverReply, Who, actor_of
from scheduler.runtime.options import Options


def answer_coordinator(
    session: Session, options: Options, *, who: Who, text: str, now: datetime, today: date
) -> LeverReply | None:
    """A coordinator's words answering a lever's question; None when none is open."""
    question = awaiting_lever(session, chat_id=who.chat_id, now=now)
    asked = session.get(Contact, question.contact_id) if question is not None else None
    if question is None or asked is None or asked.user_id != who.user_id:
        return None  # no lever asked this person (in a group, someone else talking)
    actor = actor_of(session, options, who)
    words = " ".join(text.split())
    if question.kind == REFUSAL_REASON:
        if not words:
            raise LeverRefusedError("no_reason")
        return refuse_with(
            session, options, actor=actor, question=question, reason=words, now=now, today=today
        )
    payload = {**question.payload, "name": words[:300]}
    keep_payload(session, question_id=question.id, payload=payload)
    replaced_id = int(payload.get("replaced") or 0)
    found = body_choices(session, item_id=question.item_id, query=words)
    state = item_state(session, item_id=question.item_id)
    replaced = next((name for aid, name, _ in state.bodies if aid == replaced_id), None)
    shown = say(
        "levers/choose_body.j2",
        number=state.number,
        replaced=replaced,
        query=words,
        found=bool(found),
    )
    keyboard = choices_keyboard(
        question.item_id,
        replaced_id,
        [(a.id, a.name) for a in found],
        typed=(question.id, words),
    )
    return LeverReply(shown, keyboard)
