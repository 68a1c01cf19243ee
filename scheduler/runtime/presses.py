"""A contact's status button: on a reminder (`st:`), or on an item's card from /my (`mi:`);
and the buttons that open a card (`cd:`, `mc:`) or turn it back into its list (`ls:`).

Check the press against the database, record the status — about the window the button is
about: the reminder's, or the one a /my card shows —, re-plan the item when the status
closes or reopens it, open the question the button asks (a comment, a new date, a date
named), and find the other contacts' copies that should show the answer. The bot reads the
press from Telegram, calls one of these in a worker thread and shows what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from messages.buttons import BatchKey, Code, StatusKey
from models.chats.questions import COMMENT, NAME_DATE, NEW_DATE, open_question
from models.outbox.deliveries import reminders_on_message
from models.outbox.facts import reminder_facts_many
from models.schema.people import Contact
from models.statuses.agency_items import AgencyItem, agency_items, binding_for_item
from models.statuses.contact import Author, Recorded, report_status
from scheduler.rules.domain import DateWindow
from scheduler.rules.policy import Policy
from scheduler.runtime.access import Refused, contact_for, reminder_for_press
from scheduler.runtime.copies import Copy, copies_to_show
from scheduler.runtime.planning import replan_item
from scheduler.runtime.reminder_text import batch_content, card_content
from scheduler.runtime.sending import Button

#: The question each asking button opens.
ASKS = {Code.COMMENT: COMMENT, Code.POSTPONED: NEW_DATE, Code.NAME_DATE: NAME_DATE}


@dataclass(frozen=True)
class Pressed:
    """What a status press did."""

    item_id: int
    number: str
    title: str
    #: The report (None for «Комментарий» and «Назвать дату»); `replayed` when the same
    #: update was handled before.
    recorded: Recorded | None
    #: The question the press opened (COMMENT, NEW_DATE, NAME_DATE) and its id; None when
    #: it asks nothing, or repeats a status already recorded.
    asked: str | None = None
    question_id: int | None = None
    #: The other contacts' copies of the item's reminder, to show the answer on.
    copies: list[Copy] = field(default_factory=list)


@dataclass(frozen=True)
class _Press:
    contact: Author
    item_id: int
    agency_id: int
    code: Code
    chat_id: int
    reminder_id: int | None
    message_id: int
    update_id: int
    #: The window the status is about: the reminder's, or the one the card shows.
    window: DateWindow | None


def press_reminder(
    session: Session,
    *,
    now: datetime,
    policy: Policy,
    timezone: str,
    key: StatusKey,
    chat_id: int,
    user_id: int,
    message_id: int,
    update_id: int,
) -> Pressed:
    """`st:<reminder_id>:<code>`, pressed on the message that carried it; the status is
    about the reminder's window. Raises Refused. `timezone`: the copies' lines show the
    moment in it."""
    target, contact = reminder_for_press(
        session, reminder_id=key.target, chat_id=chat_id, user_id=user_id, message_id=message_id
    )
    press = _Press(
        contact,
        target.item_id,
        target.agency_id,
        key.code,
        chat_id,
        key.target,
        message_id,
        update_id,
        target.window,
    )
    heading = (target.number, target.title)
    return _record(session, now=now, policy=policy, timezone=timezone, press=press, heading=heading)


def batch_view(
    session: Session,
    *,
    key: BatchKey,
    now: datetime,
    chat_id: int,
    user_id: int,
    message_id: int,
) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """`cd:` / `ls:` on a batched message: the item's card, or the list again (the message
    is edited into it); checked as a status press on that message is; raises Refused."""
    reminder_for_press(
        session,
        reminder_id=key.reminder_id,
        chat_id=chat_id,
        user_id=user_id,
        message_id=message_id,
    )
    if key.open_card:
        return card_content(session, reminder_id=key.reminder_id, now=now)
    ids = reminders_on_message(session, chat_id=chat_id, message_id=message_id)
    facts = reminder_facts_many(session, reminder_ids=ids)
    return batch_content(list(facts.values()))


def open_card(
    session: Session, *, today: date, item_id: int, chat_id: int, user_id: int
) -> AgencyItem:
    """`mc:<item_id>`: the item as /my lists it, for its card; raises Refused for another
    agency's item or one that is no longer listed."""
    return _own_item(session, today=today, item_id=item_id, chat_id=chat_id, user_id=user_id)[1]


def press_card(
    session: Session,
    *,
    now: datetime,
    today: date,
    policy: Policy,
    timezone: str,
    key: StatusKey,
    chat_id: int,
    user_id: int,
    message_id: int,
    update_id: int,
) -> Pressed:
    """`mi:<item_id>:<code>` on a card opened from /my: checked against the contact's own
    agency (the bot checked that the message carries this very button); the status is
    about the window the card showed (its first day is in the data; cards sent without
    it: the window a card shows now). Raises Refused."""
    contact, entry = _own_item(
        session, today=today, item_id=key.target, chat_id=chat_id, user_id=user_id
    )
    assert contact.agency_id is not None
    shown = next((w for w in entry.windows if w[0] == key.window_start), entry.window)
    press = _Press(
        contact,
        entry.item_id,
        contact.agency_id,
        key.code,
        chat_id,
        None,
        message_id,
        update_id,
        shown,
    )
    heading = (entry.number, entry.title)
    return _record(session, now=now, policy=policy, timezone=timezone, press=press, heading=heading)


def _own_item(
    session: Session, *, today: date, item_id: int, chat_id: int, user_id: int
) -> tuple[Contact, AgencyItem]:
    """The contact and the item as /my lists it; refused for another agency's item."""
    contact_for(session, chat_id=chat_id, user_id=user_id)
    # A person answering for several agencies: their binding to the item's agency.
    contact = binding_for_item(session, chat_id=chat_id, item_id=item_id)
    if contact is None or contact.agency_id is None:
        raise Refused("foreign")
    listed = agency_items(session, agency_id=contact.agency_id, today=today, item_ids=[item_id])
    if not listed:
        raise Refused("stale")
    return contact, listed[0]


def _record(
    session: Session,
    *,
    now: datetime,
    policy: Policy,
    timezone: str,
    press: _Press,
    heading: tuple[str, str],
) -> Pressed:
    """Record the status (if the button is one), re-plan, ask what the button asks."""
    recorded, copies = None, []
    status = press.code.status
    if status is not None:
        recorded = report_status(
            session,
            contact=press.contact,
            item_id=press.item_id,
            agency_id=press.agency_id,
            status=status,
            now=now,
            source="button",
            reminder_id=press.reminder_id,
            message_id=press.message_id,
            update_id=press.update_id,
            window=press.window,
        )
        if recorded.moves_reminders:
            replan_item(session, policy=policy, now=now, item_id=press.item_id, reason=str(status))
        copies = copies_to_show(
            session, recorded=recorded, chat_id=press.chat_id, now=now, timezone=timezone
        )
    asked = ASKS.get(press.code)
    question_id = None
    if asked is not None and (recorded is None or recorded.new):
        question_id = open_question(
            session,
            contact_id=press.contact.id,
            chat_id=press.chat_id,
            kind=asked,
            item_id=press.item_id,
            agency_id=press.agency_id,
            now=now,
            reminder_id=press.reminder_id,
        ).id
    number, title = heading
    return Pressed(
        press.item_id,
        number,
        title,
        recorded,
        asked if question_id is not None else None,
        question_id,
        copies,
    )
