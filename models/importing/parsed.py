"""What a reader makes of a document, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scheduler.rules.domain import PlanKind, Side

#: Column keys of a plan table, in the order a report lists missing parts.
COLUMNS = ("title", "place", "deadline", "description", "goal", "participants", "agencies")


@dataclass(frozen=True)
class ParsedAgency:
    """One responsible body as printed, with the side it answers for."""

    name: str
    side: Side
    #: `plan` (printed in the document) or `assignment` (from an assignments file).
    source: str = "plan"
    #: `lead`, or `co` for a co-executor («соисполнитель» column or mark).
    role: str = "lead"
    #: A mark printed with the name, kept apart from it («по согласованию»).
    note: str | None = None
    #: The person named in charge at this body («Иванов И.И.»).
    person: str | None = None


@dataclass
class ParsedItem:
    """One item as printed: its number, texts, deadline and responsible bodies."""

    number: str
    title: str
    section: int | None = None
    place: str | None = None
    description: str | None = None
    goal: str | None = None
    participants: str | None = None
    deadline: str = ""
    agencies: list[ParsedAgency] = field(default_factory=list)
    #: The column keys a cut-off item lacks (see COLUMNS).
    missing: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Approval:
    """The approval stamp above a plan's title: its text and the act, number and date."""

    text: str
    act: str | None = None
    number: str | None = None
    date: date | None = None
    #: The year a stamp names when its day is left blank («"___" ________ 2026 г.»).
    year: int | None = None


@dataclass(frozen=True)
class Doubt:
    """Something a person should look at: the line (if known) and why, in Russian."""

    line: int | None
    text: str


@dataclass
class ParsedSection:
    number: str | None
    title: str


@dataclass
class ParsedPlan:
    """A whole document: title, kind, period and its sections and items in order.

    A reader leaves the period None when the title names none; `period.settle` then
    infers it (approval date, deadlines, import date) and says from what."""

    title: str
    kind: PlanKind
    period_start: date | None
    period_end: date | None
    signed_on: date | None = None
    short_name: str = ""
    #: option | title | sheet | workbook | approval | deadlines | import_date, and the
    #: Russian explanation.
    period_source: str = "title"
    period_explanation: str = ""
    approval: Approval | None = None
    #: The table's columns as printed, each with its role (see words.HEADER_ROLES).
    columns: list[tuple[str, str]] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    #: True when the document names responsible bodies itself (a roadmap, a table column).
    has_agencies: bool = False
    #: The sheet this plan stands on when its workbook holds several plans (None: the
    #: file holds one plan). The plan's source name and checksum are the sheet's own.
    sheet: str | None = None
    #: What the checksum of a plan on a sheet is made of: the sheet's cells (a file of
    #: one plan: the file's bytes).
    fingerprint: bytes = b""
    #: Texts that may name the period, in order, each with where it stands: a sheet's
    #: own title, the sheet's name, the workbook's title. Empty: the title alone.
    period_texts: list[tuple[str, str]] = field(default_factory=list)
