"""`import_plan`: one file (plus an optional assignments file) into the database."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models.importing.assignments import apply_assignments, read_assignments
from models.importing.docx_reader import read_docx
from models.importing.errors import UNRECOGNISED, ImportFormatError
from models.importing.md_table import (
    has_pipe_table,
    has_tsv_table,
    read_pipe_table,
    read_tsv_table,
)
from models.importing.naming import short_name
from models.importing.odt_reader import read_odt
from models.importing.parsed import Doubt, ParsedPlan
from models.importing.period import Period, settle_period
from models.importing.report import ImportReport
from models.importing.roadmap import looks_like_roadmap, read_roadmap
from models.importing.rows import Parse
from models.importing.source import Source, read_bytes, read_source
from models.importing.text_table import (
    has_pipe_cells,
    has_tab_table,
    read_pipe_cells,
    read_text_table,
)
from models.importing.upsert import find_plan, unchanged_report, upsert_plan
from models.importing.xlsx_reader import read_xlsx
from scheduler.rules.deadlines import DeadlineParse, parse_deadline

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """A document read for import or preview: the plan and the bytes it came from."""

    plan: ParsedPlan
    checksum: str


def read_plan(
    path: Path,
    *,
    today: date,
    period: Period | None = None,
    name: str | None = None,
    assignments: Path | None = None,
) -> Reading:
    """The one reading of a plan file that the preview and the import share: the document,
    its assignments, the period settled (option, title, approval, deadlines, today) and
    its short name. Raises ImportFormatError on bad input."""
    source = read_source(path)
    parsed = read_document(source)
    qualify_restarted_numbers(parsed)
    extra = b""
    if assignments is not None:
        apply_assignments(parsed, read_assignments(assignments))
        extra = read_bytes(assignments)
    _check_numbers(path, parsed)
    settle_period(parsed, today=today, option=period)
    assert parsed.period_start is not None and parsed.period_end is not None
    parsed.short_name = name or short_name(parsed.title, (parsed.period_start, parsed.period_end))
    checksum = hashlib.sha256(source.raw + b"\0" + extra).hexdigest()
    return Reading(plan=parsed, checksum=checksum)


def import_plan(
    session: Session,
    *,
    path: Path,
    now: datetime,
    assignments: Path | None = None,
    source_name: str | None = None,
    period: Period | None = None,
    name: str | None = None,
) -> ImportReport:
    """Import the plan at `path`; raises ImportFormatError on bad input (the caller rolls back)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    reading = read_plan(path, today=now.date(), period=period, name=name, assignments=assignments)
    parsed, checksum = reading.plan, reading.checksum
    name = source_name or path.name
    parse = plan_deadlines(parsed)
    plan = find_plan(session, source_name=name, title=parsed.title)
    if plan is not None and plan.checksum == checksum:
        return unchanged_report(session, plan=plan, parsed=parsed, parse=parse)
    return upsert_plan(
        session, parsed=parsed, plan=plan, source_name=name, checksum=checksum, now=now, parse=parse
    )


def read_document(source: Source) -> ParsedPlan:
    """The plan in a decoded file, by its content: Word, Excel, OpenDocument, a text table
    (tabs, «|» cells, a pipe table) or roadmap text."""
    if source.format == "docx":
        return read_docx(source)
    if source.format == "xlsx":
        return read_xlsx(source)
    if source.format == "odt":
        return read_odt(source)
    lines = list(enumerate(source.lines, start=1))
    if has_tab_table(lines):
        return read_text_table(source.path.name, lines)
    if has_pipe_cells(lines):
        return read_pipe_cells(source.path.name, lines)
    if has_pipe_table(lines):
        return read_pipe_table(source.path.name, lines)
    if has_tsv_table(lines):
        return read_tsv_table(source.path.name, lines)
    if looks_like_roadmap(lines):
        return read_roadmap(source.path.name, lines)
    raise ImportFormatError(source.path, None, UNRECOGNISED)


def plan_deadlines(plan: ParsedPlan) -> Parse:
    """The plan's deadline reader: against the start of its period, and with the period
    itself (a recurring deadline gives one window per occurrence in it)."""
    assert plan.period_start is not None and plan.period_end is not None
    return deadline_parser(plan.period_start, (plan.period_start, plan.period_end))


def deadline_parser(reference: date, period: tuple[date, date] | None = None) -> Parse:
    """parse_deadline against `reference` and the plan's `period`, once per distinct text
    (plans repeat deadlines)."""
    cache: dict[str, DeadlineParse] = {}

    def parse(text: str) -> DeadlineParse:
        if text not in cache:
            cache[text] = _parse_one(text, reference, period)
        return cache[text]

    return parse


def _parse_one(text: str, reference: date, period: tuple[date, date] | None) -> DeadlineParse:
    if not text.strip():
        return DeadlineParse(text, (), None, False, True, (), ("срок не указан",))
    try:
        return parse_deadline(text, reference=reference, period=period)
    except Exception as exc:  # a document must not stop on one phrase: it is listed instead
        log.warning("deadline %r not parsed: %s", text, exc)
        return DeadlineParse(text, (), None, False, True, (), (f"срок не разобран: {exc}",))


def qualify_restarted_numbers(plan: ParsedPlan) -> None:
    """Items numbered anew in each section («1, 2» under I, «1, 2» under II) get their
    section's number in front («I.1», «II.1»), with a doubt saying so. A number repeated
    inside one section stays a duplicate, which the import refuses."""
    numbers = [item.number for item in plan.items]
    if len(set(numbers)) == len(numbers) or not plan.sections:
        return
    seen: set[tuple[int | None, str]] = set()
    for item in plan.items:
        key = (item.section, item.number)
        if key in seen or (item.section is None and numbers.count(item.number) > 1):
            return
        seen.add(key)
    for item in plan.items:
        if item.section is None:
            continue
        prefix = plan.sections[item.section].number or str(item.section + 1)
        if not item.number.startswith(f"{prefix}."):
            item.number = f"{prefix}.{item.number}"
    plan.doubts.append(Doubt(None, RESTARTED))


#: The doubt a plan numbered anew in each section gets.
RESTARTED = (
    "нумерация пунктов начинается заново в каждом разделе: к номеру пункта добавлен номер "
    "раздела («2.1» — пункт 1 раздела 2)"
)


def _check_numbers(path: Path, parsed: ParsedPlan) -> None:
    seen: set[str] = set()
    for item in parsed.items:
        if item.number in seen:
            raise ImportFormatError(path, item.line, f"пункт {item.number} встречается дважды")
        seen.add(item.number)
