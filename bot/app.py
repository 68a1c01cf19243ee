"""The Application: built in one chain, features registered in a fixed group order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, Defaults

from bot import updates
from bot.chat import transact
from bot.commands import publish_commands
from bot.handlers import (
    cards,
    contact,
    coordinator,
    errors,
    levers,
    migration,
    my_cards,
    plan_upload,
    replies,
    reports,
    start,
    status,
)
from bot.http import AiohttpRequest
from bot.ordering import PerChatOrderedProcessor
from bot.services import CONTEXT_TYPES, Services, system_clock
from bot.settings import Settings
from bot.telegram_sender import bot_api_urls
from models.outbox.deliveries import coordinator_chats

#: Handler groups, in the order PTB runs them (one handler per group per update):
#:  -1  bot.updates — records and claims every update; a repeated one stops here
#:   0  commands and button presses (start, contact, coordinator, levers, status)
#:   1  plain text, after the commands: replies (private chats), levers (groups: a
#:      coordinator's answer to a lever's question)


async def _post_init(application: Application) -> None:
    """Publish the command menus. (Updates a previous run never handled are replayed by
    bot.runner.serve once this process receives updates: a waiting process must not.)"""
    services: Services = application.bot_data.services
    found = await transact(services, coordinator_chats)
    chats = {chat_id for _, chat_id in found} | set(services.settings.srok_coordinator_ids)
    await publish_commands(application.bot, coordinator_chats=sorted(chats))


async def _post_shutdown(application: Application) -> None:
    services: Services = application.bot_data.services
    bind = services.session_factory.kw.get("bind")
    if bind is not None:
        bind.dispose()


#: Keep-alive connections to the Bot API: a few carry the answers of many concurrent updates.
CONNECTIONS = 8


def build_application(
    settings: Settings,
    session_factory: sessionmaker[Session],
    *,
    clock: Callable[[], datetime] = system_clock,
) -> Application:
    """The bot, pointed at TELEGRAM_API_BASE_URL, with every feature registered."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    base_url, base_file_url = bot_api_urls(settings.telegram_api_base_url)
    ledger = updates.UpdateLedger(session_factory, clock)
    bot = updates.RecordingBot(
        settings.telegram_bot_token.get_secret_value(),
        base_url=base_url,
        base_file_url=base_file_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=ZoneInfo(settings.srok_timezone)),
        request=AiohttpRequest(pool_size=CONNECTIONS),
        updates_request=updates.UpdatesRequest(pool_size=1),
        ledger=ledger,
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(CONTEXT_TYPES)
        .update_queue(updates.RecordingQueue(ledger))
        .concurrent_updates(PerChatOrderedProcessor())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.services = Services(settings, session_factory, clock)
    updates.register(application, ledger)
    start.register(application)
    contact.register(application)
    coordinator.register(application)
    cards.register(application)
    # These buttons before status's: its last handler refuses any button data it is given.
    reports.register(application)
    levers.register(application)
    plan_upload.register(application)
    replies.register_buttons(application)
    my_cards.register(application)
    status.register(application)
    migration.register(application)
    replies.register(application)
    errors.register(application)
    return application
