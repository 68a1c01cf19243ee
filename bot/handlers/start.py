"""/start: with an invite token binds the chat; alone it greets or explains; in a group
a coordinator binds the group."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, CommandHandler

from bot.chat import local_today
from bot.commands import publish_coordinator_commands
from bot.services import Services, SrokContext
from messages import render
from models.agency_items import agency_items
from models.base import Role
from models.contacts import agency_contact, bind_contact, coordinator_contact
from models.coordinators import is_coordinator
from models.invites import InviteError, redeem_invite
from models.people import Contact

#: How many items the greeting lists before pointing to /my.
GREETING_ITEMS = 10


def _greeting(services: Services, session, contact: Contact) -> str:  # type: ignore[no-untyped-def]
    if contact.role == Role.COORDINATOR:
        return render("bot/start_bound.j2", coordinator=True, person=contact.name)
    assert contact.agency_id is not None and contact.agency is not None
    items = agency_items(session, agency_id=contact.agency_id, today=local_today(services))
    return render(
        "bot/start_bound.j2",
        coordinator=False,
        person=contact.name,
        agency=contact.agency.name,
        items=items,
        limit=GREETING_ITEMS,
    )


async def start(update: Update, context: SrokContext) -> None:
    """/start [token] in a private chat."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    if message.chat.type != ChatType.PRIVATE:
        await _bind_group(update, context)
        return
    services = context.services
    token = context.args[0] if context.args else None
    with services.session_factory.begin() as session:
        contact = _known_contact(services, session, user.id, user.full_name, user.username)
        if token:
            try:
                contact = redeem_invite(
                    session,
                    token=token,
                    now=services.clock(),
                    user_id=user.id,
                    chat_id=message.chat_id,
                    name=user.full_name,
                    username=user.username,
                )
            except InviteError as exc:
                contact, text = None, render("bot/start_refused.j2", reason=exc.reason)
        if contact is not None:
            text = _greeting(services, session, contact)
        elif not token:
            text = render("bot/start_no_token.j2")
        coordinator = contact is not None and contact.role == Role.COORDINATOR
    await message.reply_text(text)
    if coordinator:
        await publish_coordinator_commands(context.bot, message.chat_id)


def _known_contact(  # type: ignore[no-untyped-def]
    services: Services, session, user_id: int, name: str, username: str | None
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


async def _bind_group(update: Update, context: SrokContext) -> None:
    """/start in a group: a coordinator binds it for digests and escalations."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    services = context.services
    with services.session_factory.begin() as session:
        allowed = is_coordinator(
            session, user_id=user.id, configured=services.settings.srok_coordinator_ids
        )
        if allowed:
            bind_contact(
                session,
                user_id=user.id,
                chat_id=message.chat_id,
                agency_id=None,
                role=Role.COORDINATOR,
                now=services.clock(),
                name=message.chat.title or "",
                is_group=True,
            )
    await message.reply_text(render("bot/group_bound.j2" if allowed else "bot/group_refused.j2"))
    if allowed:
        await publish_coordinator_commands(context.bot, message.chat_id)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("start", start))
