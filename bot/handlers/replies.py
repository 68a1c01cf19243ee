"""Words from a contact: a comment, an answer to the bot's question, a status in words."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, MessageHandler, filters

from bot.access import Refused, contact_for
from bot.chat import local_today, send_quietly
from bot.handlers.confirm import ask_confirmation
from bot.services import Services, SrokContext
from messages import render
from models.agency_items import answers_for, item_heading, plan_period
from models.base import Status
from models.contact_reports import add_comment, reminder_for_message
from models.coordinators import is_coordinator
from models.people import Contact
from models.questions import (
    CONFIRM_DATE,
    NEW_DATE,
    attach_message,
    awaiting_text,
    for_reply,
    resolve,
)
from scheduler.answers import read_answer


@dataclass(frozen=True)
class Target:
    """The item a text is about, and the question it answers (if any)."""

    item_id: int
    agency_id: int
    reminder_id: int | None
    question_id: int | None
    kind: str | None


@dataclass(frozen=True)
class Reply:
    text: str
    keyboard: InlineKeyboardMarkup | None = None
    question_id: int | None = None


def _target(session: Session, message: Message, contact: Contact, now: datetime) -> Target | None:
    """What the text answers: a question replied to, a reminder replied to, an open question."""
    replied = message.reply_to_message
    question = None
    if replied is not None:
        question = for_reply(
            session, chat_id=message.chat_id, message_id=replied.message_id, now=now
        )
        if question is None:
            reminder = reminder_for_message(
                session, chat_id=message.chat_id, message_id=replied.message_id
            )
            if reminder is not None and reminder.item_id and reminder.agency_id:
                if reminder.agency_id != contact.agency_id:
                    raise Refused("foreign")
                return Target(reminder.item_id, reminder.agency_id, reminder.id, None, None)
    if question is None:
        question = awaiting_text(session, chat_id=message.chat_id, now=now)
    if question is None:
        return None
    return Target(
        question.item_id, question.agency_id, question.reminder_id, question.id, question.kind
    )


def _answer(services: Services, session: Session, message: Message, contact: Contact) -> Reply:
    now, text = services.clock(), message.text or ""
    target = _target(session, message, contact, now)
    if target is None:
        return Reply(render("bot/unrouted.j2"))
    if not answers_for(session, item_id=target.item_id, agency_id=target.agency_id):
        raise Refused("stale")
    today = local_today(services)
    if target.kind == NEW_DATE:
        period = plan_period(session, item_id=target.item_id)
        parsed = read_answer(text, reference=today, period=period).date
        if parsed is None:
            return Reply(render("bot/date_not_understood.j2", text=text))
        resolve(session, question_id=target.question_id, now=now)  # type: ignore[arg-type]
        return _confirm(
            session, contact, target, None, list(parsed.windows), text, now, CONFIRM_DATE
        )
    add_comment(
        session,
        contact=contact,
        item_id=target.item_id,
        agency_id=target.agency_id,
        text=text,
        now=now,
        reminder_id=target.reminder_id,
        message_id=message.message_id,
    )
    if target.question_id is not None:
        resolve(session, question_id=target.question_id, now=now)
    answer = read_answer(text, reference=today, period=plan_period(session, item_id=target.item_id))
    if answer.status is not None:
        return _confirm(session, contact, target, answer.status, list(answer.windows), text, now)
    number, _ = item_heading(session, item_id=target.item_id)
    return Reply(render("bot/comment_saved.j2", number=number))


def _confirm(
    session: Session,
    contact: Contact,
    target: Target,
    status: Status | None,
    windows: list[tuple[date, date]],
    text: str,
    now: datetime,
    kind: str | None = None,
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
    try:
        reply = await asyncio.to_thread(_reply, services, message, user.id)
    except Refused as exc:
        await send_quietly(message, render("bot/refused.j2", reason=exc.reason))
        return
    sent = await message.reply_text(reply.text, reply_markup=reply.keyboard)
    if reply.question_id is not None:
        with services.session_factory.begin() as session:
            attach_message(session, question_id=reply.question_id, message_id=sent.message_id)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(
        MessageHandler(filters.ChatType.PRIVATE & filters.TEXT & ~filters.COMMAND, on_text),
        group=1,
    )
