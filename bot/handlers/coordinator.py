"""Coordinator commands: exports, manual reminders, invites (reports: bot/handlers/reports.py).

Every command first checks that the user is a coordinator (an active coordinator contact,
or a Telegram id in SROK_COORDINATOR_IDS); anyone else gets a polite refusal. Database
reads, rendering and file building run in a worker thread (`bot.chat.off_loop`) so the
event loop keeps serving other chats; each opens its own transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.ext import CommandHandler

from bot.chat import local_today, off_loop, reply_long
from bot.handlers import App
from bot.services import Services, SrokContext
from messages import render
from messages.exports import calendar_ics, workbook_xlsx
from models.chats.contacts import (
    AgencyNotFoundError,
    AmbiguousAgencyError,
    coordinator_contact,
    find_agency,
)
from models.chats.coordinators import is_coordinator
from models.chats.invites import create_invite
from models.outbox.manual import remind_item
from models.reports.details import item_detail
from models.reports.exports import export_data
from scheduler.rules.domain import Role
from scheduler.rules.numbers import NumberRefused, parse_id
from scheduler.runtime.levers import role_of_invite

Handler = Callable[[Update, SrokContext], Coroutine[Any, Any, None]]


def _allowed(services: Services, user_id: int) -> bool:
    with services.session_factory.begin() as session:
        return is_coordinator(
            session, user_id=user_id, configured=services.settings.srok_coordinator_ids
        )


def coordinator_only(handler: Handler) -> Handler:
    """Run `handler` for coordinators; anyone else is told, politely, it is not theirs."""

    @functools.wraps(handler)
    async def checked(update: Update, context: SrokContext) -> None:
        user, message = update.effective_user, update.effective_message
        if user is None or message is None:
            return
        if await off_loop(_allowed, context.services, user.id):
            try:
                await handler(update, context)
            except NumberRefused as exc:  # a plan number that is not one: one polite line
                text = render(
                    "bot/bad_number.j2", what=exc.what, text=exc.text, low=exc.low, high=exc.high
                )
                await message.reply_text(text)
        else:
            await message.reply_text(render("reports/refused.j2"))

    return checked


def _message(update: Update) -> Message:
    message = update.effective_message
    assert message is not None  # coordinator_only has seen it
    return message


def _plan_id(text: str) -> int:
    """A plan's id as typed; raises NumberRefused for anything else."""
    plan_id = parse_id(text)
    if plan_id is None:
        raise NumberRefused("plan", text)
    return plan_id


def _plan_arg(args: list[str] | None) -> int | None:
    """The plan id given after a command, if any (`/summary 2`)."""
    return _plan_id(args[0]) if args else None


def _number_and_plan(args: list[str] | None) -> tuple[str, int | None]:
    """`/item 1.1` or `/item 1.1 2` (the plan's id second)."""
    args = list(args or [])
    number = args[0].rstrip(".") if args else ""
    plan_id = _plan_id(args[1]) if len(args) > 1 else None
    return number, plan_id


def _remind_text(services: Services, number: str, plan_id: int | None) -> str:
    if not number:
        return render("reports/item_not_found.j2", number="", plan_id=None, command="remind")
    with services.session_factory.begin() as session:
        details = item_detail(session, plan_id=plan_id, number=number)
        live = [d for d in details if d.withdrawn_at is None]
        if len(live) != 1:
            plans = [d.plan for d in live]
            return render("reports/remind.j2", result=None, number=number, plans=plans)
        result = remind_item(
            session, item_id=live[0].item_id, now=services.clock(), today=local_today(services)
        )
        return render("reports/remind.j2", result=result, number=number, plans=[live[0].plan])


@coordinator_only
async def remind(update: Update, context: SrokContext) -> None:
    """/remind <number> [plan]: remind the item's agencies now (the dispatcher sends it)."""
    number, plan_id = _number_and_plan(context.args)
    text = await off_loop(_remind_text, context.services, number, plan_id)
    await reply_long(_message(update), text)


