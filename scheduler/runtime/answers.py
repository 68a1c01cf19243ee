"""A contact's words: a comment, an answer to the bot's question, a status or a date in words.

Find what the words are about (the message replied to, an item they name, the open
question, the agency's only open item; several candidates: ask which, `ch:` buttons),
read them (`scheduler.rules.answers`), and either save a comment, ask again for a date
that makes no sense, or open a confirmation of what they would record («Да» / «Нет»,
answered in `scheduler.runtime.confirmations`). Nothing but a comment is recorded before
the contact confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from messages.buttons import ChoiceKey, Keyboard, choice_rows, confirm_rows
from messages.say import Say, say
from models.chats.contacts import agency_contact, contact_bindings
from models.chats.coordinators import is_coordinator
from models.chats.questions import (
    CHOOSE_ITEM,
    CONFIRM_DATE,
    CONFIRM_STATUS,
    NAME_DATE,
    NEW_DATE,
    asked_by,
    awaiting_text,
    for_reply,
    open_question,
    resolve,
)
from models.schema.chats import PendingQuestion
from models.schema.people import Contact
from models.statuses.agency_items import answers_for, binding_for_item, item_heading, item_period
from models.statuses.answer_targets import (
    BY_NUMBER,
    BY_WORDS,
    ONLY_OPEN,
    Match,
    match_items,
    needs_date,
)
from models.statuses.contact import add_comment, reminder_for_message
from models.statuses.reports import report_window
from models.statuses.windows import agency_windows, windows_by_item
from scheduler.rules.answers import Answer, date_problem, read_answer
from scheduler.rules.domain import DateWindow, ReminderKind, Status
from scheduler.runtime.access import Refused, contact_for, question_for_press
from scheduler.runtime.options import Options


@dataclass(frozen=True)
class Reply:
    """What the bot answers: a text, its buttons, and the question it asks (its message
    is attached to the question once sent: a reply to it answers it)."""

    say: Say
    keyboard: Keyboard = ()
    question_id: int | None = None


@dataclass(frozen=True)
class Words:
    """A contact's text message, as the use case needs it."""

    text: str
    message_id: int
    #: The bot's message it replies to, if any.
    replied_to: int | None = None
    #: The item of the /my card it replies to (read from that card's buttons), if any.
    replied_card: int | None = None


@dataclass(frozen=True)
class Target:
    """The item a text is about, and the question it answers (if any)."""

    item_id: int
    agency_id: int
    reminder_id: int | None
    question_id: int | None
    kind: str | None
    #: The status the answer carries when the question itself is about one (a «Перенос»
    #: whose date was refused and is asked for again).
    status: Status | None = None
    #: The item waits for its date (a date request, «Назвать дату», an undated item): a
    #: date in the answer becomes the agency's window, not a «Перенос».
    asks_date: bool = False


def answer_words(
    session: Session,
    options: Options,
    *,
    now: datetime,
    today: date,
    chat_id: int,
    user_id: int,
    words: Words,
) -> Reply:
    """The answer to a text in a private chat; raises Refused for a stranger (a coordinator
    writing to the bot gets directions instead)."""
    try:
        contact = contact_for(session, chat_id=chat_id, user_id=user_id)
    except Refused:
        if is_coordinator(session, user_id=user_id, configured=options.coordinator_ids):
            return Reply(say("bot/unrouted.j2"))
        raise
    target = _target(session, words, contact, now, today)
    if target is None:
        return Reply(say("bot/unrouted.j2"))
    if isinstance(target, Match):
        return _choose(session, contact, target, words, now)
    contact = agency_contact(session, chat_id=chat_id, agency_id=target.agency_id) or contact
    return _answer_about(session, contact, target, words.text, words.message_id, now, today)


