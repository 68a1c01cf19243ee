"""«Да» / «Нет» under what a contact's words would record (`ok:` / `no:`).

Check the press against the question it answers, resolve it, and on «Да» record its status
(about the window the question named, for a recurring item) and its dates: a «Перенос»
becomes a request for the coordinators when postponements need approval, otherwise the
agency's new window; a date named for an item that waited for one becomes its window at
once. Re-plan what moved, and say who is told: the coordinators of a
date, the other contacts' copies of the reminder. (The question itself is opened by
`scheduler.runtime.answers`.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from messages import format_windows
from messages.buttons import ConfirmationKey
from messages.say import Notice, Say, say
from models.chats.questions import resolve
from models.outbox.deliveries import coordinator_chats
from models.schema.people import Agency, Contact
from models.statuses.agency_items import item_heading
from models.statuses.contact import Recorded, change_window, report_status
from models.statuses.windows import agency_windows, windows_by_item
from scheduler.rules.domain import DateWindow, Status
from scheduler.runtime.access import Refused, question_for_press
from scheduler.runtime.copies import Copy, copies_to_show
from scheduler.runtime.levers import postponement_notices
from scheduler.runtime.options import Options
from scheduler.runtime.planning import replan_item


@dataclass(frozen=True)
class Confirmed:
    """What a «Да» or «Нет» did: the text that replaces the confirmation, and who else is
    told (the coordinators of a new date or a postponement request)."""

    say: Say
    #: The status recorded (None: «Нет», or a date alone).
    recorded: Recorded | None = None
    notices: list[Notice] = field(default_factory=list)
    #: The other contacts' copies of the item's reminder, to show the answer on.
    copies: list[Copy] = field(default_factory=list)


@dataclass(frozen=True)
class _Asked:
    """What the question asked to confirm (its payload)."""

    status: Status | None
    windows: list[DateWindow]
    text: str
    #: The windows are the date of an item that waited for one (not a «Перенос»).
    named: bool
    #: The window of a recurring item the status is about (None: one window, no status,
    #: or a question asked before statuses had windows).
    occurrence: DateWindow | None = None

    @classmethod
    def of(cls, payload: dict[str, Any] | None) -> _Asked:
        payload = payload or {}
        status = Status(payload["status"]) if payload.get("status") else None
        return cls(
            status,
            _windows(payload, "windows"),
            str(payload.get("text", "")),
            bool(payload.get("named")),
            next(iter(_windows(payload, "occurrence")), None),
        )


def _windows(payload: dict[str, Any], key: str) -> list[DateWindow]:
    """The windows stored under `key` as [[start, end], …] in ISO dates."""
    return [(date.fromisoformat(s), date.fromisoformat(e)) for s, e in payload.get(key) or []]


def confirm(
    session: Session,
    options: Options,
    *,
    now: datetime,
    key: ConfirmationKey,
    chat_id: int,
    user_id: int,
    message_id: int,
) -> Confirmed:
    """`ok:<question_id>` / `no:<question_id>`, pressed by the contact it asked, on the
    message that asked it; raises Refused (a second press that raced the first: stale)."""
    question, contact = question_for_press(
        session,
        question_id=key.question_id,
        chat_id=chat_id,
        user_id=user_id,
        message_id=message_id,
        now=now,
    )
    if not resolve(session, question_id=question.id, now=now):
        raise Refused("stale")  # a second press raced the first
    if not key.confirmed:
        return Confirmed(say("bot/declined.j2"))
    assert question.agency_id is not None  # checked by question_for_press
    asked = _Asked.of(question.payload)
    item_id, agency_id = question.item_id, question.agency_id
    recorded, copies = None, []
    if asked.status is not None:
        recorded = report_status(
            session,
            contact=contact,
            item_id=item_id,
            agency_id=agency_id,
            status=asked.status,
            now=now,
            source="text",
            reminder_id=question.reminder_id,
            window=asked.occurrence,
        )
        copies = copies_to_show(
            session,
            recorded=recorded,
            chat_id=question.chat_id,
            now=now,
            timezone=options.timezone,
        )
    moves = recorded is not None and recorded.moves_reminders
    if asked.windows and options.postpone_approval and not asked.named:
        # A request: the windows stay as they are until a coordinator approves it.
        binding = agency_windows(session, item_id=item_id, agency_id=agency_id)
        requests = postponement_notices(
            session,
            options,
            now=now,
            item_id=item_id,
            agency_id=agency_id,
            contact_id=contact.id,
            author=contact.name,
            windows=asked.windows,
            text=asked.text,
            binding=binding,
        )
        if moves:
            replan_item(session, policy=options.policy, now=now, item_id=item_id, reason="перенос")
        said = say(
            "levers/requested.j2",
            number=item_heading(session, item_id=item_id)[0],
            windows=asked.windows,
            author=contact.name,
            at=now,
            timezone=options.timezone,
        )
        return Confirmed(said, recorded, requests, copies)
    notices: list[Notice] = []
    if asked.windows:
        printed = windows_by_item(session, item_ids=[item_id]).get(item_id, {}).get(None, [])
        change_window(
            session,
            contact=contact,
            item_id=item_id,
            agency_id=agency_id,
            windows=asked.windows,
            text=asked.text,
            now=now,
        )
        notices = _date_notices(
            session,
            options,
            now=now,
            item_id=item_id,
            agency_id=agency_id,
            contact=contact,
            asked=asked,
            printed=printed,
        )
    if asked.windows or moves:
        named = "срок назван" if asked.named else "перенос"
        reason = named if asked.windows else str(asked.status)
        replan_item(session, policy=options.policy, now=now, item_id=item_id, reason=reason)
    number, _ = item_heading(session, item_id=item_id)
    said = say(
        "bot/confirmed.j2",
        number=number,
        status=asked.status,
        windows=asked.windows,
        comment=None,
        author=contact.name,
        at=now,
        timezone=options.timezone,
        named=asked.named,
        occurrence=asked.occurrence,
    )
    return Confirmed(said, recorded, notices, copies)


def _date_notices(
    session: Session,
    options: Options,
    *,
    now: datetime,
    item_id: int,
    agency_id: int,
    contact: Contact,
    asked: _Asked,
    printed: list[DateWindow],
) -> list[Notice]:
    """What each coordinator chat is told about a confirmed «Перенос» (or, `named`, the
    date of an item that waited for one)."""
    agency = session.get(Agency, agency_id)
    number, title = item_heading(session, item_id=item_id)
    said = say(
        "bot/date_named.j2" if asked.named else "bot/date_changed.j2",
        agency=agency.name if agency else "",
        number=number,
        title=title,
        windows=asked.windows,
        printed=format_windows(printed),
        author=contact.name,
        at=now,
        timezone=options.timezone,
    )
    return [Notice(chat_id, said) for _, chat_id in coordinator_chats(session)]
