"""Reports that lead with the problems: /summary, /overdue, /item, /agency and their buttons.

Every command is for coordinators (`coordinator_only`); every button press (`rp:…`, see
`messages.report_keys`) is checked against the database again: a contact who presses a
button forwarded to them is refused and nothing is sent. Reads and rendering run in a
worker thread, each in its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.chat import answer_quietly, edit_text, local_today, off_loop, reply_long
from bot.handlers import App
from bot.handlers.coordinator import (
    _allowed,
    _message,
    _number_and_plan,
    _plan_arg,
    coordinator_only,
)
from bot.services import Services, SrokContext
from bot.telegram_sender import keyboard, keyboard_json
from messages import TELEGRAM_LIMIT, render, telegram_length
from messages.buttons import pattern
from messages.fit import page_of, render_fitted
from messages.report_keys import (
    PREFIX,
    ReportKey,
    Rows,
    choice_rows,
    detail_rows,
    page_rows,
    parse_key,
)
from models.outbox.trail import reminder_trail
from models.reports.attention import late_by_agency
from models.reports.details import (
    agency_overview,
    find_agencies,
    find_plans,
    item_detail,
    item_detail_by_id,
)
from models.reports.summary import build_summary, overdue_items, plan_lines
from scheduler.runtime.levers import agency_levers, item_levers
from scheduler.runtime.sending import Button

#: Lines of a detail view per page (shrunk when a page's text would not fit).
OVERDUE_PAGE = 20
GROUPS_PAGE = 25
#: Choices offered as buttons (agencies matching a word, plans holding an item number).
MAX_CHOICES = 10


@dataclass(frozen=True)
class View:
    """A report's text and its buttons."""

    text: str
    rows: Rows = ()

    def markup(self) -> InlineKeyboardMarkup | None:
        return keyboard(_buttons(self.rows))

    def markup_json(self) -> dict[str, object] | None:
        return keyboard_json(_buttons(self.rows))


def _buttons(rows: Rows) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(Button(label, data) for label, data in row) for row in rows)


def _plan_title(services: Services, plan_id: int | None) -> str:
    if not plan_id:
        return ""
    with services.session_factory.begin() as session:
        plans = find_plans(session, query=str(plan_id))
    return plans[0].title if plans else ""


def summary_view(services: Services, plan_id: int | None) -> View:
    """One plan's summary (problems first) with its detail buttons; several plans: a line
    and a button each."""
    now, timezone = services.clock(), services.settings.srok_timezone
    with services.session_factory.begin() as session:
        plans = find_plans(session)
        if plan_id is not None and not any(p.id == plan_id for p in plans):
            return View(render("reports/plan_not_found.j2", plans=plans, plan_id=plan_id))
        if plan_id is None and len(plans) > 1:
            lines = plan_lines(session, now=now)
            text = render("reports/plans.j2", lines=lines, now=now, timezone=timezone)
            return View(text, choice_rows("sm", [(p.id, f"{p.id}. {p.title}") for p in plans]))
        summary = build_summary(session, now=now, plan_id=plan_id)
    text = render_fitted("reports/summary.j2", summary=summary, timezone=timezone)
    return View(text, detail_rows(plan_id) if summary.total else ())


def overdue_view(services: Services, plan_id: int | None, page: int) -> View:
    """One page of the overdue pairs, by agency, the latest first."""
    now = services.clock()
    with services.session_factory.begin() as session:
        entries = overdue_items(session, now=now, plan_id=plan_id)
    today = local_today(services)
    groups = late_by_agency(entries)
    flat = [(group, entry) for group in groups for entry in group.entries]
    context = {
        "items": len({e.item_id for e in entries}),
        "agencies": len(groups),
        "plan": _plan_title(services, plan_id),
        "today": today,
        "several_plans": len({e.plan_id for e in entries}) > 1,
    }
    size = OVERDUE_PAGE
    while True:
        chunk, page_used, pages = page_of(flat, page=page, size=size)
        paged: list[tuple[Any, list[Any], bool]] = []
        for group, entry in chunk:
            if paged and paged[-1][0] is group:
                paged[-1][1].append(entry)
            else:
                paged.append((group, [entry], entry is not group.entries[0]))
        text = render("reports/overdue.j2", groups=paged, page=page_used, pages=pages, **context)
        if telegram_length(text) <= TELEGRAM_LIMIT or size <= 1:
            return View(text, page_rows("ov", plan_id, page_used, pages))
        size //= 2


def groups_view(services: Services, view: str, plan_id: int | None, page: int) -> View:
    """«По органам» (`ag`) or «По разделам» (`sc`): one page of counts."""
    with services.session_factory.begin() as session:
        summary = build_summary(session, now=services.clock(), plan_id=plan_id)
    groups = summary.by_agency if view == "ag" else summary.by_section
    if view == "sc":
        groups = sorted(groups, key=lambda g: -g.overdue)
    chunk, page_used, pages = page_of(groups, page=page, size=GROUPS_PAGE)
    text = render(
        "reports/groups.j2",
        kind="agencies" if view == "ag" else "sections",
        groups=chunk,
        page=page_used,
        pages=pages,
        plan=_plan_title(services, plan_id),
    )
    return View(text, page_rows(view, plan_id, page_used, pages))


