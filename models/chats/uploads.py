"""A plan file sent to the bot: kept, previewed, imported on confirmation, and the bodies
of a plan without a responsible column chosen section by section.

The file's bytes wait in `plan_uploads` (a restart between the preview and the press loses
nothing). Reading goes through the importer itself: the preview is `preview_plans`, and
what a revised file would change is the real import run in a savepoint and rolled back,
so the coordinator sees exactly what «Импортировать» will do.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Select, exists, func, select, update
from sqlalchemy.orm import Session

from models.db import rowcount
from models.importing import (
    ImportReport,
    Preview,
    import_reading,
    preview_plans,
    read_plans,
)
from models.importing.errors import ImportFormatError
from models.importing.importer import part_name
from models.importing.limits import check_file_size
from models.importing.upsert import find_plan, plan_today
from models.levers import Actor, LeverRefusedError, add_body
from models.schema.chats import PlanUpload
from models.schema.people import Agency, Responsibility
from models.schema.plans import Item, Plan, Section

WAITING, IMPORTED, CANCELLED = "waiting", "imported", "cancelled"
#: Telegram lets a bot download files up to this size (getFile).
TELEGRAM_FILE_LIMIT = 20 * 1024 * 1024
#: A file waits this long for «Импортировать»; then the press is stale and the bytes go.
UPLOAD_TTL = timedelta(days=7)
#: A typed body name is awaited this long after «Ввести название».
NAME_TTL = timedelta(hours=12)
#: Agencies offered per section.
CHOICES = 6
#: Items without a section are asked for as «section 0».
NO_SECTION = 0
#: Words shorter than this are not compared (prepositions, «мини»); a shared beginning
#: of at least _MIN_COMMON letters, and all but the last _ENDING of the shorter word.
_MIN_WORD = 5
_MIN_COMMON = 4
_ENDING = 3
#: Words of agencies' names and section titles that say nothing of the field (any form).
_GENERIC = (
    "министерство",
    "управление",
    "комитет",
    "департамент",
    "главное",
    "области",
    "облисполкома",
    "республики",
    "беларусь",
    "района",
    "города",
    "администрация",
    "мероприятия",
    "сфере",
    "вопросам",
    "развитие",
    "сотрудничество",
)


@dataclass
class Changes:
    """What importing a file over the stored plan would do (item numbers)."""

    plan_title: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    changed_fields: dict[str, list[str]] = field(default_factory=dict)
    withdrawn: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    same_file: bool = False


@dataclass(frozen=True)
class Imported:
    report: ImportReport
    planned: int


@dataclass(frozen=True)
class SectionQuestion:
    """A section whose live items have no body: which agencies to offer."""

    upload_id: int
    section_id: int
    title: str
    numbers: list[str]
    choices: list[Agency]


def stored_name(file_name: str) -> str:
    """The file's own name, without any folder a client put in it."""
    name = Path(file_name.replace("\\", "/")).name[:255]
    return name if name.strip(". ") else "plan"


