"""What a reader makes of a document, before anything touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.base import PlanKind, Side

#: Column keys of a plan table, in the order a report lists missing parts.
COLUMNS = ("title", "place", "deadline", "description", "goal", "participants", "agencies")


@dataclass(frozen=True)
class ParsedAgency:
    """One responsible body as printed, with the side it answers for."""

    name: str
    side: Side
    #: `plan` (printed in the document) or `assignment` (from an assignments file).
    source: str = "plan"


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


@dataclass
class ParsedSection:
    number: str | None
    title: str


@dataclass
class ParsedPlan:
    """A whole document: title, kind, period and its sections and items in order."""

    title: str
    kind: PlanKind
    period_start: date
    period_end: date
    signed_on: date | None = None
    sections: list[ParsedSection] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)
    #: True when the document names responsible bodies itself (a roadmap, a table column).
    has_agencies: bool = False
