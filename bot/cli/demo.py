"""`srok demo`: the sample plans, invented contacts, a simulated calendar, every message."""

from __future__ import annotations

import asyncio
import io
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.common import CliError, IsoDate, open_database, settings_or_exit
from bot.cli.demo_people import (
    answer_date_requests,
    answer_sent_reminders,
    in_words,
    invent_contacts,
    next_pending_due,
)
from bot.cli.demo_sender import ConsoleSender
from messages import render_plain
from models.importing import ImportFormatError, import_plan
from models.reports.catalog import list_items
from models.reports.summary import build_summary
from models.schema.reminders import Reminder
from scheduler.rules.domain import Status
from scheduler.rules.policy import Policy
from scheduler.runtime.dispatch import DispatchConfig, Dispatcher
from scheduler.runtime.pacing import Pacer
from scheduler.runtime.planning import replan_all
from scheduler.runtime.sending import OutgoingMessage, SendResult

SAMPLES = Path(__file__).resolve().parents[2] / "models" / "samples"
SAMPLE_PLANS = (
    (SAMPLES / "smolensk_mogilev_roadmap_2026_2028.txt", None),
    (
        SAMPLES / "smolensk_international_events_h1_2026.txt",
        SAMPLES / "smolensk_international_events_h1_2026.assignments.yaml",
    ),
)


@dataclass
class DayAnswers:
    """What the invented contacts answered on a day: by button, in words without
    «reply» ({reminder id: their words}), and dates named for undated items."""

    answers: list[tuple[Reminder, Status]]
    words: dict[int, str]
    dates: list[tuple[Reminder, str, list[tuple[date, date]]]]

    def __len__(self) -> int:
        return len(self.answers) + len(self.dates)


@dataclass
class RecordingSender:
    """The console sender, plus the reminder ids whose status buttons went out (alone, or
    one tap away: the card button of a batched message)."""

    console: ConsoleSender
    asked: list[int] = field(default_factory=list)
    #: Date requests («Назовите, пожалуйста, дату») that went out.
    dated: list[int] = field(default_factory=list)

    async def send(self, message: OutgoingMessage) -> SendResult:
        for row in message.buttons:
            for button in row:
                kind, _, rest = button.callback_data.partition(":")
                if kind == "st" and rest.endswith(":dn"):
                    self.asked.append(int(rest.split(":")[0]))
                elif kind == "st" and rest.endswith(":dt"):
                    self.dated.append(int(rest.split(":")[0]))
                elif kind == "cd":
                    self.asked.append(int(rest))
        return await self.console.send(message)

    def take(self) -> list[int]:
        asked, self.asked = self.asked, []
        return asked

    def take_dated(self) -> list[int]:
        dated, self.dated = self.dated, []
        return dated


@click.command("demo")
@click.option(
    "--database",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Новый файл SQLite (по умолчанию — во временном каталоге).",
)
@click.option("--from", "start", type=IsoDate(), default="2026-01-01", show_default=True)
@click.option("--to", "end", type=IsoDate(), default="2028-12-31", show_default=True)
def demo(database: Path | None, start: date, end: date) -> None:
    """Импорт примеров, прогон календаря с придуманными контактами, все напоминания."""
    if end < start:
        raise CliError("дата --to раньше даты --from")
    path = database or Path(tempfile.mkdtemp(prefix="srok-demo-")) / "srok-demo.db"
    if path.exists():
        raise CliError(f"файл {path} уже существует: демонстрации нужна новая база")
    path.parent.mkdir(parents=True, exist_ok=True)
    settings = settings_or_exit(database_url=f"sqlite:///{path}")
    session_factory = open_database(settings)
    first_moment = _morning(start, settings.srok_timezone)
    with session_factory.begin() as session:
        reports = _import_samples(session, now=first_moment)
        names = invent_contacts(session, now=first_moment)
        items = [_with_dates(item) for item in list_items(session)]
    click.echo(render_plain("cli/demo_intro.j2", path=str(path), reports=reports, contacts=names))
    click.echo(render_plain("cli/demo_deadlines.j2", items=items))
    policy = Policy.from_settings(settings)
    totals = asyncio.run(
        _walk(
            session_factory,
            policy,
            names,
            (start, end),
            settings.srok_timezone,
            settings.srok_progress_silence_days,
        )
    )
    with session_factory.begin() as session:
        summary = build_summary(session, now=_morning(end, settings.srok_timezone))
    click.echo(render_plain("cli/demo_outro.j2", totals=totals, start=start, end=end))
    click.echo(render_plain("cli/summary.j2", summary=summary, timezone=settings.srok_timezone))


