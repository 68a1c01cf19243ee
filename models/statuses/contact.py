"""What a contact does from a chat: press a status, comment, name a new date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Row, and_, bindparam, select
from sqlalchemy.orm import Session

from models.chats.contacts import AGENCY_CONTACT_ID
from models.db import core
from models.schema.people import Contact, Responsibility
from models.schema.plans import Item
from models.schema.reminders import Delivery, DeliveryPart, Reminder
from models.schema.statuses import StatusReport
from models.statuses.reports import CLOSED, record_report, report_window
from models.statuses.windows import set_agency_windows
from scheduler.rules.domain import DateWindow, Status


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
    #: The agency's status before this report (None: it had reported none).
    previous: Status | None = None
    #: The same update was handled before: this is what it recorded then.
    replayed: bool = False
    #: The window the status is about (None: the item has no windows, or a replay).
    window: DateWindow | None = None

    @property
    def moves_reminders(self) -> bool:
        """The report closes the item for the agency, or reopens it: re-plan its reminders."""
        return self.new and (self.status in CLOSED or self.previous in CLOSED)


class Author(Protocol):
    """Who reports: a Contact, or the columns of one a query read (`PressContact`)."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...


class PressContact(NamedTuple):
    """The chat's active contact binding, as a press reads it (no ORM object to build)."""

    id: int
    user_id: int | None
    agency_id: int | None
    name: str


class PressTarget(NamedTuple):
    """What a press on a reminder's button is about, and the facts that allow it."""

    item_id: int
    agency_id: int
    number: str
    title: str
    #: The reminder was delivered to this chat as this very message.
    delivered: bool
    #: The agency still answers for the item, and the item is not withdrawn.
    answers: bool
    #: The chat's active contact binding (None: the chat has none).
    contact: PressContact | None
    #: The reminder's window: a press on its buttons is about that window.
    window: DateWindow | None = None


# Built once: a button press runs it, and a prebuilt statement skips SQLAlchemy's
# per-call construction and cache-key work.
_PRESS_TARGET = (
    select(
        Reminder.item_id,
        Reminder.agency_id,
        Item.number,
        Item.title,
        Delivery.id,
        Responsibility.id,
        Item.withdrawn_at,
        Contact.id,
        Contact.user_id,
        Contact.agency_id,
        Contact.name,
        Reminder.window_start,
        Reminder.window_end,
    )
    .join(Item, Item.id == Reminder.item_id)
    .outerjoin(
        Delivery,
        and_(
            Delivery.reminder_id == Reminder.id,
            Delivery.chat_id == bindparam("chat_id"),
            Delivery.message_id == bindparam("message_id"),
        ),
    )
    .outerjoin(
        Responsibility,
        and_(
            Responsibility.item_id == Reminder.item_id,
            Responsibility.agency_id == Reminder.agency_id,
        ),
    )
    .outerjoin(Contact, Contact.id == AGENCY_CONTACT_ID)
    .where(Reminder.id == bindparam("reminder_id"), Reminder.agency_id.is_not(None))
    .limit(1)
)


def press_target(
    session: Session, *, reminder_id: int, chat_id: int, message_id: int | None
) -> PressTarget | None:
    """The item and agency of an item reminder and the chat's contact, in one query; None
    for no such reminder."""
    row = (
        core(session)
        .execute(
            _PRESS_TARGET,
            {"reminder_id": reminder_id, "chat_id": chat_id, "message_id": message_id},
        )
        .first()
    )
    if row is None:
        return None
    item_id, agency_id, number, title, delivery_id, responsibility_id, withdrawn_at = row[:7]
    answers = responsibility_id is not None and withdrawn_at is None
    contact = PressContact(*row[7:11]) if row[7] is not None else None
    start, end = row[11:13]
    window = (start, end) if start is not None and end is not None else None
    return PressTarget(
        item_id, agency_id, number, title, delivery_id is not None, answers, contact, window
    )


def reminder_for_message(session: Session, *, chat_id: int, message_id: int) -> Reminder | None:
    """The reminder a bot message in a chat was, or was a part of (a reply to it is about
    its item); None for a batched message, which lists several (a reply to it names no one
    item)."""
    found = session.scalars(
        select(Reminder)
        .join(Delivery, Delivery.reminder_id == Reminder.id)
        .where(Delivery.chat_id == chat_id, Delivery.message_id == message_id)
        .limit(2)
    ).all()
    if not found:
        found = session.scalars(
            select(Reminder)
            .join(Delivery, Delivery.reminder_id == Reminder.id)
            .join(DeliveryPart, DeliveryPart.delivery_id == Delivery.id)
            .where(DeliveryPart.chat_id == chat_id, DeliveryPart.message_id == message_id)
            .limit(2)
        ).all()
    return found[0] if len(found) == 1 else None


# Built once, like _PRESS_TARGET: every press reads the agency's latest status.
_LATEST = (
    select(
        StatusReport.status,
        StatusReport.telegram_message_id,
        StatusReport.author,
        StatusReport.created_at,
    )
    .where(
        StatusReport.item_id == bindparam("item_id"),
        StatusReport.agency_id == bindparam("agency_id"),
        StatusReport.status.is_not(None),
    )
    .order_by(StatusReport.id.desc())
    .limit(1)
)


_BY_UPDATE = select(StatusReport.status, StatusReport.author, StatusReport.created_at).where(
    StatusReport.update_id == bindparam("update_id")
)


def _latest(session: Session, *, item_id: int, agency_id: int) -> Row[Any] | None:
    """The agency's latest status report: status, telegram_message_id, author, created_at."""
    return core(session).execute(_LATEST, {"item_id": item_id, "agency_id": agency_id}).first()


def report_status(
    session: Session,
    *,
    contact: Author,
    item_id: int,
    agency_id: int,
    status: Status,
    now: datetime,
    source: str,
    comment: str | None = None,
    reminder_id: int | None = None,
    message_id: int | None = None,
    update_id: int | None = None,
    window: DateWindow | None = None,
) -> Recorded:
    """Record a contact's status about `window` (a reminder's, a card's; without one the
    current or latest past window); pressing the same button of the same message again
    records nothing new, and neither does the same update (`update_id`) handled again."""
    if update_id is not None:
        done = core(session).execute(_BY_UPDATE, {"update_id": update_id}).first()
        if done is not None:
            return Recorded(
                item_id,
                agency_id,
                done.status,
                None,
                done.author,
                done.created_at,
                False,
                replayed=True,
            )
    latest = _latest(session, item_id=item_id, agency_id=agency_id)
    if (
        latest is not None
        and latest.status == status
        and comment is None
        and message_id is not None
        and latest.telegram_message_id == message_id
    ):
        return Recorded(
            item_id, agency_id, status, None, latest.author, latest.created_at, False, window=window
        )
    if window is None:
        window = report_window(
            session, item_id=item_id, agency_id=agency_id, now=now, reminder_id=reminder_id
        )
    record_report(
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
        update_id=update_id,
        window=window,
    )
    previous = latest.status if latest is not None else None
    return Recorded(
        item_id, agency_id, status, comment, contact.name, now, True, previous, window=window
    )


def add_comment(
    session: Session,
    *,
    contact: Author,
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
    contact: Author,
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
