"""`import_plan`: one file (plus an optional assignments file) into the database."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from models.importing.assignments import apply_assignments, read_assignments
from models.importing.docx_reader import read_docx
from models.importing.errors import UNRECOGNISED, ImportFormatError
from models.importing.md_table import has_pipe_table, read_pipe_table
from models.importing.parsed import ParsedPlan
from models.importing.report import ImportReport
from models.importing.roadmap import looks_like_roadmap, read_roadmap
from models.importing.rows import Parse
from models.importing.source import Source, read_bytes, read_source
from models.importing.text_table import has_tab_table, read_text_table
from models.importing.upsert import find_plan, unchanged_report, upsert_plan
from scheduler.deadlines import DeadlineParse, parse_deadline

log = logging.getLogger(__name__)


def import_plan(
    session: Session,
    *,
    path: Path,
    now: datetime,
    assignments: Path | None = None,
    source_name: str | None = None,
) -> ImportReport:
    """Import the plan at `path`; raises ImportFormatError on bad input (the caller rolls back)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    source = read_source(path)
    parsed = read_document(source)
    extra = b""
    if assignments is not None:
        apply_assignments(parsed, read_assignments(assignments))
        extra = read_bytes(assignments)
    _check_numbers(path, parsed)
    checksum = hashlib.sha256(source.raw + b"\0" + extra).hexdigest()
    name = source_name or path.name
    parse = deadline_parser(parsed.period_start, (parsed.period_start, parsed.period_end))
    plan = find_plan(session, source_name=name, title=parsed.title)
    if plan is not None and plan.checksum == checksum:
        return unchanged_report(session, plan=plan, parsed=parsed, parse=parse)
    return upsert_plan(
        session, parsed=parsed, plan=plan, source_name=name, checksum=checksum, now=now, parse=parse
    )


def read_document(source: Source) -> ParsedPlan:
    """The plan in a decoded file, by its content: Word, tab table or roadmap text."""
    if source.is_docx:
        return read_docx(source)
    lines = list(enumerate(source.lines, start=1))
    if has_tab_table(lines):
        return read_text_table(source.path.name, lines)
    if has_pipe_table(lines):
        return read_pipe_table(source.path.name, lines)
    if looks_like_roadmap(lines):
        return read_roadmap(source.path.name, lines)
    raise ImportFormatError(source.path, None, UNRECOGNISED)


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


def _check_numbers(path: Path, parsed: ParsedPlan) -> None:
    seen: set[str] = set()
    for item in parsed.items:
        if item.number in seen:
            raise ImportFormatError(path, item.line, f"пункт {item.number} встречается дважды")
        seen.add(item.number)
