"""`srok reminders` and `srok dispatch`: the outbox from the command line."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import click

from bot.cli.common import (
    CliError,
    IsoDate,
    IsoMoment,
    aware,
    emit_json,
    json_option,
    open_database,
    settings_or_exit,
)
from messages import render_plain
from models.reminders import list_reminders, plan_reminders
from scheduler.policy import Policy

# --- `srok reminders` (the planning side; `dispatch` above belongs to the dispatcher) ---


@click.command("reminders")
@click.option("--from", "start", type=IsoDate(), default=None, help="С этой даты (включительно).")
@click.option("--to", "end", type=IsoDate(), default=None, help="По эту дату (включительно).")
@click.option("--plan", "replan", is_flag=True, help="Сначала пересчитать напоминания.")
@click.option("--now", "moment", type=IsoMoment(), help="Момент пересчёта (по умолчанию — сейчас).")
@json_option
def reminders(
    start: date | None, end: date | None, replan: bool, moment: datetime | None, as_json: bool
) -> None:
    """Запланированные напоминания; с --plan — пересчитанные по политике на момент --now."""
    settings = settings_or_exit()
    if start is not None and end is not None and end < start:
        raise CliError(f"--to {end.isoformat()} раньше, чем --from {start.isoformat()}")
    session_factory = open_database(settings)
    zone = ZoneInfo(settings.srok_timezone)
    result = None
    if replan:
        with session_factory.begin() as session:
            result = plan_reminders(
                session,
                now=aware(moment, settings.srok_timezone),
                policy=Policy.from_settings(settings),
            )
    with session_factory.begin() as session:
        rows = list_reminders(
            session,
            start=_day_start(start, zone),
            end=_day_start(end + timedelta(days=1), zone) if end else None,
        )
    for row in rows:
        row["due"] = row["due"].astimezone(zone)
    if as_json:
        emit_json(rows)
        return
    click.echo(
        render_plain("cli/reminders.j2", rows=rows, result=result, timezone=settings.srok_timezone)
    )


def _day_start(day: date | None, zone: ZoneInfo) -> datetime | None:
    """Midnight starting `day` in `zone`."""
    return datetime.combine(day, time(), tzinfo=zone) if day else None
