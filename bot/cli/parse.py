"""`srok parse`: the windows of one deadline phrase, or of each line of standard input."""

from __future__ import annotations

import io
import re
import sys
from dataclasses import replace
from datetime import date
from typing import TextIO

import click

from bot.cli.common import IsoDate, emit_json, json_option, now_utc, to_json
from messages.formatting import recurrence_label
from scheduler.rules.deadlines import DeadlineParse, parse_deadline
from scheduler.rules.numbers import MAX_YEAR, MIN_YEAR, sane_moment


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
        recurrence_label=recurrence_label(result.recurrence),
        tentative=result.tentative,
        undated=result.undated,
        due=result.due,
        warnings=result.warnings,
    )


#: What a reference after the tab looks like; anything else is part of the phrase.
DATE_SHAPED = re.compile(r"[\d.\-/ ]+")


def split_line(line: str, *, reference: date) -> tuple[str, date, str | None]:
    """A stdin line as (phrase, reference, warning): «фраза<TAB>2026-09-01».

    A tail with letters is part of the phrase (plan cells may hold tabs); a date-shaped
    tail that is no ISO date keeps the default reference and says so in a warning.
    """
    phrase, tab, tail = line.rpartition("\t")
    own = tail.strip()
    if not tab or (own and not DATE_SHAPED.fullmatch(own)):
        return line, reference, None
    if not own:
        return phrase, reference, None
    try:
        own_reference = sane_moment(date.fromisoformat(own))
    except ValueError:
        why = f"дата отсчета {own!r} не в формате ГГГГ-ММ-ДД, взята {reference.isoformat()}"
        return phrase, reference, why
    if own_reference is None:
        why = (
            f"год даты отсчета {own!r} не от {MIN_YEAR} до {MAX_YEAR}, "
            f"взята {reference.isoformat()}"
        )
        return phrase, reference, why
    return phrase, own_reference, None


Period = tuple[date, date]


class PeriodParam(click.ParamType):
    """«2026-01-01:2028-12-31»: the plan's period, start and end inclusive."""

    name = "НАЧАЛО:КОНЕЦ"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        if isinstance(value, tuple):
            return value
        start, colon, end = str(value).partition(":")
        try:
            period = (date.fromisoformat(start.strip()), date.fromisoformat(end.strip()))
        except ValueError:
            period = None
        if not colon or period is None:
            self.fail(f"период {value!r}: нужен вид ГГГГ-ММ-ДД:ГГГГ-ММ-ДД", param, ctx)
        if period[0] > period[1]:
            self.fail(f"период {value!r}: начало позже конца", param, ctx)
        return period


def parse_lines(stream: TextIO, *, reference: date, period: Period | None = None) -> None:
    """Each line a phrase, optionally TAB and its own reference; one JSON line per line."""
    for raw in stream:
        phrase, line_reference, warning = split_line(raw.rstrip("\r\n"), reference=reference)
        result = parse_deadline(phrase, reference=line_reference, period=period)
        if warning is not None:
            result = replace(result, warnings=(*result.warnings, warning))
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
    help="Дата отсчета (начало периода плана); по умолчанию начало --period или 1 января "
    "текущего года.",
)
@click.option(
    "--period",
    type=PeriodParam(),
    default=None,
    help="Период плана, например 2026-01-01:2028-12-31: повторяющийся срок даст окно на каждое "
    "повторение внутри периода.",
)
@json_option
def parse(phrase: str | None, reference: date | None, period: Period | None, as_json: bool) -> None:
    """Разбор формулировки срока; без ФРАЗЫ читает строки со стандартного ввода (JSON Lines)."""
    reference = reference or (period[0] if period is not None else default_reference())
    if phrase is None:
        parse_lines(stdin_text(), reference=reference, period=period)
        return
    result = parse_deadline(phrase, reference=reference, period=period)
    if as_json:
        emit_json(result.to_json())
    else:
        click.echo(human(result))
