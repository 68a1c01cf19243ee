"""The command menus published with setMyCommands: contacts' for all, coordinators' per chat."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import BadRequest, Forbidden

from messages import render_plain

_LOG = logging.getLogger(__name__)


def command_list(template: str) -> list[BotCommand]:
    """`command: description` lines of a template as BotCommands."""
    lines = render_plain(template).splitlines()
    return [BotCommand(*line.split(": ", 1)) for line in lines if ": " in line]


async def publish_coordinator_commands(bot: Bot, chat_id: int) -> None:
    """The coordinators' menu in one chat; a chat the bot cannot reach is skipped."""
    try:
        await bot.set_my_commands(
            command_list("bot/commands_coordinator.j2"), scope=BotCommandScopeChat(chat_id)
        )
    except (BadRequest, Forbidden) as exc:
        _LOG.warning("no coordinator commands for chat %s: %s", chat_id, exc.message)


async def publish_commands(bot: Bot, *, coordinator_chats: Iterable[int]) -> None:
    """Contacts' menu for everyone, coordinators' menu in each coordinator's chat."""
    await bot.set_my_commands(
        command_list("bot/commands_contact.j2"), scope=BotCommandScopeDefault()
    )
    for chat_id in coordinator_chats:
        await publish_coordinator_commands(bot, chat_id)
