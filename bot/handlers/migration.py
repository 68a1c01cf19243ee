"""A group upgraded to a supergroup: Telegram's service message moves its bindings.

Telegram posts `migrate_to_chat_id` in the old group and `migrate_from_chat_id` in the new
supergroup; either moves the coordinators' binding (the other finds nothing left to move).
A send that meets the 400 «group chat was upgraded» moves it too (`bot.chat.send_to_chat`,
the dispatcher), whichever comes first.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.chat import follow_migration, off_loop
from bot.handlers import App
from bot.services import SrokContext


async def on_migrate(update: Update, context: SrokContext) -> None:
    """The service message of an upgrade, in the old chat or the new one."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id is not None:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    await off_loop(follow_migration, context.services, int(old), int(new))


def register(application: App) -> None:
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
