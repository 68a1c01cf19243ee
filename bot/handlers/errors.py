"""The global error handler: log first, then a polite reply where there is a chat."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.chat import deactivate, off_loop
from bot.handlers import App
from bot.services import SrokContext
from messages import render

_LOG = logging.getLogger("srok.errors")


async def on_error(update: object, context: SrokContext) -> None:
    """Log the failure with its update id, then tell the user, if there is one to tell."""
    update_id = update.update_id if isinstance(update, Update) else None
    _LOG.error("handling update %s failed", update_id, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        # The user blocked the bot: nobody to tell, and nothing more to send there.
        await off_loop(deactivate, context.services, update.effective_chat.id)
        return
    try:
        await context.bot.send_message(update.effective_chat.id, render("bot/error.j2"))
    except TelegramError as exc:
        _LOG.warning("could not apologise in chat %s: %s", update.effective_chat.id, exc)


def register(application: App) -> None:
    application.add_error_handler(on_error)
