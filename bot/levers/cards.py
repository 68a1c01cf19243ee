"""The levers under the /item and /agency cards."""

from __future__ import annotations

from bot.services import Services
from messages.levers import Keyboard, agency_keyboard, item_keyboard
from models.base import Role
from models.contacts import AgencyNotFoundError, AmbiguousAgencyError, find_agency
from models.levers import item_state
from models.levers.control import live_items


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
