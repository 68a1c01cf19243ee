"""`srok parse`: the windows of one deadline phrase, or of each line of standard input."""

from __future__ import annotations

import io
import sys
from datetime import date
from typing import TextIO

import click

from bot.cli.common import CliError, IsoDate, emit_json, json_option, now_utc, to_json
from scheduler.deadlines import DeadlineParse, parse_deadline

RECURRENCE_LABELS = {
    "yearly": "ежегодно",
    "half_yearly": "раз в полугодие",
    "quarterly": "ежеквартально",
    "monthly": "ежемесячно",
    "weekly": "еженедельно",
}


def default_reference() -> date:
    """The 1st of January of the current year (the CLI may read the clock)."""
    return date(now_utc().year, 1, 1)


def human(result: DeadlineParse) -> str:
    """The parse in Russian words, through the `cli/parse.j2` template."""
    from messages import render_plain

    return render_plain(
        "cli/parse.j2",
        text=" ".join(result.text.split()),
        windows=result.windows,
        recurrence=result.recurrence,
        recurrence_label=RECURRENCE_LABELS.get(result.recurrence or "", ""),
        tentative=result.tentative,
        undated=result.undated,
        due=result.due,
        warnings=result.warnings,
    )


class LineReferenceError(CliError):
    """A line of standard input whose reference date after the tab is not an ISO date."""

    def __init__(self, number: int, value: str) -> None:
        super().__init__(f"строка {number}: дата отсчета {value!r} не в формате ГГГГ-ММ-ДД")


def parse_lines(stream: TextIO, *, reference: date) -> None:
    """Each line a phrase, optionally TAB and its own reference; one JSON line per line."""
    for number, raw in enumerate(stream, start=1):
        line = raw.rstrip("\r\n")
        phrase, tab, own = line.rpartition("\t")
        if not tab:
            phrase, own = line, ""
        line_reference = reference
        if own.strip():
            try:
                line_reference = date.fromisoformat(own.strip())
            except ValueError as exc:
                raise LineReferenceError(number, own.strip()) from exc
        result = parse_deadline(phrase, reference=line_reference)
        sys.stdout.write(to_json(result.to_json()) + "\n")
    sys.stdout.flush()


def stdin_text() -> TextIO:
    """Standard input as UTF-8 text; undecodable bytes become U+FFFD instead of a traceback."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin
    return io.TextIOWrapper(buffer, encoding="utf-8", errors="replace", newline=None)


@click.command()
@click.argument("phrase", required=False)
@click.option(
    "--reference",
    type=IsoDate(),
    default=None,
    help="Дата отсчета (начало периода плана); по умолчанию 1 января текущего года.",
)
@json_option
def parse(phrase: str | None, reference: date | None, as_json: bool) -> None:
    """Разбор формулировки срока; без ФРАЗЫ читает строки со стандартного ввода (JSON Lines)."""
    reference = reference or default_reference()
    if phrase is None:
        parse_lines(stdin_text(), reference=reference)
        return
    result = parse_deadline(phrase, reference=reference)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(human(result))
