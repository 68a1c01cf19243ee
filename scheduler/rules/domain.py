"""The domain's words: plan kinds, sides, statuses, roles, reminder kinds and states, a window.

Pure: the rules, the schema (`models/`) and the texts (`messages/`) all speak these.
"""

from __future__ import annotations

import enum
from datetime import date

#: A span of days, both ends included: (first day, last day).
DateWindow = tuple[date, date]


class PlanKind(enum.StrEnum):
    ROADMAP = "roadmap"
    EVENTS = "events"


class Side(enum.StrEnum):
    """The country an agency answers for."""

    RU = "RU"
    BY = "BY"


class Status(enum.StrEnum):
    """An item's status for one agency; `planned` means no report yet."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    POSTPONED = "postponed"
    CANCELLED = "cancelled"


class Role(enum.StrEnum):
    CONTACT = "contact"
    COORDINATOR = "coordinator"


class ReminderKind(enum.StrEnum):
    HEADS_UP = "heads_up"  # 14 days before a window starts
    BEFORE_END = "before_end"  # 3 days before a window ends
    STATUS_REQUEST = "status_request"  # the working day after the end
    REPEAT = "repeat"  # 3 working days after the status request, no `done` yet
    ESCALATION = "escalation"  # to coordinators after the repeat
    PROGRESS = "progress"  # monthly inside windows longer than a quarter
    ASK_DATE = "ask_date"  # monthly for undated and tentative items
    DIGEST = "digest"  # weekly, to coordinators
    MANUAL = "manual"  # /remind <item>


class ReminderState(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