def choose_item(
    session: Session,
    *,
    now: datetime,
    today: date,
    key: ChoiceKey,
    chat_id: int,
    user_id: int,
    message_id: int,
) -> Reply:
    """`ch:<question_id>:<item_id>`: the item picked is checked against the database (the
    question asked this contact here, the item is among those offered and still the
    agency's), then the words are read as about it; raises Refused."""
    question, contact = question_for_press(
        session,
        question_id=key.question_id,
        chat_id=chat_id,
        user_id=user_id,
        message_id=message_id,
        now=now,
    )
    payload = question.payload or {}
    if question.kind != CHOOSE_ITEM or key.item_id not in payload.get("items", []):
        raise Refused("foreign")
    assert contact.agency_id is not None
    if not resolve(session, question_id=question.id, now=now):
        raise Refused("stale")
    # A person answering for several agencies: their binding to the item's agency.
    contact = binding_for_item(session, chat_id=chat_id, item_id=key.item_id) or contact
    assert contact.agency_id is not None
    target = _item_target(session, key.item_id, contact.agency_id)
    text = str(payload.get("text", ""))
    said = payload.get("message_id")
    return _answer_about(session, contact, target, text, said, now, today)


def _question_target(question: PendingQuestion) -> Target:
    assert question.agency_id is not None  # a contact's question is about their agency
    asked = (question.payload or {}).get("status")
    return Target(
        question.item_id,
        question.agency_id,
        question.reminder_id,
        question.id,
        question.kind,
        Status(asked) if asked else None,
        asks_date=question.kind == NAME_DATE or bool((question.payload or {}).get("named")),
    )


def _mine(session: Session, contact: Contact, agency_id: int | None) -> int:
    """`agency_id`, which the chat answers for (a person may answer for several)."""
    own = agency_contact(session, chat_id=contact.chat_id, agency_id=agency_id)
    if agency_id is None or own is None or own.agency_id != agency_id:
        raise Refused("foreign")
    return agency_id


def _replied_target(
    session: Session, words: Words, replied_to: int, contact: Contact, now: datetime
) -> Target | None:
    """A reply: to an open question, to a reminder, to a /my card, or to a question
    already answered (the bot's confirmation or question is about its item)."""
    chat_id = contact.chat_id
    question = for_reply(session, chat_id=chat_id, message_id=replied_to, now=now)
    if question is not None and question.kind != CHOOSE_ITEM:
        _mine(session, contact, question.agency_id)
        return _question_target(question)
    reminder = reminder_for_message(session, chat_id=chat_id, message_id=replied_to)
    if reminder is not None and reminder.item_id and reminder.agency_id:
        _mine(session, contact, reminder.agency_id)
        asks = reminder.kind == ReminderKind.ASK_DATE
        return Target(reminder.item_id, reminder.agency_id, reminder.id, None, None, asks_date=asks)
    card = words.replied_card
    if card is not None and contact.agency_id is not None:  # a card opened from /my
        own = binding_for_item(session, chat_id=chat_id, item_id=card)
        agency_id = own.agency_id if own is not None else None
        return _item_target(session, card, agency_id or contact.agency_id)
    asked = asked_by(session, chat_id=chat_id, message_id=replied_to)
    if asked is not None and asked.kind != CHOOSE_ITEM:
        agency_id = _mine(session, contact, asked.agency_id)
        return _item_target(session, asked.item_id, agency_id, asked.reminder_id)
    return None


def _item_target(
    session: Session, item_id: int, agency_id: int, reminder_id: int | None = None
) -> Target:
    own = windows_by_item(session, item_ids=[item_id]).get(item_id, {}).get(agency_id)
    asks = needs_date(session, item_id=item_id, agency_id=agency_id, windows=bool(own))
    return Target(item_id, agency_id, reminder_id, None, None, asks_date=asks)


def _agency_of(match: Match, contact: Contact) -> int:
    """The agency of the one item matched (the contact's own when it is not known)."""
    agency_id = match.items[0].agency_id or contact.agency_id
    assert agency_id is not None
    return agency_id


