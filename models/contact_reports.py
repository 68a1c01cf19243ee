"""What a contact does from a chat: press a status, comment, name a new date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import Status
from models.outbox import Delivery, Reminder, StatusReport
from models.people import Contact
from models.statuses import record_report
from models.windows import DateWindow, set_agency_windows


@dataclass(frozen=True)
class Recorded:
    """A status report as shown back in the chat; `new` is False for a repeated press."""

    item_id: int
    agency_id: int
    status: Status | None
    comment: str | None
    author: str
    at: datetime
    new: bool


def delivery_in_chat(
    session: Session, *, reminder_id: int, chat_id: int, message_id: int | None
) -> Delivery | None:
    """The delivery of a reminder as this message of a chat, if it was sent so."""
    return session.scalars(
        select(Delivery)
        .where(
            Delivery.reminder_id == reminder_id,
            Delivery.chat_id == chat_id,
            Delivery.message_id == message_id,
        )
        .limit(1)
    ).first()


def reminder_for_message(session: Session, *, chat_id: int, message_id: int) -> Reminder | None:
    """The reminder a bot message in a chat was (a reply to it is about its item)."""
    return session.scalars(
        select(Reminder)
        .join(Delivery, Delivery.reminder_id == Reminder.id)
        .where(Delivery.chat_id == chat_id, Delivery.message_id == message_id)
        .limit(1)
    ).first()


def _latest(session: Session, *, item_id: int, agency_id: int) -> StatusReport | None:
    # LIMIT 1: without it the ORM turns every report of the item into an object first.
    return session.scalars(
        select(StatusReport)
        .where(
            StatusReport.item_id == item_id,
            StatusReport.agency_id == agency_id,
            StatusReport.status.is_not(None),
        )
        .order_by(StatusReport.id.desc())
        .limit(1)
    ).first()


def report_status(
    session: Session,
    *,
    contact: Contact,
    item_id: int,
    agency_id: int,
    status: Status,
    now: datetime,
    source: str,
    comment: str | None = None,
    reminder_id: int | None = None,
    message_id: int | None = None,
) -> Recorded:
    """Record a contact's status; pressing the same button of the same message again
    records nothing new."""
    latest = _latest(session, item_id=item_id, agency_id=agency_id)
    if (
        latest is not None
        and latest.status == status
        and comment is None
        and message_id is not None
        and latest.telegram_message_id == message_id
    ):
        return Recorded(item_id, agency_id, status, None, latest.author, latest.created_at, False)
    report = record_report(
        session,
        item_id=item_id,
        agency_id=agency_id,
        status=status,
        comment=comment,
        now=now,
        source=source,
        contact_id=contact.id,
        author=contact.name,
        reminder_id=reminder_id,
        telegram_message_id=message_id,
    )
    return Recorded(item_id, agency_id, status, comment, report.author, now, True)


def add_comment(
    session: Session,
    *,
    contact: Contact,
    item_id: int,
    agency_id: int,
    text: str,
    now: datetime,
    reminder_id: int | None = None,
    message_id: int | None = None,
) -> Recorded:
    """Store a comment on an item; it does not change the status."""
    record_report(
        session,
        item_id=item_id,
        agency_id=agency_id,
        status=None,
        comment=text,
        now=now,
        source="text",
        contact_id=contact.id,
        author=contact.name,
        reminder_id=reminder_id,
        telegram_message_id=message_id,
    )
    return Recorded(item_id, agency_id, None, text, contact.name, now, True)


def change_window(
    session: Session,
    *,
    contact: Contact,
    item_id: int,
    agency_id: int,
    windows: Sequence[DateWindow],
    text: str,
    now: datetime,
) -> None:
    """A confirmed «Перенос»: the agency's own windows replace the printed ones for it."""
    set_agency_windows(
        session,
        item_id=item_id,
        agency_id=agency_id,
        windows=windows,
        now=now,
        text=text,
        contact_id=contact.id,
    )
