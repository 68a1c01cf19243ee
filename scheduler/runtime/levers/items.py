"""An item's levers: statuses, control, a new reminder, the bodies that answer for it."""

from __future__ import annotations

from messages.levers import bodies_keyboard, body_keyboard, choices_keyboard, item_keyboard
from models.chats.questions import resolve
from models.levers import (
    LeverRefusedError,
    add_body,
    body_choices,
    close_item,
    item_state,
    new_body,
    remove_body,
    reopen_item,
    replace_body,
    set_status,
)
from models.levers.actors import bound_actor
from models.levers.control import pending_count, remind_body
from models.levers.questions import BODY_NAME, ask_coordinator, awaiting_lever, lever_question
from models.schema.people import Agency
from scheduler.runtime.levers.press import LeverReply, Press


def set_status_lever(p: Press) -> LeverReply:
    """A status for the item's bodies, or for one of them."""
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
    said = p.say("levers/status_set.j2", number=state.number, status=p.lever.status, changed=names)
    return LeverReply(said, item_keyboard(item_id, closed=state.closed))


def _control(p: Press, close: bool) -> LeverReply:
    (item_id,) = p.lever.ids
    before = pending_count(p.session, item_id=item_id)
    act = close_item if close else reopen_item
    changed = act(p.session, actor=p.actor, item_id=item_id, now=p.now)
    if changed:
        p.replan(item_id, "снято с контроля" if close else "возвращено на контроль")
    after = pending_count(p.session, item_id=item_id)
    state = item_state(p.session, item_id=item_id)
    said = p.say(
        "levers/control.j2",
        closed=close,
        changed=changed,
        number=state.number,
        title=state.title,
        cancelled=max(before - after, 0),
        planned=max(after - before, 0),
    )
    return LeverReply(said, item_keyboard(item_id, closed=state.closed))


def close_lever(p: Press) -> LeverReply:
    """«Снять с контроля»."""
    return _control(p, True)


def reopen_lever(p: Press) -> LeverReply:
    """«Вернуть на контроль»."""
    return _control(p, False)


def remind_again(p: Press) -> LeverReply:
    """«Напомнить ещё раз»: a manual reminder for one body, due now."""
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
        today=p.today,
    )
    said = p.say("levers/reminded.j2", reminded=reminded, number=state.number, agency=agency)
    return LeverReply(said)


def bodies(p: Press) -> LeverReply:
    """The bodies answering for the item, one button each."""
    (item_id,) = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    said = p.say(
        "levers/bodies.j2",
        number=state.number,
        title=state.title,
        closed=state.closed,
        bodies=state.bodies,
    )
    return LeverReply(said, bodies_keyboard(item_id, [(b[0], b[1]) for b in state.bodies]))


def body(p: Press) -> LeverReply:
    """One body on the item: its status, «Заменить», «Убрать»."""
    item_id, agency_id = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    body = next((b for b in state.bodies if b[0] == agency_id), None)
    if body is None:
        raise LeverRefusedError("stale")
    said = p.say(
        "levers/body.j2", number=state.number, title=state.title, agency=body[1], status=body[2]
    )
    return LeverReply(said, body_keyboard(item_id, agency_id))


def choose(p: Press) -> LeverReply:
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
    said = p.say(
        "levers/choose_body.j2", number=state.number, replaced=replaced, query="", found=True
    )
    return LeverReply(
        said, choices_keyboard(item_id, replaced_id, [(a.id, a.name) for a in choices])
    )


def _assign(p: Press, item_id: int, replaced_id: int, agency: Agency) -> LeverReply:
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
    said = p.say(
        "levers/body_changed.j2",
        kind=kind,
        changed=changed,
        number=state.number,
        agency=agency.name,
        replaced=replaced,
    )
    return LeverReply(said, body_keyboard(item_id, agency.id))


def pick(p: Press) -> LeverReply:
    """A known body chosen from the buttons: added, or put instead of another."""
    item_id, replaced_id, agency_id = p.lever.ids
    agency = p.session.get(Agency, agency_id)
    if agency is None:
        raise LeverRefusedError("stale")
    return _assign(p, item_id, replaced_id, agency)


def new_named(p: Press) -> LeverReply:
    """A body by the name the coordinator typed: added, or put instead of another."""
    (question_id,) = p.lever.ids
    question = lever_question(p.session, question_id=question_id, chat_id=p.who.chat_id, now=p.now)
    if question is None or question.kind != BODY_NAME or not question.payload.get("name"):
        raise LeverRefusedError("stale")
    agency = new_body(p.session, name=str(question.payload["name"]), now=p.now)
    return _assign(p, question.item_id, int(question.payload.get("replaced") or 0), agency)


def remove(p: Press) -> LeverReply:
    """«Убрать»: the body no longer answers for the item."""
    item_id, agency_id = p.lever.ids
    state = item_state(p.session, item_id=item_id)
    agency = p.session.get(Agency, agency_id)
    if agency is None:
        raise LeverRefusedError("stale")
    changed = remove_body(p.session, actor=p.actor, item_id=item_id, agency_id=agency_id, now=p.now)
    if changed:
        p.replan(item_id, "орган убран")
    said = p.say(
        "levers/body_changed.j2",
        kind="removed",
        changed=changed,
        number=state.number,
        agency=agency.name,
        replaced=None,
    )
    # Undone by adding it back: the same body offered first.
    return LeverReply(said, choices_keyboard(item_id, None, [(agency.id, agency.name)]))
