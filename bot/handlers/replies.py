"""Words from a contact: a comment, an answer to the bot's question, a status in words."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, MessageHandler, filters

from bot.access import Refused, contact_for, question_for_press
from bot.chat import answer_quietly, local_today, send_quietly, show_recorded, work_then_answer
from bot.handlers.confirm import ask_confirmation
from bot.handlers.levers import answer_words
from bot.handlers.plan_upload import answer_plan_words
from bot.keyboards import card_item, choice_keyboard
from bot.services import Services, SrokContext
from messages import render
from models.chats.contacts import agency_contact, contact_bindings
from models.chats.coordinators import is_coordinator
from models.chats.questions import (
    CHOOSE_ITEM,
    CONFIRM_DATE,
    NAME_DATE,
    NEW_DATE,
    asked_by,
    attach_message,
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
from models.statuses.windows import windows_by_item
from scheduler.rules.answers import Answer, date_problem, read_answer
from scheduler.rules.domain import ReminderKind, Status
from scheduler.rules.numbers import parse_id

_CHOICE_DATA = re.compile(r"ch:([0-9]{1,18}):([0-9]{1,18})", re.ASCII)


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


@dataclass(frozen=True)
class Reply:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    question_id: int | None = None


def _question_target(question: PendingQuestion) -> Target:
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


def _mine(session: Session, contact: Contact, agency_id: int) -> None:
    """The chat answers for `agency_id` (a person may answer for several agencies)."""
    own = agency_contact(session, chat_id=contact.chat_id, agency_id=agency_id)
    if own is None or own.agency_id != agency_id:
        raise Refused("foreign")


def _replied_target(
    session: Session, message: Message, replied: Message, contact: Contact, now: datetime
) -> Target | None:
    """A reply: to an open question, to a reminder, or to a question already answered
    (the bot's confirmation or question is about its item)."""
    chat_id = message.chat_id
    question = for_reply(session, chat_id=chat_id, message_id=replied.message_id, now=now)
    if question is not None and question.kind != CHOOSE_ITEM:
        _mine(session, contact, question.agency_id)
        return _question_target(question)
    reminder = reminder_for_message(session, chat_id=chat_id, message_id=replied.message_id)
    if reminder is not None and reminder.item_id and reminder.agency_id:
        _mine(session, contact, reminder.agency_id)
        asks = reminder.kind == ReminderKind.ASK_DATE
        return Target(reminder.item_id, reminder.agency_id, reminder.id, None, None, asks_date=asks)
    card = card_item(replied)
    if card is not None and contact.agency_id is not None:  # a card opened from /my
        own = binding_for_item(session, chat_id=chat_id, item_id=card)
        return _item_target(session, card, own.agency_id if own else contact.agency_id)
    asked = asked_by(session, chat_id=chat_id, message_id=replied.message_id)
    if asked is not None and asked.kind != CHOOSE_ITEM:
        _mine(session, contact, asked.agency_id)
        return _item_target(session, asked.item_id, asked.agency_id, asked.reminder_id)
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
    session: Session, message: Message, contact: Contact, now: datetime, today: date
) -> Target | Match | None:
    """What the text answers: a message replied to; else an item it names; else an open
    question; else the agency's only open item. Several candidates: a `Match`."""
    replied = message.reply_to_message
    if replied is not None:
        target = _replied_target(session, message, replied, contact, now)
        if target is not None:
            return target
    assert contact.agency_id is not None
    text = message.text or ""
    # Every agency the person answers for; the match carries its item's agency.
    agencies = [b.agency_id for b in contact_bindings(session, chat_id=contact.chat_id)]
    match = match_items(
        session,
        agency_ids=[a for a in agencies if a is not None] or [contact.agency_id],
        text=text,
        today=today,
    )
    if match.how in (BY_NUMBER, BY_WORDS):
        if len(match.items) == 1:
            return _item_target(session, match.items[0].item_id, _agency_of(match, contact))
        return match
    question = awaiting_text(session, chat_id=message.chat_id, now=now)
    if question is not None:
        return _question_target(question)
    answer = read_answer(text, reference=today)
    if not match.items or (answer.status is None and not answer.windows):
        return None  # words that name no item, no status, no date: not pinned on any
    if match.how == ONLY_OPEN:
        return _item_target(session, match.items[0].item_id, _agency_of(match, contact))
    return match  # a status or a date about one of several open items: which one?


def _choose(
    session: Session, contact: Contact, match: Match, message: Message, now: datetime
) -> Reply:
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
            "text": message.text or "",
            "message_id": message.message_id,
            "items": [entry.item_id for entry in match.items],
        },
    )
    text = render("bot/choose_item.j2", items=match.items, text=message.text or "")
    return Reply(text, choice_keyboard(question.id, match.items), question.id)


def _answer(services: Services, session: Session, message: Message, contact: Contact) -> Reply:
    now, text = services.clock(), message.text or ""
    today = local_today(services)
    target = _target(session, message, contact, now, today)
    if target is None:
        return Reply(render("bot/unrouted.j2"))
    if isinstance(target, Match):
        return _choose(session, contact, target, message, now)
    contact = (
        agency_contact(session, chat_id=contact.chat_id, agency_id=target.agency_id) or contact
    )
    return answer_about(session, contact, target, text, message.message_id, now, today)