def _target(
    session: Session, words: Words, contact: Contact, now: datetime, today: date
) -> Target | Match | None:
    """What the text answers: a message replied to; else an item it names; else an open
    question; else the agency's only open item. Several candidates: a `Match`."""
    if words.replied_to is not None:
        target = _replied_target(session, words, words.replied_to, contact, now)
        if target is not None:
            return target
    assert contact.agency_id is not None
    # Every agency the person answers for; the match carries its item's agency.
    agencies = [b.agency_id for b in contact_bindings(session, chat_id=contact.chat_id)]
    match = match_items(
        session,
        agency_ids=[a for a in agencies if a is not None] or [contact.agency_id],
        text=words.text,
        today=today,
    )
    if match.how in (BY_NUMBER, BY_WORDS):
        if len(match.items) == 1:
            return _item_target(session, match.items[0].item_id, _agency_of(match, contact))
        return match
    question = awaiting_text(session, chat_id=contact.chat_id, now=now)
    if question is not None:
        return _question_target(question)
    answer = read_answer(words.text, reference=today)
    if not match.items or (answer.status is None and not answer.windows):
        return None  # words that name no item, no status, no date: not pinned on any
    if match.how == ONLY_OPEN:
        return _item_target(session, match.items[0].item_id, _agency_of(match, contact))
    return match  # a status or a date about one of several open items: which one?


def _choose(session: Session, contact: Contact, match: Match, words: Words, now: datetime) -> Reply:
    """Ask which item the text is about; each button is checked again when pressed."""
    # The question is kept under its first item's agency (and the binding to it): the
    # candidates may be of several agencies of one person.
    agency_id = _agency_of(match, contact)
    owner = agency_contact(session, chat_id=contact.chat_id, agency_id=agency_id) or contact
    question = open_question(
        session,
        contact_id=owner.id,
        chat_id=contact.chat_id,
        kind=CHOOSE_ITEM,
        item_id=match.items[0].item_id,
        agency_id=agency_id,
        now=now,
        payload={
            "text": words.text,
            "message_id": words.message_id,
            "items": [entry.item_id for entry in match.items],
        },
    )
    said = say("bot/choose_item.j2", items=match.items, text=words.text)
    return Reply(said, choice_rows(question.id, match.items), question.id)


def _answer_about(
    session: Session,
    contact: Contact,
    target: Target,
    text: str,
    message_id: int | None,
    now: datetime,
    today: date,
) -> Reply:
    """The reply to words about one item: a confirmation, a question, a comment saved."""
    if not answers_for(session, item_id=target.item_id, agency_id=target.agency_id):
        raise Refused("stale")
    # The plan's period: a recurring date («ежеквартально, до 10 числа …») repeats over it.
    period = item_period(session, item_id=target.item_id)
    answer = read_answer(text, reference=today, period=period)
    if target.asks_date and (target.kind == NAME_DATE or answer.status is None):
        named = _named_date(session, contact, target, answer, period, now, today)
        if named is not None:
            return named
    expects_date = target.kind == NEW_DATE or answer.status == Status.POSTPONED
    if expects_date:
        problem = date_problem(answer, today=today, period=period, expects_date=expects_date)
        if problem is not None:  # nothing is recorded until a sensible date is given
            return _ask_date_again(session, contact, target, answer, problem, period, now)
    if target.kind == NEW_DATE:
        if answer.date is None:
            return Reply(say("bot/date_not_understood.j2", text=text))
        if target.question_id is not None:
            resolve(session, question_id=target.question_id, now=now)
        windows = list(answer.windows)
        return _confirm(session, contact, target, target.status, windows, text, now, CONFIRM_DATE)
    add_comment(
        session,
        contact=contact,
        item_id=target.item_id,
        agency_id=target.agency_id,
        text=text,
        now=now,
        reminder_id=target.reminder_id,
        message_id=message_id,
    )
    if target.question_id is not None:
        resolve(session, question_id=target.question_id, now=now)
    if answer.status is not None:
        return _confirm(session, contact, target, answer.status, list(answer.windows), text, now)
    number, _ = item_heading(session, item_id=target.item_id)
    return Reply(say("bot/comment_saved.j2", number=number))