@contextmanager
def as_file(file_name: str, content: bytes) -> Iterator[Path]:
    """The bytes as a file of that name (the importer reads paths; the name tells the
    format and becomes the plan's source name)."""
    name = stored_name(file_name)
    with tempfile.TemporaryDirectory(prefix="srok-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        yield path


def read_upload_plans(file_name: str, content: bytes, *, today: date) -> list[Preview]:
    """The importer's preview of each plan in the sent file (a workbook may hold
    several, one a sheet); raises ImportFormatError (no database)."""
    check_file_size(Path(file_name), len(content))
    with as_file(file_name, content) as path:
        return preview_plans(path, today=today)


def keep_upload(
    session: Session, *, chat_id: int, user_id: int, file_name: str, content: bytes, now: datetime
) -> PlanUpload:
    upload = PlanUpload(
        chat_id=chat_id,
        user_id=user_id,
        file_name=stored_name(file_name),
        content=content,
        state=WAITING,
        skipped=[],
        created_at=now,
    )
    session.add(upload)
    session.flush()
    return upload


def changes_of_plans(
    session: Session, *, file_name: str, content: bytes, now: datetime
) -> list[Changes | None]:
    """What the import would change in each plan Srok already has from this file (same
    source name, or title), in the file's order; None for a new plan. It is the import
    itself: `session` is written to and must be rolled back by the caller, never
    committed."""
    with as_file(file_name, content) as path:
        readings = read_plans(path, today=plan_today(now))
        known = [
            find_plan(
                session,
                source_name=r.source_name(path.name),
                title=r.plan.title,
                workbook=path.name if r.sheet is not None else None,
            )
            for r in readings
        ]
        if not any(known):
            return [None] * len(readings)
        reports = [
            import_reading(session, reading=r, file_name=path.name, now=now) for r in readings
        ]
    return [
        _changes(report) if plan is not None else None
        for plan, report in zip(known, reports, strict=True)
    ]


def _changes(report: ImportReport) -> Changes:
    return Changes(
        plan_title=report.plan_title,
        created=report.created,
        updated=report.updated,
        changed_fields=report.changed_fields,
        withdrawn=report.withdrawn,
        restored=report.restored,
        same_file=report.same_file,
    )


def waiting_upload(session: Session, *, upload_id: int, chat_id: int, now: datetime) -> PlanUpload:
    """The upload a press names, still waiting (for less than UPLOAD_TTL), in this chat;
    else LeverRefusedError."""
    upload = session.get(PlanUpload, upload_id)
    if upload is None or upload.chat_id != chat_id or upload.state != WAITING:
        raise LeverRefusedError("stale")
    if upload.created_at <= now - UPLOAD_TTL:
        raise LeverRefusedError("stale")
    return upload


def drop_lapsed_uploads(session: Session, *, now: datetime) -> int:
    """Files never confirmed within UPLOAD_TTL are cancelled and their bytes dropped."""
    return rowcount(
        session.execute(
            update(PlanUpload)
            .where(PlanUpload.state == WAITING, PlanUpload.created_at <= now - UPLOAD_TTL)
            .values(state=CANCELLED, content=b"", decided_at=now)
        )
    )


def imported_upload(session: Session, *, upload_id: int, chat_id: int) -> PlanUpload:
    upload = session.get(PlanUpload, upload_id)
    if upload is None or upload.chat_id != chat_id or upload.state != IMPORTED:
        raise LeverRefusedError("stale")
    if upload.plan_id is None:
        raise LeverRefusedError("stale")
    return upload


def cancel_upload(session: Session, *, upload: PlanUpload, now: datetime) -> None:
    upload.state, upload.decided_at, upload.content = CANCELLED, now, b""
    session.flush()


def _unassigned(plan_id: int) -> Select[tuple[Item]]:
    assigned = exists().where(Responsibility.item_id == Item.id)
    return select(Item).where(
        Item.plan_id == plan_id,
        Item.withdrawn_at.is_(None),
        Item.closed_at.is_(None),
        ~assigned,
    )


def unassigned_items(session: Session, *, plan_id: int, section_id: int) -> list[Item]:
    query = _unassigned(plan_id).order_by(Item.position)
    if section_id == NO_SECTION:
        query = query.where(Item.section_id.is_(None))
    else:
        query = query.where(Item.section_id == section_id)
    return list(session.scalars(query))


def record_imported(
    session: Session, *, upload: PlanUpload, reports: list[ImportReport], now: datetime
) -> None:
    """The upload became its plans: the first on this row, and for a workbook of several
    plans each further one on a row of its own (no bytes, named «file.xlsx [sheet]»,
    decided with it), so the questions about bodies go plan by plan (next_question)."""
    upload.state, upload.plan_id, upload.decided_at = IMPORTED, reports[0].plan_id, now
    upload.content = b""
    for report in reports[1:]:
        session.add(
            PlanUpload(
                chat_id=upload.chat_id,
                user_id=upload.user_id,
                file_name=part_name(upload.file_name, report.sheet),
                content=b"",
                state=IMPORTED,
                plan_id=report.plan_id,
                skipped=[],
                created_at=upload.created_at,
                decided_at=now,
            )
        )
    session.flush()


def later_plans(session: Session, *, upload: PlanUpload) -> list[PlanUpload]:
    """The rows of the further plans of the workbook `upload` was imported with (see
    record_imported), after it in sheet order."""
    if upload.state != IMPORTED or upload.decided_at is None:
        return []
    book = upload.file_name
    if book.endswith("]") and " [" in book:
        book = book[: book.rindex(" [")]
    return list(
        session.scalars(
            select(PlanUpload)
            .where(
                PlanUpload.chat_id == upload.chat_id,
                PlanUpload.state == IMPORTED,
                PlanUpload.decided_at == upload.decided_at,
                PlanUpload.id > upload.id,
                PlanUpload.file_name.startswith(f"{book} [", autoescape=True),
            )
            .order_by(PlanUpload.id)
        )
    )


def next_question(session: Session, *, upload: PlanUpload) -> SectionQuestion | None:
    """The next section to ask about: this plan's (next_section), then those of the
    further plans of its workbook, plan by plan."""
    for row in (upload, *later_plans(session, upload=upload)):
        if (question := next_section(session, upload=row)) is not None:
            return question
    return None


def next_section(session: Session, *, upload: PlanUpload) -> SectionQuestion | None:
    """The first section, in document order (items outside any section where they stand),
    with live items lacking a body and not skipped."""
    assert upload.plan_id is not None
    rows = session.execute(
        _unassigned(upload.plan_id)
        .with_only_columns(Item.section_id, Item.number, Section.title)
        .outerjoin(Section, Section.id == Item.section_id)
        .order_by(Item.position)
    ).all()
    skipped = set(upload.skipped or [])
    for section_id, _number, title in rows:
        key = section_id or NO_SECTION
        if key in skipped:
            continue
        numbers = [n for s, n, _t in rows if (s or NO_SECTION) == key]
        if title is None:
            plan = session.get(Plan, upload.plan_id)
            title = plan.short_name or plan.title if plan is not None else ""
        choices = section_choices(session, title=title)
        return SectionQuestion(upload.id, key, title, numbers, choices)
    return None


def _words(text: str) -> set[str]:
    folded = text.lower().replace("ё", "е")
    words = "".join(c if c.isalnum() else " " for c in folded).split()
    return {
        w
        for w in words
        if len(w) >= _MIN_WORD and not w.isdigit() and not any(_alike(w, g) for g in _GENERIC)
    }


def _alike(a: str, b: str) -> bool:
    """Two forms of one word: a common beginning all but a Russian ending long
    («культурное» ~ «культуры», «туристический» ~ «туризму», «спорта» ~ «спортивные»)."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(_MIN_COMMON, min(len(a), len(b)) - _ENDING)


def section_choices(session: Session, *, title: str, limit: int = CHOICES) -> list[Agency]:
    """Known agencies, the likeliest for a section first: most words of the section's
    title shared with the agency's name in any grammatical form, then the agencies that
    answer for most items, then by name."""
    loads = dict(
        session.execute(
            select(Responsibility.agency_id, func.count()).group_by(Responsibility.agency_id)
        )
        .tuples()
        .all()
    )
    wanted = _words(title)
    scored = []
    for agency in session.scalars(select(Agency)):
        words = _words(agency.name)
        hits = sum(any(_alike(w, mine) for mine in words) for w in wanted)
        scored.append((-hits, -loads.get(agency.id, 0), agency.name, agency))
    scored.sort(key=lambda row: row[:3])
    return [row[3] for row in scored[:limit]]


def assign_section(
    session: Session,
    *,
    actor: Actor,
    upload: PlanUpload,
    section_id: int,
    agency_id: int,
    now: datetime,
) -> list[Item]:
    """The agency answers for the section's items that have no body; those items."""
    assert upload.plan_id is not None
    if session.get(Agency, agency_id) is None:
        raise LeverRefusedError("stale")
    items = unassigned_items(session, plan_id=upload.plan_id, section_id=section_id)
    if not items:
        raise LeverRefusedError("stale")  # assigned meanwhile (another press, a lever)
    for item in items:
        add_body(session, actor=actor, item_id=item.id, agency_id=agency_id, now=now)
    upload.asking_section = upload.asking_until = None
    session.flush()
    return items


def skip_section(session: Session, *, upload: PlanUpload, section_id: int) -> None:
    upload.skipped = sorted({*(upload.skipped or []), section_id})
    upload.asking_section = upload.asking_until = None
    session.flush()


def ask_name(session: Session, *, upload: PlanUpload, section_id: int, now: datetime) -> None:
    upload.asking_section, upload.asking_until = section_id, now + NAME_TTL
    session.flush()


def awaiting_name(session: Session, *, chat_id: int, now: datetime) -> PlanUpload | None:
    """The chat's upload waiting for a body's name typed in, if any."""
    return session.scalars(
        select(PlanUpload)
        .where(
            PlanUpload.chat_id == chat_id,
            PlanUpload.state == IMPORTED,
            PlanUpload.asking_section.is_not(None),
            PlanUpload.asking_until > now,
        )
        .order_by(PlanUpload.id.desc())
        .limit(1)
    ).first()


__all__ = [
    "CANCELLED",
    "IMPORTED",
    "TELEGRAM_FILE_LIMIT",
    "WAITING",
    "Changes",
    "ImportFormatError",
    "Imported",
    "SectionQuestion",
]
