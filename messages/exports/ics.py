"""The iCalendar export: one all-day event per window of every current item (RFC 5545)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from messages.formatting import status_label
from models.reports.exports import ExportData, ExportItem, ExportPlan
from scheduler.rules.domain import Status

#: A window longer than this is two one-day events (its start, its end), not a banner
#: across weeks of everyone's calendar.
LONGEST_BANNER = timedelta(days=31)

PRODID = "-//Srok//Сроки планов сотрудничества//RU"
UID_DOMAIN = "srok.local"
EDGE_WORDS = {"start": "Начало срока", "end": "Окончание срока"}


def calendar_ics(data: ExportData) -> bytes:
    """The calendar as .ics bytes: printed windows, plus each agency's own confirmed dates."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Срок: планы сотрудничества")
    for plan in data.plans:
        for item in plan.items:
            for event in _events(plan, item, data.now):
                calendar.add_component(event)
    return calendar.to_ical()


def _events(plan: ExportPlan, item: ExportItem, now: datetime) -> list[Event]:
    cancelled = item.status == Status.CANCELLED or item.closed
    events = []
    for start, end in item.printed_windows:
        uid = f"srok-{item.id}-{start:%Y%m%d}-{end:%Y%m%d}"
        events += _window_events(plan, item, start, end, now, uid=uid, cancelled=cancelled)
    for agency in item.agencies:
        if not agency.own_windows:
            continue
        for start, end in agency.windows:
            uid = f"srok-{item.id}-a{agency.id}-{start:%Y%m%d}-{end:%Y%m%d}"
            events += _window_events(
                plan, item, start, end, now, uid=uid, agency=agency.name,
                cancelled=cancelled or agency.status == Status.CANCELLED,
            )  # fmt: skip
    return events


def _window_events(
    plan: ExportPlan,
    item: ExportItem,
    start: date,
    end: date,
    now: datetime,
    *,
    uid: str,
    cancelled: bool,
    agency: str | None = None,
) -> list[Event]:
    """One all-day event for a window up to a month; its start and its end beyond that."""
    if end - start < LONGEST_BANNER:
        return [_event(plan, item, start, end, now, uid=uid, agency=agency, cancelled=cancelled)]
    return [
        _event(
            plan,
            item,
            day,
            day,
            now,
            uid=f"{uid}-{edge}",
            agency=agency,
            cancelled=cancelled,
            edge=edge,
        )
        for day, edge in ((start, "start"), (end, "end"))
    ]


def _event(
    plan: ExportPlan,
    item: ExportItem,
    start: date,
    end: date,
    now: datetime,
    *,
    uid: str,
    agency: str | None = None,
    cancelled: bool = False,
    edge: str | None = None,
) -> Event:
    """An all-day event; DTEND is exclusive in iCalendar, hence the day after the window.
    `edge` marks the start or the end of a long window."""
    event = Event()
    # Stable across exports: the same window of the same item keeps its UID.
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", now)
    event.add("dtstart", start)
    event.add("dtend", end + timedelta(days=1))
    summary = f"{item.number}. {item.title}"
    if edge is not None:
        summary = f"{EDGE_WORDS[edge]}: {summary}"
    event.add("summary", f"{summary} — {agency}" if agency else summary)
    event.add("description", _description(plan, item, agency))
    event.add("categories", [plan.title[:60]])
    if cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if item.tentative else "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    return event


def _description(plan: ExportPlan, item: ExportItem, agency: str | None) -> str:
    lines = [plan.title, f"Срок по плану: {item.deadline_text or 'не указан'}"]
    if agency:
        lines.append(f"Срок, названный органом: {agency}")
    lines.append(f"Статус: {status_label(item.status)}")
    lines += [f"• {a.name}: {status_label(a.status)}" for a in item.agencies]
    return "\n".join(lines)
