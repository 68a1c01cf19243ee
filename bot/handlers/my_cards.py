"""/my's buttons: an item's card (`mc:<item_id>`) and its status buttons
(`mi:<item_id>:<code>`), keyed by item: the press is checked against the contact's own
agency and against the message that carries the very button pressed."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler

from bot.access import COMMENT_CODE, STATUS_CODES, Refused, contact_for
from bot.chat import (
    answer_quietly,
    local_today,
    send_quietly,
    work_then_answer,
)
from bot.copies import CopyEdit, copy_edits, show_copies
from bot.handlers.status import ask_follow_up, show_press
from bot.keyboards import item_card_keyboard
from bot.replanning import replan
from bot.services import Services, SrokContext
from messages import render
from models.chats.questions import COMMENT, NEW_DATE, open_question
from models.schema.people import Contact
from models.statuses.agency_items import AgencyItem, agency_items, binding_for_item
from models.statuses.contact import Recorded, report_status
from scheduler.rules.numbers import parse_id

_CARD = re.compile(r"mc:([0-9]{1,18})", re.ASCII)
_PRESS = re.compile(r"mi:([0-9]{1,18}):(ip|dn|pp|cn|cm)", re.ASCII)


def _carries(message: Message, data: str) -> bool:
    """The message carries a button with exactly this data (not copied onto another)."""
    markup = message.reply_markup
    rows = markup.inline_keyboard if markup is not None else ()
    return any(b.callback_data == data for row in rows for b in row)


def _own_item(services: Services, session, chat_id: int, user_id: int, item_id: int):  # type: ignore[no-untyped-def]
    """The contact and the item as /my lists it; refused for another agency's item."""
    contact_for(session, chat_id=chat_id, user_id=user_id)
    # A person answering for several agencies: their binding to the item's agency.
    contact = binding_for_item(session, chat_id=chat_id, item_id=item_id)
    if contact is None or contact.agency_id is None:
        raise Refused("foreign")
    today = local_today(services)
    entry = next(
        (
            e
            for e in agency_items(session, agency_id=contact.agency_id, today=today)
            if e.item_id == item_id
        ),
        None,
    )
    if entry is None:
        raise Refused("stale")
    return contact, entry


def _card(services: Services, data: str | None, chat_id: int, user_id: int) -> str:
    match = _CARD.fullmatch(data or "")
    item_id = parse_id(match.group(1)) if match else None
    if item_id is None:
        raise Refused("malformed")
    with services.session_factory.begin() as session:
        _, entry = _own_item(services, session, chat_id, user_id, item_id)
        return render("bot/item_card.j2", entry=entry)


async def on_card(update: Update, context: SrokContext) -> None:
    """`mc:<item_id>`: the item's card, as a new message under /my's list."""
    query = update.callback_query
    assert query is not None
    message = query.message if isinstance(query.message, Message) else None
    if message is None or not _carries(message, query.data or ""):
        await answer_quietly(query)
        if message is not None:
            await send_quietly(message, render("bot/refused.j2", reason="foreign"))
        return
    try:
        text = await asyncio.to_thread(
            _card, context.services, query.data, message.chat_id, query.from_user.id
        )
    except Refused as exc:
        await answer_quietly(query)
        await send_quietly(message, render("bot/refused.j2", reason=exc.reason))
        return
    await answer_quietly(query)
    item_id = int((query.data or "").split(":")[1])
    await message.reply_text(text, reply_markup=item_card_keyboard(item_id))


@dataclass
class _Pressed:
    entry: AgencyItem
    code: str
    recorded: Recorded | None
    question_id: int | None
    copies: list[CopyEdit] = field(default_factory=list)


def _record(
    services: Services,
    contact: Contact,
    entry: AgencyItem,
    code: str,
    chat_id: int,
    message_id: int,
    update_id: int,
    session,  # type: ignore[no-untyped-def]
) -> _Pressed:
    now = services.clock()
    assert contact.agency_id is not None
    recorded, copies, question_id = None, [], None
    if code in STATUS_CODES:
        recorded = report_status(
            session,
            contact=contact,
            item_id=entry.item_id,
            agency_id=contact.agency_id,
            status=STATUS_CODES[code],
            now=now,
            source="button",
            message_id=message_id,
            update_id=update_id,
            window=entry.window,
        )
        if recorded.moves_reminders:
            replan(
                session,
                settings=services.settings,
                now=now,
                item_id=entry.item_id,
                reason=str(recorded.status),
            )
        copies = copy_edits(
            session,
            recorded=recorded,
            chat_id=chat_id,
            now=now,
            timezone=services.settings.srok_timezone,
        )
    if code in (COMMENT_CODE, "pp") and (recorded is None or recorded.new):
        question_id = open_question(
            session,
            contact_id=contact.id,
            chat_id=chat_id,
            kind=COMMENT if code == COMMENT_CODE else NEW_DATE,
            item_id=entry.item_id,
            agency_id=contact.agency_id,
            now=now,
        ).id
    return _Pressed(entry, code, recorded, question_id, copies)


def _press(
    services: Services,
    data: str | None,
    chat_id: int,
    user_id: int,
    message_id: int,
    update_id: int,
) -> _Pressed:
    match = _PRESS.fullmatch(data or "")
    item_id = parse_id(match.group(1)) if match else None
    if match is None or item_id is None:
        raise Refused("malformed")
    with services.session_factory.begin() as session:
        contact, entry = _own_item(services, session, chat_id, user_id, item_id)
        return _record(
            services, contact, entry, match.group(2), chat_id, message_id, update_id, session
        )


async def on_press(update: Update, context: SrokContext) -> None:
    """`mi:<item_id>:<code>` on a card from /my: recorded first, answered after."""
    query = update.callback_query
    assert query is not None
    message = query.message if isinstance(query.message, Message) else None
    if message is None or not _carries(message, query.data or ""):
        await answer_quietly(query)
        if message is not None:
            await send_quietly(message, render("bot/refused.j2", reason="foreign"))
        return
    services = context.services
    press = await work_then_answer(
        query,
        message,
        _press,
        services,
        query.data,
        message.chat_id,
        query.from_user.id,
        message.message_id,
        update.update_id,
    )
    if press is None:
        return
    if press.recorded is not None and press.recorded.replayed:
        return
    if press.recorded is not None:
        markup: InlineKeyboardMarkup = item_card_keyboard(press.entry.item_id)
        await show_press(message, services, press.recorded, markup.to_dict())
        await show_copies(context.bot, press.copies)
    if press.question_id is not None:
        template = "bot/ask_comment.j2" if press.code == COMMENT_CODE else "bot/ask_date.j2"
        text = render(template, number=press.entry.number, title=press.entry.title)
        await ask_follow_up(message, services, press.question_id, text)


def register(application: Application) -> None:  # type: ignore[type-arg]
    """Before `status`: its last handler answers any other data with a refusal."""
    application.add_handler(CallbackQueryHandler(on_card, pattern=r"^mc:"))
    application.add_handler(CallbackQueryHandler(on_press, pattern=r"^mi:"))
