"""`srok summary`, `srok export`, `srok calendar`, `srok chart`: the coordinator's reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click
from sqlalchemy.orm import Session

from bot.cli.common import (
    CliError,
    IsoMoment,
    RowId,
    aware,
    emit_json,
    json_option,
    open_database,
    settings_or_exit,
)
from messages import render_plain
from models.reports.details import find_plans
from models.reports.exports import ExportData, export_data
from models.reports.summary import build_summary

_OUT = click.Path(dir_okay=False, writable=True, path_type=Path)
_PLAN = click.option(
    "--plan", "plan_id", type=RowId("plan"), default=None, help="Только план с этим номером."
)
_NOW = click.option(
    "--now", "moment", type=IsoMoment(), default=None, help="На какой момент (по умолчанию сейчас)."
)


@click.command("summary")
@_PLAN
@_NOW
@json_option
def summary(plan_id: int | None, moment: datetime | None, as_json: bool) -> None:
    """Сводка для координатора: статусы, просрочки, молчащие органы."""
    settings = settings_or_exit()
    session_factory = open_database(settings)
    now = aware(moment, settings.srok_timezone)
    with session_factory.begin() as session:
        _check_plan(session, plan_id)
        result = build_summary(session, now=now, plan_id=plan_id)
    if as_json:
        emit_json(result.as_json())
        return
    click.echo(render_plain("cli/summary.j2", summary=result, timezone=settings.srok_timezone))


def _check_plan(session: Session, plan_id: int | None) -> None:
    if plan_id is not None and not find_plans(session, query=str(plan_id)):
        raise CliError(f"плана с номером {plan_id} нет в базе")


def _write(
    path: Path, plan_id: int | None, moment: datetime | None, build: Callable[[ExportData], bytes]
) -> None:
    """Read the data, build the file, write it, say what was written."""
    settings = settings_or_exit()
    session_factory = open_database(settings)
    now = aware(moment, settings.srok_timezone)
    with session_factory.begin() as session:
        _check_plan(session, plan_id)
        data = export_data(session, now=now, plan_id=plan_id, with_history=path.suffix == ".xlsx")
    content = build(data)
    try:
        path.write_bytes(content)
    except OSError as exc:
        raise CliError(f"не удалось записать {path}: {exc.strerror}") from exc
    items = sum(len(plan.items) for plan in data.plans)
    click.echo(render_plain("cli/file_written.j2", path=str(path), items=items, size=len(content)))


def _suffix(path: Path, wanted: str) -> None:
    if path.suffix.lower() != wanted:
        raise CliError(f"имя файла должно оканчиваться на {wanted}: {path}")


@click.command("export")
@click.argument("path", type=_OUT)
@_PLAN
@_NOW
def export(path: Path, plan_id: int | None, moment: datetime | None) -> None:
    """Выгрузка в XLSX: лист на каждый план и история статусов."""
    from messages.exports.xlsx import workbook_xlsx

    _suffix(path, ".xlsx")
    zone = settings_or_exit().srok_timezone
    _write(path, plan_id, moment, lambda data: workbook_xlsx(data, timezone=zone))


@click.command("calendar")
@click.argument("path", type=_OUT)
@_PLAN
@_NOW
def calendar(path: Path, plan_id: int | None, moment: datetime | None) -> None:
    """Выгрузка в iCalendar: событие на весь день на каждое окно срока."""
    from messages.exports.ics import calendar_ics

    _suffix(path, ".ics")
    _write(path, plan_id, moment, calendar_ics)


@click.command("chart")
@click.argument("path", type=_OUT)
@_PLAN
@_NOW
def chart(path: Path, plan_id: int | None, moment: datetime | None) -> None:
    """Диаграмма сроков (PNG): по картинке на план, разделы полосами, линия «сегодня».

    С несколькими планами пишет файл на каждый: ИМЯ-<номер плана>.png."""
    from messages.exports.chart import chart_pngs

    _suffix(path, ".png")
    settings = settings_or_exit()
    session_factory = open_database(settings)
    now = aware(moment, settings.srok_timezone)
    with session_factory.begin() as session:
        _check_plan(session, plan_id)
        data = export_data(session, now=now, plan_id=plan_id, with_history=False)
    pictures = chart_pngs(data)
    for plan, png in pictures:
        target = path if len(pictures) == 1 else path.with_name(f"{path.stem}-{plan.id}.png")
        try:
            target.write_bytes(png)
        except OSError as exc:
            raise CliError(f"не удалось записать {target}: {exc.strerror}") from exc
        click.echo(
            render_plain(
                "cli/file_written.j2", path=str(target), items=len(plan.items), size=len(png)
            )
        )
