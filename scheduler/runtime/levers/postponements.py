"""Postponement requests: filed for the coordinators, approved, refused with a reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from messages.levers import Lever, postponement_keyboard
from messages.say import Notice, say
from models.chats.questions import resolve
from models.levers import (
    Actor,
    LeverRefusedError,
    approve_postponement,
    item_state,
    refuse_postponement,
    request_postponement,
)
from models.levers.actors import bound_actor
from models.levers.people import agency_chats
from models.levers.postponements import Decision
from models.levers.questions import REFUSAL_REASON, ask_coordinator
from models.outbox.deliveries import coordinator_chats
from models.schema.chats import PendingQuestion
from models.schema.people import Agency
from models.schema.statuses import PostponementRequest
from scheduler.rules.domain import DateWindow
from scheduler.runtime.levers.press import LeverReply, Press, Who
from scheduler.runtime.options import Options


def _request_facts(session: Session, request: PostponementRequest) -> dict[str, Any]:
    state = item_state(session, item_id=request.item_id)
    agency = session.get(Agency, request.agency_id)
    return {
        "number": state.number,
        "title": state.title,
        "agency": agency.name if agency else "",
    }


def _outcome_notices(p: Press, decision: Decision, facts: dict[str, Any]) -> list[Notice]:
    """The agency's chats told of the decision."""
    said = p.say(
        "levers/outcome.j2",
        approved=decision.approved,
        number=facts["number"],
        title=facts["title"],
        binding=decision.binding,
        reason=decision.reason,
    )
    return [Notice(chat, said) for chat in agency_chats(p.session, agency_id=decision.agency_id)]


def _decided(p: Press, decision: Decision) -> LeverReply:
    request = p.session.get_one(PostponementRequest, decision.request_id)
    facts = _request_facts(p.session, request)
    if decision.changed:
        p.replan(
            decision.item_id, "перенос согласован" if decision.approved else "перенос отклонён"
        )
    notices = _outcome_notices(p, decision, facts) if decision.changed else []
    said = p.say(
        "levers/decided.j2",
        changed=decision.changed,
        approved=decision.approved,
        binding=decision.binding,
        told=bool(notices),
        **facts,
    )
    return LeverReply(said, postponement_keyboard(request.id, state=request.state), notices=notices)


def approve(p: Press) -> LeverReply:
    """«Согласовать»."""
    (request_id,) = p.lever.ids
    decision = approve_postponement(p.session, actor=p.actor, request_id=request_id, now=p.now)
    return _decided(p, decision)


def ask_refusal(p: Press) -> LeverReply:
    """«Отклонить»: ask for the reason in words."""
    (request_id,) = p.lever.ids
    request = p.session.get(PostponementRequest, request_id)
    if request is None or request.state not in ("pending", "approved"):
        raise LeverRefusedError("stale")
    facts = _request_facts(p.session, request)
    actor = bound_actor(p.session, actor=p.actor, now=p.now, username=p.who.username)
    question = ask_coordinator(
        p.session,
        actor=actor,
        chat_id=p.who.chat_id,
        kind=REFUSAL_REASON,
        item_id=request.item_id,
        agency_id=request.agency_id,
        payload={"request_id": request.id},
        now=p.now,
    )
    said = p.say("levers/ask_reason.j2", number=facts["number"], agency=facts["agency"])
    return LeverReply(said, force_reply=True, question_id=question.id)


def refuse_with(
    session: Session,
    options: Options,
    *,
    actor: Actor,
    question: PendingQuestion,
    reason: str,
    now: datetime,
    today: date,
) -> LeverReply:
    """The reason a coordinator typed after «Отклонить»: the request is refused."""
    resolve(session, question_id=question.id, now=now)
    lever = Lever("pr", (int(question.payload["request_id"]),))
    who = Who(actor.user_id, actor.name, None, 0)
    press = Press(session, options, actor, who, lever, now, today)
    decision = refuse_postponement(
        session, actor=actor, request_id=lever.ids[0], reason=reason, now=now
    )
    return _decided(press, decision)


def postponement_notices(
    session: Session,
    options: Options,
    *,
    now: datetime,
    item_id: int,
    agency_id: int,
    contact_id: int,
    author: str,
    windows: list[DateWindow],
    text: str,
    binding: list[DateWindow],
) -> list[Notice]:
    """File a contact's confirmed «Перенос» as a request; what each coordinator chat gets
    («Согласовать» / «Отклонить» under it)."""
    request = request_postponement(
        session,
        item_id=item_id,
        agency_id=agency_id,
        contact_id=contact_id,
        author=author,
        windows=windows,
        text=text,
        now=now,
    )
    facts = _request_facts(session, request)
    shown = say(
        "levers/postponement.j2",
        windows=windows,
        binding=binding,
        text=text,
        author=author,
        at=now,
        timezone=options.timezone,
        state="pending",
        **facts,
    )
    keyboard = postponement_keyboard(request.id, state="pending")
    chats = {chat for _, chat in coordinator_chats(session)}
    chats |= set(options.coordinator_ids)
    return [Notice(chat, shown, keyboard) for chat in sorted(chats)]
