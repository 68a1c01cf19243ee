"""What each lever button does, in a worker thread: check, act, re-plan, say.

Every press opens its own transaction, re-reads the coordinator's role and the target
(`models.levers`), and returns a `LeverReply` for the handler to send; nothing here talks
to Telegram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.chat import local_today
from bot.replanning import replan
from bot.services import Services
from messages import render
from messages.levers import (
    Keyboard,
    Lever,
    agency_keyboard,
    bodies_keyboard,
    body_keyboard,
    choices_keyboard,
    item_keyboard,
    parse_lever,
    people_keyboard,
    postponement_keyboard,
)
from models.base import ReminderState, Role
from models.contacts import AgencyNotFoundError, AmbiguousAgencyError, find_agency
from models.deliveries import coordinator_chats
from models.invites import create_invite
from models.levers import (
    Actor,
    LeverRefusedError,
    add_body,
    agency_people,
    approve_postponement,
    body_choices,
    close_item,
    coordinator_actor,
    deactivate_contact,
    item_state,
    new_body,
    refuse_postponement,
    remove_body,
    reopen_item,
    replace_body,
    request_postponement,
    set_status,
)
from models.levers.actors import bound_actor
from models.levers.control import live_items, remind_body
from models.levers.people import agency_chats
from models.levers.postponements import Decision
from models.levers.questions import (
    BODY_NAME,
    REFUSAL_REASON,
    ask_coordinator,
    awaiting_lever,
    keep_payload,
    lever_question,
)
from models.outbox import PendingQuestion, PostponementRequest, Reminder
from models.people import Agency, Contact
from models.questions import resolve
from models.windows import DateWindow


@dataclass(frozen=True)
class Who:
    """The Telegram user pressing, as the history will name them."""

    user_id: int
    name: str
    username: str | None
    chat_id: int


@dataclass
class LeverReply:
    """What to send: a new message in the chat (or an edit of the pressed one), notices to
    other chats, and the question the new message asks (its id is attached once sent)."""

    text: str
    keyboard: Keyboard = ()
    edit: bool = False
    force_reply: bool = False
    question_id: int | None = None
    notices: list[tuple[int, str, Keyboard]] = field(default_factory=list)


@dataclass(frozen=True)
class _Press:
    session: Session
    services: Services
    actor: Actor
    who: Who
    lever: Lever
    now: datetime
    #: The bot's @name for invite links (from getMe), if known.
    bot_username: str | None = None

    def say(self, template: str, **context: Any) -> str:
        return render(
            template,
            author=self.actor.name,
            at=self.now,
            timezone=self.services.settings.srok_timezone,
            **context,
        )

    def replan(self, item_id: int, reason: str) -> None:
        replan(
            self.session,
            settings=self.services.settings,
            now=self.now,
            item_id=item_id,
            reason=reason,
        )


def _actor(session: Session, services: Services, who: Who) -> Actor:
    return coordinator_actor(
        session,
        user_id=who.user_id,
        name=who.name,
        configured=services.settings.srok_coordinator_ids,
    )


def pull_lever(
    services: Services, data: str | None, who: Who, bot_username: str | None = None
) -> LeverReply:
    """Check one press against the database and do it; raises LeverRefusedError."""
    with services.session_factory.begin() as session:
        actor = _actor(session, services, who)  # the role, re-read on every press
        lever = parse_lever(data)
        press = _Press(session, services, actor, who, lever, services.clock(), bot_username)
        return _ACTIONS[lever.action](press)


# --- statuses and control ---------------------------------------------------------------


def _set_status(p: _Press) -> LeverReply:
    item_id, agency_id = p.lever.ids
    assert p.lever.status is not None
    changed = set_status(
        p.session,
        actor=p.actor,
        item_id=item_id,
        agency_id=agency_id or None,
        status=p.lever.status,
        now=p.now,
    )
    if changed:
        p.replan(item_id, f"статус от координатора: {p.lever.status}")
    state = item_state(p.session, item_id=item_id)
    names = [name for aid, name, _ in state.bodies if aid in changed]
    text = p.say("levers/status_set.j2", number=state.number, status=p.lever.status, changed=names)
    return LeverReply(text, item_keyboard(item_id, closed=state.closed))


def _pending_count(session: Session, item_id: int) -> int:
    return int(
        session.scalar(
            select(func.count(Reminder.id)).where(
                Reminder.item_id == item_id, Reminder.state == ReminderState.PENDING
            )
        )
        or 0
    )


def _control(p: _Press, close: bool) -> LeverReply:
    (item_id,) = p.lever.ids
    before = _pending_count(p.session, item_id)
    act = close_item if close else reopen_item
    changed = act(p.session, actor=p.actor, item_id=item_id, now=p.now)
    if changed:
        p.replan(item_id, "снято с контроля" if close else "возвращено на контроль")
    after = _pending_count(p.session, item_id)
    state = item_state(p.session, item_id=item_id)
    text = p.say(
        "levers/control.j2",
        closed=close,
        changed=changed,
        number=state.number,
        title=state.title,
        cancelled=max(before - after, 0),
        planned=max(after - before, 0),
    )
    return LeverReply(text, item_keyboard(item_id, closed=state.closed))


def _remind_again(p: _Press) -> LeverReply:
    item_id, agency_id = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    agency = next((name for aid, name, _ in state.bodies if aid == agency_id), None)
    if agency is None:
        raise LeverRefusedError("stale")
    reminded = remind_body(
        p.session,
        item_id=item_id,
        agency_id=agency_id,
        now=p.now,
        today=local_today(p.services),
    )
    text = p.say("levers/reminded.j2", reminded=reminded, number=state.number, agency=agency)
    return LeverReply(text)


# --- who answers for the item -----------------------------------------------------------


def _bodies(p: _Press) -> LeverReply:
    (item_id,) = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    text = p.say(
        "levers/bodies.j2",
        number=state.number,
        title=state.title,
        closed=state.closed,
        bodies=state.bodies,
    )
    return LeverReply(text, bodies_keyboard(item_id, [(b[0], b[1]) for b in state.bodies]))


def _body(p: _Press) -> LeverReply:
    item_id, agency_id = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    body = next((b for b in state.bodies if b[0] == agency_id), None)
    if body is None:
        raise LeverRefusedError("stale")
    text = p.say(
        "levers/body.j2", number=state.number, title=state.title, agency=body[1], status=body[2]
    )
    return LeverReply(text, body_keyboard(item_id, agency_id))


def _choose(p: _Press) -> LeverReply:
    """«Добавить орган» / «Заменить»: known bodies as buttons; words typed next search."""
    item_id, replaced_id = (*p.lever.ids, 0)[:2]
    state = item_state(p.session, item_id=item_id)
    replaced = next((name for aid, name, _ in state.bodies if aid == replaced_id), None)
    if replaced_id and replaced is None:
        raise LeverRefusedError("stale")
    actor = bound_actor(p.session, actor=p.actor, now=p.now, username=p.who.username)
    ask_coordinator(
        p.session,
        actor=actor,
        chat_id=p.who.chat_id,
        kind=BODY_NAME,
        item_id=item_id,
        agency_id=replaced_id or None,
        payload={"replaced": replaced_id, "name": ""},
        now=p.now,
    )
    choices = body_choices(p.session, item_id=item_id)
    text = p.say(
        "levers/choose_body.j2", number=state.number, replaced=replaced, query="", found=True
    )
    return LeverReply(
        text, choices_keyboard(item_id, replaced_id, [(a.id, a.name) for a in choices])
    )


def _assign(p: _Press, item_id: int, replaced_id: int, agency: Agency) -> LeverReply:
    state = item_state(p.session, item_id=item_id)
    replaced = next((name for aid, name, _ in state.bodies if aid == replaced_id), None)
    if replaced_id:
        if replaced is None:
            raise LeverRefusedError("stale")
        changed = replace_body(
            p.session,
            actor=p.actor,
            item_id=item_id,
            old_id=replaced_id,
            new_id=agency.id,
            now=p.now,
        )
        kind = "replaced"
    else:
        changed = add_body(
            p.session, actor=p.actor, item_id=item_id, agency_id=agency.id, now=p.now
        )
        kind = "added"
    if changed:
        p.replan(item_id, "ответственные изменены")
    question = awaiting_lever(p.session, chat_id=p.who.chat_id, now=p.now)
    if question is not None and question.kind == BODY_NAME and question.item_id == item_id:
        resolve(p.session, question_id=question.id, now=p.now)
    text = p.say(
        "levers/body_changed.j2",
        kind=kind,
        changed=changed,
        number=state.number,
        agency=agency.name,
        replaced=replaced,
    )
    return LeverReply(text, body_keyboard(item_id, agency.id))


def _pick(p: _Press) -> LeverReply:
    item_id, replaced_id, agency_id = p.lever.ids
    agency = p.session.get(Agency, agency_id)
    if agency is None:
        raise LeverRefusedError("stale")
    return _assign(p, item_id, replaced_id, agency)


def _new_named(p: _Press) -> LeverReply:
    (question_id,) = p.lever.ids
    question = lever_question(p.session, question_id=question_id, chat_id=p.who.chat_id, now=p.now)
    if question is None or question.kind != BODY_NAME or not question.payload.get("name"):
        raise LeverRefusedError("stale")
    agency = new_body(p.session, name=str(question.payload["name"]), now=p.now)
    return _assign(p, question.item_id, int(question.payload.get("replaced") or 0), agency)


def _remove(p: _Press) -> LeverReply:
    item_id, agency_id = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    agency = p.session.get(Agency, agency_id)
    if agency is None:
        raise LeverRefusedError("stale")
    changed = remove_body(p.session, actor=p.actor, item_id=item_id, agency_id=agency_id, now=p.now)
    if changed:
        p.replan(item_id, "орган убран")
    text = p.say(
        "levers/body_changed.j2",
        kind="removed",
        changed=changed,
        number=state.number,
        agency=agency.name,
        replaced=None,
    )
    # Undone by adding it back: the same body offered first.
    return LeverReply(text, choices_keyboard(item_id, None, [(agency.id, agency.name)]))


# --- postponements ----------------------------------------------------------------------


def _request_facts(session: Session, request: PostponementRequest) -> dict[str, Any]:
    state = item_state(session, item_id=request.item_id)
    agency = session.get(Agency, request.agency_id)
    return {
        "number": state.number,
        "title": state.title,
        "agency": agency.name if agency else "",
    }


def _outcome_notices(p: _Press, decision: Decision, facts: dict[str, Any]) -> list[Any]:
    text = p.say(
        "levers/outcome.j2",
        approved=decision.approved,
        number=facts["number"],
        title=facts["title"],
        binding=decision.binding,
        reason=decision.reason,
    )
    return [(chat, text, ()) for chat in agency_chats(p.session, agency_id=decision.agency_id)]


def _decided(p: _Press, decision: Decision) -> LeverReply:
    request = p.session.get_one(PostponementRequest, decision.request_id)
    facts = _request_facts(p.session, request)
    if decision.changed:
        p.replan(
            decision.item_id, "перенос согласован" if decision.approved else "перенос отклонён"
        )
    notices = _outcome_notices(p, decision, facts) if decision.changed else []
    text = p.say(
        "levers/decided.j2",
        changed=decision.changed,
        approved=decision.approved,
        binding=decision.binding,
        told=bool(notices),
        **facts,
    )
    return LeverReply(text, postponement_keyboard(request.id, state=request.state), notices=notices)


def _approve(p: _Press) -> LeverReply:
    (request_id,) = p.lever.ids
    decision = approve_postponement(p.session, actor=p.actor, request_id=request_id, now=p.now)
    return _decided(p, decision)


def _ask_refusal(p: _Press) -> LeverReply:
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
    text = p.say("levers/ask_reason.j2", number=facts["number"], agency=facts["agency"])
    return LeverReply(text, force_reply=True, question_id=question.id)


def _refuse_with(
    session: Session, services: Services, actor: Actor, question: PendingQuestion, reason: str
) -> LeverReply:
    now = services.clock()
    resolve(session, question_id=question.id, now=now)
    lever = Lever("pr", (int(question.payload["request_id"]),))
    press = _Press(session, services, actor, Who(actor.user_id, actor.name, None, 0), lever, now)
    decision = refuse_postponement(
        session, actor=actor, request_id=lever.ids[0], reason=reason, now=now
    )
    return _decided(press, decision)


def postponement_notices(
    session: Session,
    services: Services,
    *,
    item_id: int,
    agency_id: int,
    contact_id: int,
    author: str,
    windows: list[DateWindow],
    text: str,
    binding: list[DateWindow],
) -> list[tuple[int, str, Keyboard]]:
    """File a contact's confirmed «Перенос» as a request; what each coordinator chat gets."""
    now = services.clock()
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
    shown = render(
        "levers/postponement.j2",
        windows=windows,
        binding=binding,
        text=text,
        author=author,
        at=now,
        timezone=services.settings.srok_timezone,
        state="pending",
        **facts,
    )
    keyboard = postponement_keyboard(request.id, state="pending")
    chats = {chat for _, chat in coordinator_chats(session)}
    chats |= set(services.settings.srok_coordinator_ids)
    return [(chat, shown, keyboard) for chat in sorted(chats)]


