"""What is known: the schema, sessions, plan import and report queries.

Domain code: takes `session` and `now` from its caller, never commits, never imports
`telegram`.
"""

from models.base import (
    Base,
    PlanKind,
    ReminderKind,
    ReminderState,
    Role,
    Side,
    Status,
)
from models.db import (
    DatabaseUnavailableError,
    is_up_to_date,
    make_engine,
    make_session_factory,
    upgrade,
)
from models.outbox import (
    Delivery,
    DeliveryPart,
    PendingQuestion,
    PlanUpload,
    PostponementRequest,
    ProcessedUpdate,
    Reminder,
    StatusReport,
)
from models.people import Agency, AgencyAlias, Contact, Invite, Responsibility
from models.plan import Item, ItemChange, Plan, Section, Window

__all__ = [
    "Agency",
    "AgencyAlias",
    "Base",
    "Contact",
    "DatabaseUnavailableError",
    "Delivery",
    "DeliveryPart",
    "Invite",
    "Item",
    "ItemChange",
    "PendingQuestion",
    "Plan",
    "PlanKind",
    "PlanUpload",
    "PostponementRequest",
    "ProcessedUpdate",
    "Reminder",
    "ReminderKind",
    "ReminderState",
    "Responsibility",
    "Role",
    "Section",
    "Side",
    "Status",
    "StatusReport",
    "Window",
    "is_up_to_date",
    "make_engine",
    "make_session_factory",
    "upgrade",
]