def _invite_text(services: Services, query: str, chat_id: int, username: str | None) -> str:
    query, role = role_of_invite(query)
    if not query and role == Role.CONTACT:
        return render("reports/invite.j2", problem="empty", query=query)
    with services.session_factory.begin() as session:
        try:
            found = find_agency(session, query=query) if query else None
        except AgencyNotFoundError:
            return render("reports/invite.j2", problem="not_found", query=query)
        except AmbiguousAgencyError as exc:
            return render("reports/invite.j2", problem="ambiguous", query=query, names=exc.names)
        author = coordinator_contact(session, chat_id=chat_id)
        invite = create_invite(
            session,
            agency_id=found.id if found else None,
            role=role,
            now=services.clock(),
            ttl=timedelta(days=services.settings.srok_invite_ttl_days),
            created_by=author.id if author else None,
        )
    return render(
        "reports/invite.j2",
        problem=None,
        invite=invite,
        username=username,
        timezone=services.settings.srok_timezone,
    )


def _bot_username(context: SrokContext) -> str | None:
    """The bot's @name for deep links: from getMe, else TELEGRAM_BOT_USERNAME."""
    try:
        return context.bot.username
    except RuntimeError:  # the bot was never initialised (no getMe yet)
        return context.services.settings.telegram_bot_username


@coordinator_only
async def invite(update: Update, context: SrokContext) -> None:
    """/invite <agency> [coordinator]: a single-use deep link that binds one contact to the
    agency (or a coordinator)."""
    message = _message(update)
    username = _bot_username(context)
    query = " ".join(context.args or [])
    text = await off_loop(_invite_text, context.services, query, message.chat_id, username)
    await message.reply_text(text)


@dataclass(frozen=True)
class _File:
    content: bytes
    filename: str
    caption: str


def _export_file(services: Services, kind: str, plan_id: int | None) -> _File:
    now = services.clock()
    timezone = services.settings.srok_timezone
    with services.session_factory.begin() as session:
        data = export_data(session, now=now, plan_id=plan_id, with_history=kind == "xlsx")
    stamp = now.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d")
    caption = render("reports/file_caption.j2", kind=kind, data=data, now=now, timezone=timezone)
    if kind == "xlsx":
        return _File(workbook_xlsx(data, timezone=timezone), f"srok-{stamp}.xlsx", caption)
    return _File(calendar_ics(data), f"srok-{stamp}.ics", caption)


def _chart_files(services: Services, plan_id: int | None) -> tuple[list[_File], str]:
    """A timeline picture per plan (matplotlib is imported on first use); the caption
    alone when there is no plan."""
    from messages.exports.chart import chart_pngs

    now, timezone = services.clock(), services.settings.srok_timezone
    with services.session_factory.begin() as session:
        data = export_data(session, now=now, plan_id=plan_id, with_history=False)
    stamp = now.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d")
    files = []
    for plan, png in chart_pngs(data):
        one = replace(data, plans=(plan,))
        caption = render(
            "reports/file_caption.j2", kind="png", data=one, now=now, timezone=timezone
        )
        files.append(_File(png, f"srok-{plan.id}-{stamp}.png", caption))
    empty = render("reports/file_caption.j2", kind="png", data=data, now=now, timezone=timezone)
    return files, empty


@coordinator_only
async def export(update: Update, context: SrokContext) -> None:
    """/export [plan]: the plans as an XLSX workbook."""
    file = await off_loop(_export_file, context.services, "xlsx", _plan_arg(context.args))
    await _message(update).reply_document(
        document=file.content, filename=file.filename, caption=file.caption
    )


@coordinator_only
async def calendar(update: Update, context: SrokContext) -> None:
    """/calendar [plan]: every window as an all-day event in an .ics file."""
    file = await off_loop(_export_file, context.services, "ics", _plan_arg(context.args))
    await _message(update).reply_document(
        document=file.content, filename=file.filename, caption=file.caption
    )


@coordinator_only
async def chart(update: Update, context: SrokContext) -> None:
    """/chart [plan]: the timeline of each plan's windows, a PNG document per plan."""
    files, empty = await off_loop(_chart_files, context.services, _plan_arg(context.args))
    message = _message(update)
    if not files:
        await message.reply_text(empty)
    # Documents, not photos: Telegram would shrink a photo until its labels blur.
    for file in files:
        await message.reply_document(
            document=file.content, filename=file.filename, caption=file.caption
        )


COMMANDS: dict[str, Handler] = {
    "remind": remind,
    "invite": invite,
    "export": export,
    "calendar": calendar,
    "chart": chart,
}


def register(app: App, group: int = 0) -> None:
    """Add the coordinator commands to `app` (in `group`, as bot/app.py orders them)."""
    for name, callback in COMMANDS.items():
        app.add_handler(CommandHandler(name, callback), group=group)
