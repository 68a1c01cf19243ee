"""Coordinator commands: summaries, overdue, one item, one agency, exports, manual reminders.

Every command first checks that the user is a coordinator (an active coordinator contact,
or a Telegram id in SROK_COORDINATOR_IDS); a contact gets a polite refusal. Database reads
and file building run in a worker thread so the event loop keeps serving other chats.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.services import Services, SrokContext
from messages import render, split_message
from models.coordinators import is_coordinator
from models.summary import build_summary, overdue_items

Handler = Callable[[Update, SrokContext], Awaitable[None]]


def _allowed(services: Services, user_id: int) -> bool:
    with services.session_factory.begin() as session:
        return is_coordinator(
            session, user_id=user_id, configured=services.settings.srok_coordinator_ids
        )


async def _check(update: Update, context: SrokContext) -> bool:
    """True for a coordinator; anyone else is told, politely, that the command is not theirs."""
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return False
    if await asyncio.to_thread(_allowed, context.services, user.id):
        return True
    await message.reply_text(render("reports/refused.j2"))
    return False


async def _reply_long(update: Update, text: str) -> None:
    """Send `text` in as many messages as Telegram's 4096-character limit needs."""
    message = update.effective_message
    assert message is not None  # _check has seen it
    for part in split_message(text):
        await message.reply_text(part)


def _plan_arg(args: list[str] | None) -> int | None:
    """The plan id given after a command, if any (`/summary 2`)."""
    if args and args[0].isdigit():
        return int(args[0])
    return None


def _summary_text(services: Services, plan_id: int | None) -> str:
    with services.session_factory.begin() as session:
        summary = build_summary(session, now=services.clock(), plan_id=plan_id)
    return render("reports/summary.j2", summary=summary, timezone=services.settings.srok_timezone)


async def summary(update: Update, context: SrokContext) -> None:
    """/summary [plan]: counts by status, section and agency, what is late, who is silent."""
    if not await _check(update, context):
        return
    text = await asyncio.to_thread(_summary_text, context.services, _plan_arg(context.args))
    await _reply_long(update, text)


def _overdue_text(services: Services) -> str:
    now = services.clock()
    with services.session_factory.begin() as session:
        entries = overdue_items(session, now=now)
    return render("reports/overdue.j2", entries=entries, now=now)


async def overdue(update: Update, context: SrokContext) -> None:
    """/overdue: every item x agency pair past its window and not done."""
    if not await _check(update, context):
        return
    await _reply_long(update, await asyncio.to_thread(_overdue_text, context.services))


COMMANDS: dict[str, Handler] = {
    "summary": summary,
    "overdue": overdue,
}


def register(app: Application, group: int = 0) -> None:  # type: ignore[type-arg]
    """Add the coordinator commands to `app` (in `group`, as bot/app.py orders them)."""
    for name, callback in COMMANDS.items():
        app.add_handler(CommandHandler(name, callback), group=group)
