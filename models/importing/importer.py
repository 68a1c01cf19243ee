"""`import_plans`: the plans of one file (plus an optional assignments file) into the
database; `import_plan` for a file of one plan."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models.importing.assignments import apply_assignments, check_keys, read_assignments
from models.importing.docx_reader import read_docx
from models.importing.errors import UNRECOGNISED, ImportFormatError
from models.importing.md_table import (
    has_pipe_table,
    has_tsv_table,
    read_pipe_table,
    read_tsv_table,
)
from models.importing.naming import MAX_LENGTH, short_name
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
from models.importing.upsert import find_plan, plan_today, unchanged_report, upsert_plan
from models.importing.xlsx_reader import read_xlsx
from scheduler.rules.deadlines import DeadlineParse, parse_deadline

log = logging.getLogger(__name__)


@dataclass
class Reading:
    """One plan read for import or preview: the plan and the checksum of what it was read
    from (the file's bytes; a workbook's sheet: that sheet's cells)."""

    plan: ParsedPlan
    checksum: str

    @property
    def sheet(self) -> str | None:
        return self.plan.sheet

    def source_name(self, file_name: str) -> str:
        """The name the plan is found by at its next import: the file's name, with the
        sheet's for a workbook of several plans («План.xlsx [2027]»)."""
        return part_name(file_name, self.plan.sheet)


def part_name(file_name: str, sheet: str | None) -> str:
    """«План.xlsx [2027]» (within the 255 characters a source name has)."""
    if sheet is None:
        return file_name
    suffix = f" [{sheet}]"
    return file_name[: 255 - len(suffix)] + suffix


def read_plans(
    path: Path,
    *,
    today: date,
    period: Period | None = None,
    name: str | None = None,
    assignments: Path | None = None,
) -> list[Reading]:
    """The one reading of a plan file that the preview and the import share: each plan
    of the document (a workbook may hold several), its assignments, the period settled
    (option, title, sheet, approval, deadlines, today) and its short name. Raises
    ImportFormatError on bad input: one broken plan refuses the whole file."""
    source = read_source(path)
    plans = read_documents(source)
    extra = b""
    book = None
    if assignments is not None:
        book = read_assignments(assignments)
        extra = read_bytes(assignments)
    readings = []
    for parsed in plans:
        qualify_restarted_numbers(parsed)
        if book is not None:
            apply_assignments(parsed, book, check=len(plans) == 1)
        _check_numbers(part_name(path.name, parsed.sheet), parsed)
        settle_period(parsed, today=today, option=period)
        assert parsed.period_start is not None and parsed.period_end is not None
        span = (parsed.period_start, parsed.period_end)
        parsed.short_name = _named(name, parsed.sheet) or short_name(parsed.title, span)
        body = parsed.fingerprint if parsed.sheet is not None else source.raw
        readings.append(
            Reading(plan=parsed, checksum=hashlib.sha256(body + b"\0" + extra).hexdigest())
        )
    if book is not None and len(plans) > 1:
        check_keys(plans, book)
    _distinct_short_names(readings)
    return readings


def read_plan(
    path: Path,
    *,
    today: date,
    period: Period | None = None,
    name: str | None = None,
    assignments: Path | None = None,
) -> Reading:
    """The reading of a file that holds one plan; a workbook of several plans is an
    ImportFormatError here (read_plans reads them all)."""
    readings = read_plans(path, today=today, period=period, name=name, assignments=assignments)
    if len(readings) > 1:
        raise several_plans(path, [r.plan for r in readings])
    return readings[0]


def several_plans(path: Path | str, plans: list[ParsedPlan]) -> ImportFormatError:
    names = ", ".join(f"«{p.sheet}»" for p in plans)
    return ImportFormatError(path, None, f"в книге несколько планов (листы {names})")


def _named(name: str | None, sheet: str | None) -> str | None:
    """The short name given with --name; each sheet's plan gets the sheet's name after it."""
    if not name:
        return None
    return name if sheet is None else f"{name} — {sheet}"


def _distinct_short_names(readings: list[Reading]) -> None:
    """Plans of one workbook named alike («План мероприятий на 2026 год» on the sheets
    «Культура» and «Спорт») get their sheet's name after the name."""
    names = [r.plan.short_name for r in readings]
    for reading in readings:
        plan = reading.plan
        if plan.sheet is not None and names.count(plan.short_name) > 1:
            suffix = f" — {plan.sheet}"
            plan.short_name = plan.short_name[: MAX_LENGTH - len(suffix)].rstrip() + suffix


def import_plans(
    session: Session,
    *,
    path: Path,
    now: datetime,
    assignments: Path | None = None,
    source_name: str | None = None,
    period: Period | None = None,
    name: str | None = None,
) -> list[ImportReport]:
    """Import every plan in the file at `path` (a workbook may hold several), one report
    each; raises ImportFormatError on bad input (the caller rolls back: all or nothing)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    readings = read_plans(
        path, today=plan_today(now), period=period, name=name, assignments=assignments
    )
    file_name = source_name or path.name
    return [
        import_reading(session, reading=reading, file_name=file_name, now=now)
        for reading in readings
    ]


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
    """Import the one plan at `path`; raises ImportFormatError on bad input (the caller
    rolls back), and for a workbook of several plans (import_plans imports them)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    reading = read_plan(
        path, today=plan_today(now), period=period, name=name, assignments=assignments
    )
    return import_reading(session, reading=reading, file_name=source_name or path.name, now=now)


def import_reading(
    session: Session, *, reading: Reading, file_name: str, now: datetime
) -> ImportReport:
    """Write one plan read from the file named `file_name`: found by its source name
    (the file's, or the file's and its sheet's), else by its title; unchanged when its
    checksum is the one stored."""
    parsed, checksum = reading.plan, reading.checksum
    name = reading.source_name(file_name)
    parse = plan_deadlines(parsed)
    workbook = file_name if parsed.sheet is not None else None
    plan = find_plan(session, source_name=name, title=parsed.title, workbook=workbook)
    if plan is not None and plan.checksum == checksum:
        return unchanged_report(session, plan=plan, parsed=parsed, parse=parse)
    return upsert_plan(
        session, parsed=parsed, plan=plan, source_name=name, checksum=checksum, now=now, parse=parse
    )


def read_documents(source: Source) -> list[ParsedPlan]:
    """The plans in a decoded file: a workbook's plan sheets, else the one plan."""
    if source.format == "xlsx":
        return read_xlsx(source)
    return [read_document(source)]


def read_document(source: Source) -> ParsedPlan:
    """The plan in a decoded file, by its content: Word, Excel, OpenDocument, a text table
    (tabs, «|» cells, a pipe table) or roadmap text."""
    if source.format == "docx":
        return read_docx(source)
    if source.format == "xlsx":
        plans = read_xlsx(source)
        if len(plans) > 1:
            raise several_plans(source.path, plans)
        return plans[0]
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


def _check_numbers(path: Path | str, parsed: ParsedPlan) -> None:
    seen: set[str] = set()
    for item in parsed.items:
        if item.number in seen:
            raise ImportFormatError(path, item.line, f"пункт {item.number} встречается дважды")
        seen.add(item.number)