# --- people -----------------------------------------------------------------------------


def _people(p: _Press) -> LeverReply:
    (agency_id,) = p.lever.ids
    found = agency_people(p.session, agency_id=agency_id)
    text = p.say("levers/people.j2", agency=found.agency, people=found.people)
    rows = [(person.contact_id, person.name or str(person.contact_id)) for person in found.people]
    return LeverReply(text, people_keyboard(agency_id, rows))


def _remove_contact(p: _Press) -> LeverReply:
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


def _invite(p: _Press) -> LeverReply:
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


# --- words typed by a coordinator -------------------------------------------------------


def answer_coordinator(services: Services, who: Who, text: str) -> LeverReply | None:
    """A coordinator's words answering a lever's question; None when none is open."""
    now = services.clock()
    with services.session_factory.begin() as session:
        question = awaiting_lever(session, chat_id=who.chat_id, now=now)
        asked = session.get(Contact, question.contact_id) if question is not None else None
        if question is None or asked is None or asked.user_id != who.user_id:
            return None  # no lever asked this person (in a group, someone else talking)
        actor = _actor(session, services, who)
        words = " ".join(text.split())
        if question.kind == REFUSAL_REASON:
            if not words:
                raise LeverRefusedError("no_reason")
            return _refuse_with(session, services, actor, question, words)
        payload = {**question.payload, "name": words[:300]}
        keep_payload(session, question_id=question.id, payload=payload)
        replaced_id = int(payload.get("replaced") or 0)
        found = body_choices(session, item_id=question.item_id, query=words)
        state = item_state(session, item_id=question.item_id)
        replaced = next((name for aid, name, _ in state.bodies if aid == replaced_id), None)
        shown = render(
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


def item_levers(services: Services, number: str, plan_id: int | None) -> Keyboard:
    """The levers under /item's card: only when the number names one live item."""
    with services.session_factory.begin() as session:
        found = live_items(session, number=number, plan_id=plan_id)
        if len(found) != 1:
            return ()
        return item_keyboard(found[0], closed=item_state(session, item_id=found[0]).closed)


def agency_levers(services: Services, query: str) -> Keyboard:
    """The levers under /agency's card: only when the words name one agency."""
    if not query.strip():
        return ()
    with services.session_factory.begin() as session:
        try:
            agency = find_agency(session, query=query)
        except (AgencyNotFoundError, AmbiguousAgencyError):
            return ()
        return agency_keyboard(agency.id)


#: The last word of `/invite … координатор` asks for a coordinator's invite.
_COORDINATOR_WORDS = frozenset({"coordinator", "координатор", "координатора", "координатору"})


def role_of_invite(query: str) -> tuple[str, Role]:
    """(the agency's words, the role) of `/invite <agency> [coordinator]`."""
    words = query.split()
    if words and words[-1].lower().strip(".,") in _COORDINATOR_WORDS:
        return " ".join(words[:-1]), Role.COORDINATOR
    return " ".join(words), Role.CONTACT


_ACTIONS: dict[str, Callable[[_Press], LeverReply]] = {
    "is": _set_status,
    "ic": lambda p: _control(p, True),
    "io": lambda p: _control(p, False),
    "ib": _bodies,
    "ia": _body,
    "ad": _choose,
    "rp": _choose,
    "rm": _remove,
    "pk": _pick,
    "nw": _new_named,
    "pa": _approve,
    "pr": _ask_refusal,
    "ag": _remind_again,
    "ac": _people,
    "cx": _remove_contact,
    "iv": _invite,
    "ik": _invite,
}
