"""A coordinator's levers on the plan: statuses, control, postponements, bodies, people.

Each lever is one function here: `session` first, keyword-only arguments, `now` passed in,
never a commit; every one re-checks what it acts on and leaves a line in the item's
history (a status report or an item change) saying who did it and when.
"""

from models.levers.actors import Actor, LeverRefusedError, coordinator_actor
from models.levers.bodies import (
    add_body,
    body_choices,
    item_bodies,
    new_body,
    remove_body,
    replace_body,
)
from models.levers.control import close_item, item_state, reopen_item, set_status
from models.levers.people import agency_people, deactivate_contact
from models.levers.postponements import (
    Decision,
    approve_postponement,
    pending_postponements,
    refuse_postponement,
    request_postponement,
)

__all__ = [
    "Actor",
    "Decision",
    "LeverRefusedError",
    "add_body",
    "agency_people",
    "approve_postponement",
    "body_choices",
    "close_item",
    "coordinator_actor",
    "deactivate_contact",
    "item_bodies",
    "item_state",
    "new_body",
    "pending_postponements",
    "refuse_postponement",
    "remove_body",
    "reopen_item",
    "replace_body",
    "request_postponement",
    "set_status",
]