def answer_about(
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
        named = _named_date(session, contact, target, answer, now, today)
        if named is not None:
            return named
    expects_date = target.kind == NEW_DATE or answer.status == Status.POSTPONED
    if expects_date:
        problem = date_problem(answer, today=today, period=period, expects_date=expects_date)
        if problem is not None:  # nothing is recorded until a sensible date is given
            return _ask_date_again(session, contact, target, answer, problem, period, now)
    if target.kind == NEW_DATE:
        if answer.date is None:
            return Reply(render("bot/date_not_understood.j2", text=text))
        resolve(session, question_id=target.question_id, now=now)  # type: ignore[arg-type]
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
    return Reply(render("bot/comment_saved.j2", number=number))


def _named_date(
    session: Session,
    contact: Contact,
    target: Target,
    answer: Answer,
    now: datetime,
    today: date,
) -> Reply | None:
    """The date of an item that waits for one: confirmed, then the agency's window (no
    «Перенос», no approval). None: the words name no date and are read as usual."""
    if not answer.windows and target.kind != NAME_DATE:
        return None
    period = item_period(session, item_id=target.item_id)
    problem = date_problem(answer, today=today, period=period, expects_date=True)
    if problem is None and not answer.windows:  # no date at all: the question stays open
        return Reply(render("bot/date_not_understood.j2", text=answer.text))
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
    period: tuple[date, date],
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
    text = render(
        "bot/date_refused.j2",
        reason=problem,
        text=answer.date_text or answer.text,
        number=number,
        period=period,
    )
    return Reply(text, question_id=question.id)


def _confirm(
    session: Session,
    contact: Contact,
    target: Target,
    status: Status | None,
    windows: list[tuple[date, date]],
    text: str,
    now: datetime,
    kind: str | None = None,
    named: bool = False,
) -> Reply:
    extra = {"kind": kind} if kind else {}
    question_id, shown, keyboard = ask_confirmation(
        session,
        contact=contact,
        item_id=target.item_id,
        agency_id=target.agency_id,
        status=status,
        windows=windows,
        text=text,
        now=now,
        reminder_id=target.reminder_id,
        named=named,
        **extra,
    )
    return Reply(shown, keyboard, question_id)


def _reply(services: Services, message: Message, user_id: int) -> Reply:
    """The answer to a text; a coordinator writing to the bot gets directions, not a refusal."""
    with services.session_factory.begin() as session:
        try:
            contact = contact_for(session, chat_id=message.chat_id, user_id=user_id)
        except Refused:
            configured = services.settings.srok_coordinator_ids
            if is_coordinator(session, user_id=user_id, configured=configured):
                return Reply(render("bot/unrouted.j2"))
            raise
        return _answer(services, session, message, contact)


async def on_text(update: Update, context: SrokContext) -> None:
    """Plain text in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    if await answer_words(message, user, services):
        return  # a coordinator answered a lever's question (a reason, a body's name)
    if await answer_plan_words(message, user, services):
        return  # a body's name for a section of a plan sent as a file
    try:
        reply = await asyncio.to_thread(_reply, services, message, user.id)
    except Refused as exc:
        await send_quietly(message, render("bot/refused.j2", reason=exc.reason))
        return
    sent = await message.reply_text(reply.text, reply_markup=reply.keyboard)
    if reply.question_id is not None:
        with services.session_factory.begin() as session:
            attach_message(session, question_id=reply.question_id, message_id=sent.message_id)


def _chosen(
    services: Services, data: str | None, chat_id: int, user_id: int, message_id: int
) -> Reply:
    """`ch:<question_id>:<item_id>`: the item picked is checked against the database (the
    question asked this contact here, the item is among those offered and still the
    agency's), then the words are read as about it."""
    match = _CHOICE_DATA.fullmatch(data or "")
    question_id = parse_id(match.group(1)) if match else None
    item_id = parse_id(match.group(2)) if match else None
    if question_id is None or item_id is None:
        raise Refused("malformed")
    now = services.clock()
    with services.session_factory.begin() as session:
        question, contact = question_for_press(
            session,
            question_id=question_id,
            chat_id=chat_id,
            user_id=user_id,
            message_id=message_id,
            now=now,
        )
        payload = question.payload or {}
        if question.kind != CHOOSE_ITEM or item_id not in payload.get("items", []):
            raise Refused("foreign")
        assert contact.agency_id is not None
        if not resolve(session, question_id=question.id, now=now):
            raise Refused("stale")
        # A person answering for several agencies: their binding to the item's agency.
        contact = binding_for_item(session, chat_id=chat_id, item_id=item_id) or contact
        assert contact.agency_id is not None
        target = _item_target(session, item_id, contact.agency_id)
        text = str(payload.get("text", ""))
        said = payload.get("message_id")
        return answer_about(session, contact, target, text, said, now, local_today(services))


async def on_choice(update: Update, context: SrokContext) -> None:
    """The contact picked the item their words are about: the work first (the question
    the words lead to), the query answered after."""
    query = update.callback_query
    assert query is not None
    message = query.message if isinstance(query.message, Message) else None
    if message is None:
        await answer_quietly(query)
        return
    services = context.services
    reply = await work_then_answer(
        query,
        message,
        _chosen,
        services,
        query.data,
        message.chat_id,
        query.from_user.id,
        message.message_id,
    )
    if reply is None:
        return
    markup = reply.keyboard.to_dict() if reply.keyboard is not None else None
    shown = await show_recorded(message, reply.text, markup)
    if reply.question_id is not None and shown:
        with services.session_factory.begin() as session:
            attach_message(session, question_id=reply.question_id, message_id=message.message_id)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
        group=1,
    )


def register_buttons(application: Application) -> None:  # type: ignore[type-arg]
    """«О каком пункте?» buttons; registered before status's catch-all of button data."""
    application.add_handler(CallbackQueryHandler(on_choice, pattern=r"^ch:"))
