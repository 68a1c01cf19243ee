"""`srok import`, `srok items`, `srok agencies` and `srok db upgrade`."""

from __future__ import annotations

import functools
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click

from bot.cli.common import (
    CliError,
    RowId,
    emit_json,
    json_option,
    now_utc,
    open_database,
    settings_or_exit,
)
from messages import format_windows, render_plain
from messages.formatting import format_day, format_window
from models.db import DatabaseUnavailableError, make_engine, upgrade
from models.importing import ImportFormatError, ImportReport, preview_plans
from models.importing import import_plans as import_file
from models.importing.period import Period, parse_period_option
from models.importing.upsert import plan_today
from models.reports.catalog import list_agencies, list_items
from scheduler.rules.policy import Policy
from scheduler.runtime.planning import import_and_plan

# Existence is checked by the importer, which says so in Russian (click would in English).
_FILE = click.Path(path_type=Path)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=_FILE)
@click.option(
    "--assignments",
    type=_FILE,
    default=None,
    help="YAML или CSV: ответственные по разделам и пунктам для планов без этой колонки.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Только показать, что прочитано в файле; в базу ничего не записывается.",
)
@click.option("--period", "period_text", default=None, help="Период плана: 2026-2028 или 2026.")
@click.option("--name", default=None, help="Краткое название плана для сообщений.")
@json_option
def import_plans(
    files: tuple[Path, ...],
    assignments: Path | None,
    dry_run: bool,
    period_text: str | None,
    name: str | None,
    as_json: bool,
) -> None:
    """Импорт планов (.docx, .xlsx, .odt, .md, .txt); все файлы — одной транзакцией.

    Книга Excel с планами на нескольких листах импортируется целиком: каждый лист —
    свой план."""
    period = _period(period_text)
    if dry_run:
        _preview(files, assignments=assignments, period=period, name=name, as_json=as_json)
        return
    settings = settings_or_exit()
    session_factory = open_database(settings)
    now = now_utc()
    policy = Policy.from_settings(settings)
    reports: list[ImportReport] = []
    created = 0
    try:
        with session_factory.begin() as session:
            for path in files:
                # Planned at once: `srok reminders` right after shows them, and what is
                # overdue already goes with the next sweep, batched per contact. A workbook
                # may hold several plans: one report each.
                done = import_and_plan(
                    session,
                    policy=policy,
                    now=now,
                    run_import=functools.partial(
                        import_file,
                        path=path,
                        now=now,
                        assignments=assignments,
                        period=period,
                        name=name,
                    ),
                )
                reports.extend(d.report for d in done)
                created += sum(d.planned.created for d in done)
    except ImportFormatError as exc:
        raise CliError(str(exc)) from exc
    if as_json:
        emit_json([report.to_json() for report in reports])
        return
    for report in reports:
        click.echo(render_plain("cli/import_report.j2", report=report))
    click.echo(render_plain("cli/import_planned.j2", created=created))


def _period(text: str | None) -> Period | None:
    if text is None:
        return None
    try:
        return parse_period_option(text)
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def _preview(
    files: tuple[Path, ...],
    *,
    assignments: Path | None,
    period: Period | None,
    name: str | None,
    as_json: bool,
) -> None:
    """Each file read as the import would read it; the database is never opened. Each
    plan is printed (a JSON document each with --json): a workbook may hold several."""
    today = plan_today(now_utc())
    for path in files:
        try:
            previews = preview_plans(
                path, today=today, period=period, name=name, assignments=assignments
            )
        except ImportFormatError as exc:
            raise CliError(str(exc)) from exc
        for preview in previews:
            data = preview.to_json()
            if as_json:
                emit_json(data)
                continue
            context = _preview_context(data, plans=len(previews))
            click.echo(render_plain("cli/import_preview.j2", **context))


def _preview_context(data: dict[str, Any], *, plans: int) -> dict[str, Any]:
    period = data["period"]
    start, end = date.fromisoformat(period["start"]), date.fromisoformat(period["end"])
    approval = data["approval"]
    return {
        "file": data["source_name"],
        "plans": plans,
        "p": data,
        "period_text": format_window((start, end)),
        "approval_date": format_day(date.fromisoformat(approval["date"]))
        if approval and approval["date"]
        else "",
        "windows_text": [
            format_windows((date.fromisoformat(a), date.fromisoformat(b)) for a, b in i["windows"])
            for i in data["items"]
        ],
    }


@click.command("items")
@click.option(
    "--plan",
    "plan_id",
    type=RowId("plan"),
    default=None,
    help="Только пункты плана с этим номером.",
)
@json_option
def items(plan_id: int | None, as_json: bool) -> None:
    """Пункты планов в базе."""
    settings = settings_or_exit()
    session_factory = open_database(settings)
    today = now_utc().astimezone(ZoneInfo(settings.srok_timezone)).date()
    with session_factory.begin() as session:
        found = list_items(session, plan_id=plan_id, today=today)
    if as_json:
        emit_json(found)
        return
    for item in found:
        item["windows_text"] = format_windows(
            (date.fromisoformat(a), date.fromisoformat(b)) for a, b in item["windows"]
        )
    click.echo(render_plain("cli/items.j2", items=found))


@click.command("agencies")
@json_option
def agencies(as_json: bool) -> None:
    """Ответственные органы в базе."""
    session_factory = open_database(settings_or_exit())
    with session_factory.begin() as session:
        found = list_agencies(session)
    if as_json:
        emit_json(found)
        return
    click.echo(render_plain("cli/agencies.j2", agencies=found))


@click.group("db")
def db() -> None:
    """Схема базы данных (миграции)."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Применить миграции до последней версии схемы."""
    settings = settings_or_exit()
    try:
        engine = make_engine(settings.database_url)
        upgrade(engine)
    except DatabaseUnavailableError as exc:
        raise CliError(str(exc)) from exc
    url = engine.url.render_as_string(hide_password=True)
    engine.dispose()
    click.echo(render_plain("cli/import_db_upgraded.j2", url=url))
