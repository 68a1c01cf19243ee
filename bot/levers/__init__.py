"""What each lever button does, in a worker thread: check, act, re-plan, say.

Every press opens its own transaction, re-reads the coordinator's role and the target
(`models.levers`), and returns a `LeverReply` for the handler to send; nothing here talks
to Telegram.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.levers import items, people, postponements
from bot.levers.cards import agency_levers, item_levers, role_of_invite
from bot.levers.people import invite_text
from bot.levers.postponements import postponement_notices
from bot.levers.press import LeverReply, Press, Who, actor_of
from bot.levers.words import answer_coordinator
from bot.services import Services
from messages.levers import parse_lever

__all__ = [
    "LeverReply",
    "Who",
    "agency_levers",
    "answer_coordinator",
    "invite_text",
    "item_levers",
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
    services: Services, data: str | None, who: Who, bot_username: str | None = None
) -> LeverReply:
    """Check one press against the database and do it; raises LeverRefusedError."""
    with services.session_factory.begin() as session:
        actor = actor_of(session, services, who)  # the role, re-read on every press
        lever = parse_lever(data)
        press = Press(session, services, actor, who, lever, services.clock(), bot_username)
        return _ACTIONS[lever.action](press)