async def _simulate_day(
    session_factory: sessionmaker[Session],
    dispatcher: Dispatcher,
    sender: RecordingSender,
    policy: Policy,
    now: datetime,
    today: date,
) -> DayAnswers:
    """Re-plan, one dispatch pass at `now`, the contacts answer, re-plan the follow-ups."""
    with session_factory.begin() as session:
        replan_all(session, policy=policy, now=now)
    await dispatcher.run_pass(now=now, clock=lambda: now)
    answered_at = now + timedelta(hours=2)
    with session_factory.begin() as session:
        answers = answer_sent_reminders(session, reminder_ids=sender.take(), now=answered_at)
        words = {
            reminder.id: text
            for reminder, status in answers
            if (text := in_words(session, reminder=reminder, status=status, today=today))
        }
        dates = answer_date_requests(
            session, reminder_ids=sender.take_dated(), today=today, now=answered_at
        )
        replan_all(session, policy=policy, now=answered_at)
    return DayAnswers(answers, words, dates)


def _next_day(session_factory: sessionmaker[Session], day: date, now: datetime) -> date:
    """The next day anything falls due, but at least weekly, so planning keeps ahead."""
    with session_factory.begin() as session:
        due = next_pending_due(session, after=now)
    weekly = day + timedelta(days=7)
    if due is None:
        return weekly
    return max(day + timedelta(days=1), min(due.date(), weekly))


def _import_samples(session: Session, *, now: datetime) -> list[object]:
    try:
        return [
            import_plan(session, path=plan, assignments=assignments, now=now)
            for plan, assignments in SAMPLE_PLANS
        ]
    except ImportFormatError as exc:
        raise CliError(str(exc)) from exc


def _with_dates(item: dict[str, Any]) -> dict[str, Any]:
    """An item of `list_items` with its ISO dates as dates, for the template."""
    windows = [(date.fromisoformat(s), date.fromisoformat(e)) for s, e in item["windows"]]
    due = [date.fromisoformat(day) for day in item["due"]]
    return {**item, "windows": windows, "due": due}


def _morning(day: date, timezone: str) -> datetime:
    """09:00 in the plans' zone, in UTC: when the day's reminders are due."""
    return datetime.combine(day, time(9, 0), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


async def _walk(
    session_factory: sessionmaker[Session],
    policy: Policy,
    names: dict[int, str],
    period: tuple[date, date],
    timezone: str,
    silence_days: int,
) -> dict[str, int]:
    """Every day something falls due (and at least weekly): plan, send at 09:00, answer."""
    console = ConsoleSender(names=names)
    sender = RecordingSender(console)
    config = DispatchConfig(
        owner="demo", timezone=timezone, progress_silence=timedelta(days=silence_days)
    )
    dispatcher = Dispatcher(session_factory, sender, config=config, pacer=Pacer.unlimited())
    totals = {"days": 0, "messages": 0, "answers": 0}
    day, end = period
    while day <= end:
        now = _morning(day, timezone)
        console.out = out = io.StringIO()  # the day's messages, printed after its header
        answers = await _simulate_day(session_factory, dispatcher, sender, policy, now, day)
        sent = out.getvalue()
        if sent:
            click.echo(
                render_plain(
                    "cli/demo_day.j2",
                    day=day,
                    text=sent,
                    answers=answers.answers,
                    words=answers.words,
                    dates=answers.dates,
                )
            )
        totals["days"] += 1
        totals["answers"] += len(answers)
        day = _next_day(session_factory, day, now)
    totals["messages"] = console.sent
    return totals
