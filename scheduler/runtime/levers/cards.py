"""The levers under the /item and /agency cards."""

from __future__ import annotations

from sqlalchemy.orm import Session

from messages.levers import Keyboard, agency_keyboard, item_keyboard
from models.levers import LeverRefusedError, item_state
from scheduler.rules.domain import Role


def item_levers(session: Session, *, item_id: int) -> Keyboard:
    """The levers under one item's card (none for a withdrawn item)."""
    try:
        state = item_state(session, item_id=item_id)
    except LeverRefusedError:
        return ()
    return item_keyboard(item_id, closed=state.closed)


def agency_levers(agency_id: int) -> Keyboard:
    """The levers under one agency's card."""
    return agency_keyboard(agency_id)


#: The last word of `/invite … координатор` asks for a coordinator's invite.
_COORDINATOR_WORDS = frozenset({"coordinator", "координатор", "координатора", "координатору"})


def role_of_invite(query: str) -> tuple[str, Role]:
    """(the agency's words, the role) of `/invite <agency> [coordinator]`."""
    words = query.split()
    if words and words[-1].lower().strip(".,") in _COORDINATOR_WORDS:
        return " ".join(words[:-1]), Role.COORDINATOR
    return " ".join(words), Role.CONTACT
