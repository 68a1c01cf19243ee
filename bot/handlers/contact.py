"""A contact's own commands: /my, /upcoming [days], /help."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot.chat import local_today, refuse, reply_long, transact
from bot.handlers import App
from bot.keyboards import markup
from bot.services import SrokContext
from messages import render
from messages.buttons import my_rows
from models.chats.contacts import contact_bindings
from models.chats.coordinators import is_coordinator
from models.statuses.agency_items import agency_items, upcoming_items
from models.statuses.reports import CLOSED
from scheduler.rules.numbers import parse_number
from scheduler.runtime.access import Refused, contact_for

DEFAULT_DAYS = 30
MAX_DAYS = 366


def _days(args: list[str] | None) -> int | None:
    """The day count after /upcoming (30 when absent); None when it is not a sane number."""
    if not args:
        return DEFAULT_DAYS
    return parse_number(args[0], low=1, high=MAX_DAYS)


#: Builds a contact's answer from the session, their agency (id, name) and today: the
#: text and, for /my, the buttons to each open item's card.
AgencyAnswer = Callable[[Session, int, str, date], tuple[str, InlineKeyboardMarkup | None]]


async def _answer_for_agency(update: Update, context: SrokContext, build: AgencyAnswer) -> None:
    """Reply with `build`'s text for the writer's agency, or refuse one who is no contact."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services

    def answer(session: Session) -> tuple[str, InlineKeyboardMarkup | None]:
        contact = contact_for(session, chat_id=message.chat_id, user_id=user.id)
        assert contact.agency_id is not None and contact.agency is not None
        return build(session, contact.agency_id, contact.agency.name, local_today(services))

    try:
        text, markup = await transact(services, answer)
    except Refused as exc:
        await refuse(None, message, exc.reason)
        return
    await reply_long(message, text, markup)


def _my_answer(
    session: Session, chat_id: int, user_id: int, today: date
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/my's text and buttons: the items of every agency the person answers for, grouped
    by agency when there are several."""
    contact_for(session, chat_id=chat_id, user_id=user_id)
    groups = []
    for binding in contact_bindings(session, chat_id=chat_id):
        assert binding.agency_id is not None and binding.agency is not None
        items = agency_items(session, agency_id=binding.agency_id, today=today)
        groups.append((binding.agency.name, items))
    open_items = [entry for _, items in groups for entry in items if entry.status not in CLOSED]
    return render("bot/my.j2", groups=groups), markup(my_rows(open_items))


async def my_items(update: Update, context: SrokContext) -> None:
    """/my: the items of the writer's agencies, their status and next date; a button to
    each open item's card."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    try:
        text, keyboard = await transact(
            services, _my_answer, message.chat_id, user.id, local_today(services)
        )
    except Refused as exc:
        await refuse(None, message, exc.reason)
        return
    await reply_long(message, text, keyboard)


async def upcoming(update: Update, context: SrokContext) -> None:
    """/upcoming [days]: what falls due soon."""
    message = update.effective_message
    if message is None or update.effective_user is None:
        return
    days = _days(context.args)
    if days is None:
        await message.reply_text(render("bot/upcoming_bad_days.j2"))
        return

    def build(
        session: Session, agency_id: int, agency: str, today: date
    ) -> tuple[str, InlineKeyboardMarkup | None]:
        # Every agency the person answers for (the writer's own binding checked already).
        chat_id = message.chat_id
        groups = [
            (b.agency.name, upcoming_items(session, agency_id=b.agency_id, today=today, days=days))
            for b in contact_bindings(session, chat_id=chat_id)
            if b.agency_id is not None and b.agency is not None
        ] or [(agency, upcoming_items(session, agency_id=agency_id, today=today, days=days))]
        return render("bot/upcoming.j2", groups=groups, days=days), None

    await _answer_for_agency(update, context, build)


async def help_command(update: Update, context: SrokContext) -> None:
    """/help, with the coordinators' commands for a coordinator."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    services = context.services
    coordinator = await transact(
        services,
        is_coordinator,
        user_id=user.id,
        configured=services.settings.srok_coordinator_ids,
    )
    await message.reply_text(render("bot/help.j2", coordinator=coordinator))


def register(application: App) -> None:
    application.add_handler(CommandHandler("my", my_items))
    application.add_handler(CommandHandler("upcoming", upcoming))
    application.add_handler(CommandHandler("help", help_command))
