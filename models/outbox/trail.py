"""An item's reminder trail: what Srok sent to whom and when, and what came back."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.people import Agency, Contact
from models.schema.reminders import Delivery, Reminder
from models.schema.statuses import StatusReport
from scheduler.rules.domain import ReminderKind, ReminderState, Role, Status

#: Reminder states that left a trace in someone's chat (or tried to).
_TRACED = (ReminderState.SENT, ReminderState.FAILED)


@dataclass(frozen=True)
class Recipient:
    name: str
    username: str | None
    coordinator: bool
    delivered: bool


@dataclass(frozen=True)
class Answer:
    at: datetime
    status: Status | None
    comment: str | None
    author: str


@dataclass(frozen=True)
class TrailLine:
    """One reminder of the item: its kind, the agency, when it went, to whom, the answers."""

    at: datetime
    kind: ReminderKind
    agency: str | None
    state: ReminderState
    error: str | None
    recipients: tuple[Recipient, ...]
    answers: tuple[Answer, ...]


def reminder_trail(session: Session, *, item_id: int) -> list[TrailLine]:
    """Every reminder of the item that was sent (or failed), oldest first, with its answers."""
    reminders = session.execute(
        select(Reminder, Agency.name)
        .outerjoin(Agency, Agency.id == Reminder.agency_id)
        .where(Reminder.item_id == item_id, Reminder.state.in_(_TRACED))
        .order_by(Reminder.id)
    ).all()
    ids = [reminder.id for reminder, _ in reminders]
    recipients: dict[int, list[Recipient]] = defaultdict(list)
    answers: dict[int, list[Answer]] = defaultdict(list)
    if ids:
        rows = session.execute(
            select(
                Delivery.reminder_id, Delivery.state, Contact.name, Contact.username, Contact.role
            )
            .join(Contact, Contact.id == Delivery.contact_id)
            .where(Delivery.reminder_id.in_(ids))
            .order_by(Delivery.id)
        )
        for reminder_id, state, name, username, role in rows:
            recipients[reminder_id].append(
                Recipient(name, username, role == Role.COORDINATOR, state == ReminderState.SENT)
            )
        reports = session.scalars(
            select(StatusReport)
            .where(StatusReport.reminder_id.in_(ids), StatusReport.item_id == item_id)
            .order_by(StatusReport.id)
        )
        for report in reports:
            assert report.reminder_id is not None
            answers[report.reminder_id].append(
                Answer(report.created_at, report.status, report.comment, report.author)
            )
    lines = [
        TrailLine(
            at=reminder.sent_at or reminder.updated_at or reminder.due_at,
            kind=reminder.kind,
            agency=agency,
            state=reminder.state,
            error=reminder.last_error if reminder.state == ReminderState.FAILED else None,
            recipients=tuple(recipients.get(reminder.id, ())),
            answers=tuple(answers.get(reminder.id, ())),
        )
        for reminder, agency in reminders
    ]
    lines.sort(key=lambda line: line.at)
    return lines
