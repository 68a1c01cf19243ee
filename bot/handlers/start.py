"""/start: with an invite token binds the chat; alone it greets or explains; in a group
a coordinator binds the group."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from sqlalchemy.orm import Session
from telegram import Message, Update, User
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat import answer_quietly, local_today, off_loop, refuse, show_recorded, work_then_answer
from bot.commands import publish_coordinator_commands
from bot.handlers import App
from bot.keyboards import addition_keyboard
from bot.services import Services, SrokContext
from messages import render
from messages.buttons import ADD_AGENCY, KEEP_AGENCIES, AdditionKey, parse_addition, pattern
from models.chats.contacts import (
    agency_contact,
    bind_contact,
    contact_bindings,
    coordinator_contact,
)
from models.chats.coordinators import is_coordinator
from models.chats.invites import (
    InviteError,
    InviteNotFoundError,
    pending_addition,
    redeem_addition,
    redeem_invite,
)
from models.schema.people import Contact
from models.statuses.agency_items import agency_items
from scheduler.rules.domain import Role
from scheduler.runtime.access import Refused

#: How many items the greeting lists before pointing to /my.
GREETING_ITEMS = 10


def _greeting(services: Services, session: Session, contact: Contact) -> str:
    if contact.role == Role.COORDINATOR:
        return render("bot/start_bound.j2", coordinator=True, person=contact.name)
    today = local_today(services)
    # Every agency the person answers for, oldest binding first.
    bindings = contact_bindings(session, chat_id=contact.chat_id) or [contact]
    groups = []
    for binding in bindings:
        assert binding.agency_id is not None and binding.agency is not None
        groups.append(
            (binding.agency.name, agency_items(session, agency_id=binding.agency_id, today=today))
        )
    return render(
        "bot/start_bound.j2",
        coordinator=False,
        person=contact.name,
        groups=groups,
        limit=GREETING_ITEMS,
    )


@dataclass(frozen=True)
class _Started:
    text: str
    #: An invite to another agency, asked before it is added (its id and proof).
    addition: tuple[int, str] | None = None
    coordinator: bool = False


def _start(services: Services, *, token: str | None, chat_id: int, user: User) -> _Started:
    """/start in a private chat, in one transaction (run off the loop)."""
    addition = None
    with services.session_factory.begin() as session:
        contact = _known_contact(services, session, user.id, user.full_name, user.username)
        if token:
            with contextlib.suppress(InviteError):  # redeeming it below says why
                addition = pending_addition(
                    session, token=token, now=services.clock(), chat_id=chat_id
                )
        # An addition is asked below: the chat keeps its agency unless it confirms.
        if token and addition is None:
            try:
                contact = redeem_invite(
                    session,
                    token=token,
                    now=services.clock(),
                    user_id=user.id,
                    chat_id=chat_id,
                    name=user.full_name,
                    username=user.username,
                )
            except InviteError as exc:
                contact, text = None, render("bot/start_refused.j2", reason=exc.reason)
        if addition is not None:
            text = render(
                "bot/add_agency.j2", agency=addition.agency_name, current=addition.current
            )
            return _Started(text, (addition.invite_id, addition.proof))
        if contact is not None:
            text = _greeting(services, session, contact)
        elif not token:
            text = render("bot/start_no_token.j2")
        return _Started(text, coordinator=contact is not None and contact.role == Role.COORDINATOR)


async def start(update: Update, context: SrokContext) -> None:
    """/start [token] in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await _bind_group(update, context)
        return
    token = context.args[0] if context.args else None
    started = await off_loop(
        _start, context.services, token=token, chat_id=message.chat_id, user=user
    )
    if started.addition is not None:
        await message.reply_text(started.text, reply_markup=addition_keyboard(*started.addition))
        return
    await message.reply_text(started.text)
    if started.coordinator:
        await publish_coordinator_commands(context.bot, message.chat_id)


def _known_contact(
    services: Services, session: Session, user_id: int, name: str, username: str | None
) -> Contact | None:
    """The chat's binding; a configured coordinator is bound on first contact."""
    contact = agency_contact(session, chat_id=user_id) or coordinator_contact(
        session, chat_id=user_id
    )
    if contact is None and user_id in services.settings.srok_coordinator_ids:
        contact = bind_contact(
            session,
            user_id=user_id,
            chat_id=user_id,
            agency_id=None,
            role=Role.COORDINATOR,
            now=services.clock(),
            name=name,
            username=username,
        )
    return contact


def _bind_group_chat(services: Services, *, user_id: int, chat_id: int, title: str) -> bool:
    """A coordinator's group bound for digests and escalations; False for anyone else."""
    with services.session_factory.begin() as session:
        allowed = is_coordinator(
            session, user_id=user_id, configured=services.settings.srok_coordinator_ids
        )
        if allowed:
            bind_contact(
                session,
                user_id=user_id,
                chat_id=chat_id,
                agency_id=None,
                role=Role.COORDINATOR,
                now=services.clock(),
                name=title,
                is_group=True,
            )
    return allowed


async def _bind_group(update: Update, context: SrokContext) -> None:
    """/start in a group: a coordinator binds it for digests and escalations."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    allowed = await off_loop(
        _bind_group_chat,
        context.services,
        user_id=user.id,
        chat_id=message.chat_id,
        title=message.chat.title or "",
    )
    await message.reply_text(render("bot/group_bound.j2" if allowed else "bot/group_refused.j2"))
    if allowed:
        await publish_coordinator_commands(context.bot, message.chat_id)


def _add(services: Services, key: AdditionKey, chat_id: int, user: User) -> str:
    """`ad:` adds the invite's agency to the chat's; `an:` leaves the chat as it was. The
    press proves the token was seen (its hash's start), the invite is checked again."""
    if not key.add:
        return render("bot/add_agency_declined.j2")
    with services.session_factory.begin() as session:
        try:
            contact = redeem_addition(
                session,
                invite_id=key.invite_id,
                proof=key.proof,
                now=services.clock(),
                user_id=user.id,
                chat_id=chat_id,
                name=user.full_name,
                username=user.username,
            )
        except InviteNotFoundError as exc:  # no such invite, or a proof not from its token
            raise Refused("foreign") from exc
        except InviteError as exc:
            return render("bot/start_refused.j2", reason=exc.reason)
        return _greeting(services, session, contact)


async def on_addition(update: Update, context: SrokContext) -> None:
    """«Добавить орган …?» answered: the work first, the query answered after."""
    query = update.callback_query
    assert query is not None
    message = query.message if isinstance(query.message, Message) else None
    if message is None or message.chat.type != ChatType.PRIVATE:
        await answer_quietly(query)
        return
    key = parse_addition(query.data)
    if key is None:
        await refuse(query, message, "malformed")
        return
    text = await work_then_answer(
        query, message, _add, context.services, key, message.chat_id, query.from_user
    )
    if text is not None:
        await show_recorded(message, text)


def register(application: App) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(
        CallbackQueryHandler(on_addition, pattern=pattern(ADD_AGENCY, KEEP_AGENCIES))
    )
