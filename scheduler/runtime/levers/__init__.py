"""A coordinator's levers: what each button does, and the words a lever asked for.

`pull_lever` checks one press in its transaction (the coordinator's role, re-read on every
press, then the target, `models.levers`), acts, re-plans what changed and returns a
`LeverReply`: what to say in the chat and which other chats to tell. The bot
(bot/handlers/levers.py) calls it in a worker thread and sends what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from messages.levers import parse_lever
from scheduler.runtime.levers import items, people, postponements
from scheduler.runtime.levers.cards import agency_levers, item_levers, role_of_invite
from scheduler.runtime.levers.people import new_invite
from scheduler.runtime.levers.postponements import postponement_notices
from scheduler.runtime.levers.press import LeverReply, Press, Who, actor_of
from scheduler.runtime.levers.words import answer_coordinator
from scheduler.runtime.options import Options

__all__ = [
    "LeverReply",
    "Who",
    "agency_levers",
    "answer_coordinator",
    "item_levers",
    "new_invite",
    "postponement_notices",
    "pull_lever",
    "role_of_invite",
]

_ACTIONS: dict[str, Callable[[Press], LeverReply]] = {
    "is": items.set_status_lever,
    "ic": items.close_lever,
    "io": items.reopen_lever,
    "ib": items.bodies,
    "ia": items.body,
    "ad": items.choose,
    "rp": items.choose,
    "rm": items.remove,
    "pk": items.pick,
    "nw": items.new_named,
    "pa": postponements.approve,
    "pr": postponements.ask_refusal,
    "ag": items.remind_again,
    "ac": people.people,
    "cx": people.remove_contact,
    "iv": people.invite,
    "ik": people.invite,
}


def pull_lever(
    session: Session,
    options: Options,
    *,
    data: str | None,
    who: Who,
    now: datetime,
    today: date,
    bot_username: str | None = None,
) -> LeverReply:
    """Check one press against the database and do it; raises LeverRefusedError (first
    for anyone but a coordinator) or BadLeverDataError."""
    actor = actor_of(session, options, who)  # the role, re-read on every press
    lever = parse_lever(data)
    press = Press(session, options, actor, who, lever, now, today, bot_username)
    return _ACTIONS[lever.action](press)