def _named_date(
    session: Session,
    contact: Contact,
    target: Target,
    answer: Answer,
    period: DateWindow,
    now: datetime,
    today: date,
) -> Reply | None:
    """The date of an item that waits for one: confirmed, then the agency's window (no
    «Перенос», no approval). None: the words name no date and are read as usual.
    `period`: the plan's, as the words were read with it."""
    if not answer.windows and target.kind != NAME_DATE:
        return None
    problem = date_problem(answer, today=today, period=period, expects_date=True)
    if problem is None and not answer.windows:  # no date at all: the question stays open
        return Reply(say("bot/date_not_understood.j2", text=answer.text))
    if problem is not None:
        return _ask_date_again(session, contact, target, answer, problem, period, now)
    if target.question_id is not None:
        resolve(session, question_id=target.question_id, now=now)
    windows = list(answer.windows)
    return _confirm(session, contact, target, None, windows, answer.text, now, CONFIRM_DATE, True)


def _ask_date_again(
    session: Session,
    contact: Contact,
    target: Target,
    answer: Answer,
    problem: str,
    period: DateWindow,
    now: datetime,
) -> Reply:
    """Refuse the date named, record nothing, and wait for a sensible one (a «Перенос»
    named in words stays part of the question, so the date alone completes it)."""
    status = Status.POSTPONED if answer.status == Status.POSTPONED else target.status
    named = target.asks_date and status is None
    question = open_question(
        session,
        contact_id=contact.id,
        chat_id=contact.chat_id,
        kind=NAME_DATE if named else NEW_DATE,
        item_id=target.item_id,
        agency_id=target.agency_id,
        now=now,
        reminder_id=target.reminder_id,
        payload={"status": str(status)} if status else None,
    )
    number, _ = item_heading(session, item_id=target.item_id)
    said = say(
        "bot/date_refused.j2",
        reason=problem,
        text=answer.date_text or answer.text,
        number=number,
        period=period,
    )
    return Reply(said, question_id=question.id)


def _confirm(
    session: Session,
    contact: Contact,
    target: Target,
    status: Status | None,
    windows: list[DateWindow],
    text: str,
    now: datetime,
    kind: str = CONFIRM_STATUS,
    named: bool = False,
) -> Reply:
    """Open a confirmation of what the words would record; «Да» / «Нет» under it.

    `named`: the windows are the date of an item that waited for one (not a «Перенос»).
    A status of a recurring item is about one window: the replied reminder's, else the
    current or latest past one; kept with the question («occurrence»), recorded for that
    window on «Да», and named in both texts.
    """
    binding = agency_windows(session, item_id=target.item_id, agency_id=target.agency_id)
    occurrence = (
        report_window(
            session,
            item_id=target.item_id,
            agency_id=target.agency_id,
            now=now,
            reminder_id=target.reminder_id,
        )
        if status and len(binding) > 1
        else None
    )
    question = open_question(
        session,
        contact_id=contact.id,
        chat_id=contact.chat_id,
        kind=kind,
        item_id=target.item_id,
        agency_id=target.agency_id,
        now=now,
        reminder_id=target.reminder_id,
        payload={
            "status": str(status) if status else None,
            "windows": [[s.isoformat(), e.isoformat()] for s, e in windows],
            "text": text,
            "named": named,
            "occurrence": [[d.isoformat() for d in occurrence]] if occurrence else [],
        },
    )
    number, title = item_heading(session, item_id=target.item_id)
    said = say(
        "bot/confirm.j2",
        number=number,
        title=title,
        status=status,
        windows=windows,
        comment=None,
        named=named,
        occurrence=occurrence,
    )
    return Reply(said, confirm_rows(question.id), question.id)