def item_view(services: Services, number: str, plan_id: int | None) -> View:
    """/item: the item with its history and reminder trail; several plans: which one?"""
    timezone = services.settings.srok_timezone
    if not number:
        return View(render("reports/item_not_found.j2", number="", plan_id=None, command="item"))
    with services.session_factory.begin() as session:
        details = item_detail(session, plan_id=plan_id, number=number)
        if len(details) > 1:
            plans = [d.plan for d in details]
            choices = [(d.item_id, f"{d.plan.id}. {d.plan.title}") for d in details]
            text = render("reports/item_choices.j2", number=number, plans=plans)
            return View(text, choice_rows("it", choices[:MAX_CHOICES]))
        trails = {d.item_id: reminder_trail(session, item_id=d.item_id) for d in details}
        levers = item_levers(session, item_id=details[0].item_id) if details else ()
    if not details:
        return View(
            render("reports/item_not_found.j2", number=number, plan_id=plan_id, command="item")
        )
    text = render("reports/item.j2", details=details, trails=trails, timezone=timezone)
    return View(text, levers)


def item_by_id_view(services: Services, item_id: int) -> View | None:
    with services.session_factory.begin() as session:
        detail = item_detail_by_id(session, item_id=item_id)
        if detail is None:
            return None
        trails = {item_id: reminder_trail(session, item_id=item_id)}
        levers = item_levers(session, item_id=item_id)
    timezone = services.settings.srok_timezone
    text = render("reports/item.j2", details=[detail], trails=trails, timezone=timezone)
    return View(text, levers)


def agency_view(services: Services, query: str) -> View:
    """/agency: an exact or whole-word match shows the agency; several: choose by button."""
    now = services.clock()
    with services.session_factory.begin() as session:
        found = find_agencies(session, name=query)
        if len(found) != 1:
            names = [a.name for a in found]
            rows = choice_rows("an", [(a.id, a.name) for a in found[:MAX_CHOICES]])
            text = render(
                "reports/agency_choices.j2", names=names, query=query, buttons=MAX_CHOICES
            )
            return View(text, rows)
        overviews = agency_overview(session, agency_id=found[0].id, now=now)
    return View(render("reports/agency.j2", overviews=overviews), agency_levers(found[0].id))


def agency_by_id_view(services: Services, agency_id: int) -> View | None:
    with services.session_factory.begin() as session:
        overviews = agency_overview(session, agency_id=agency_id, now=services.clock())
    if not overviews:
        return None
    return View(render("reports/agency.j2", overviews=overviews), agency_levers(agency_id))


def press_view(services: Services, key: ReportKey) -> View | None:
    """What a report button shows; None when its target is gone."""
    if key.view in {"ov", "ag", "sc", "sm"} and key.target:
        with services.session_factory.begin() as session:
            if not find_plans(session, query=str(key.target)):
                return None
    plan_id = key.target or None
    if key.view == "sm":
        return summary_view(services, plan_id)
    if key.view == "ov":
        return overdue_view(services, plan_id, key.page or 0)
    if key.view in {"ag", "sc"}:
        return groups_view(services, key.view, plan_id, key.page or 0)
    if key.view == "it":
        return item_by_id_view(services, key.target)
    return agency_by_id_view(services, key.target)


async def _reply(update: Update, view: View) -> None:
    """Send `view`: split when long (the buttons under the last part)."""
    await reply_long(_message(update), view.text, view.markup())


@coordinator_only
async def summary(update: Update, context: SrokContext) -> None:
    """/summary [plan]: what needs the coordinator, what is due, the counts; one message."""
    view = await off_loop(summary_view, context.services, _plan_arg(context.args))
    await _reply(update, view)


@coordinator_only
async def overdue(update: Update, context: SrokContext) -> None:
    """/overdue [plan]: overdue items by agency, the latest first, page by page."""
    view = await off_loop(overdue_view, context.services, _plan_arg(context.args), 0)
    await _reply(update, view)


@coordinator_only
async def item(update: Update, context: SrokContext) -> None:
    """/item <number> [plan]: the item's windows, agencies, history and reminder trail."""
    number, plan_id = _number_and_plan(context.args)
    await _reply(update, await off_loop(item_view, context.services, number, plan_id))


@coordinator_only
async def agency(update: Update, context: SrokContext) -> None:
    """/agency <name>: the agency's items; several matches: a button each."""
    query = " ".join(context.args or [])
    await _reply(update, await off_loop(agency_view, context.services, query))


async def on_report_button(update: Update, context: SrokContext) -> None:
    """A report button: coordinators only (checked now); pages turn in place, the rest
    arrives as a new message."""
    query = update.callback_query
    message = query.message if query is not None else None
    if query is None or not isinstance(message, Message):  # none, or too old to be shown
        return
    services = context.services
    key = parse_key(query.data)
    allowed = await off_loop(_allowed, services, query.from_user.id)
    if not allowed or key is None:
        await answer_quietly(query, render("reports/button_refused.j2"))
        return
    view = await off_loop(press_view, services, key)
    if view is None:
        await answer_quietly(query, render("reports/gone.j2"))
        return
    await answer_quietly(query)
    if key.page is not None:
        await edit_text(message, view.text, view.markup_json())
    else:
        await reply_long(message, view.text, view.markup())


COMMANDS = {"summary": summary, "overdue": overdue, "item": item, "agency": agency}


def register(app: App, group: int = 0) -> None:
    """The report commands and the `rp:` buttons (before status's catch-all refusal)."""
    for name, callback in COMMANDS.items():
        app.add_handler(CommandHandler(name, callback), group=group)
    buttons = CallbackQueryHandler(on_report_button, pattern=pattern(PREFIX))
    app.add_handler(buttons, group=group)
