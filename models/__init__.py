"""What is known: the schema, sessions, plan import and report queries.

Domain code: takes `session` and `now` from its caller, never commits, never imports
`telegram`.
"""

from models.base import Base
from models.db import (
    DatabaseUnavailableError,
    is_up_to_date,
    make_engine,
    make_session_factory,
    upgrade,
)
from models.schema.chats import PendingQuestion, PlanUpload, ProcessedUpdate
from models.schema.people import Agency, AgencyAlias, Contact, Invite, Responsibility
from models.schema.plans import Item, ItemChange, Plan, Section, Window
from models.schema.reminders import Delivery, DeliveryPart, Reminder
from models.schema.statuses import PostponementRequest, StatusReport
from scheduler.rules.domain import PlanKind, ReminderKind, ReminderState, Role, Side, Status

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
