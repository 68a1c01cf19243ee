"""What an import did: counts, what changed, and what needs a person's attention."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

#: Russian names of an item's parts: what a truncated item lacks, what a revision changed.
COLUMN_LABELS = {
    "title": "наименование",
    "place": "место проведения",
    "deadline": "срок",
    "description": "описание",
    "goal": "цель",
    "participants": "участники",
    "agencies": "ответственные",
    "section": "раздел",
}


@dataclass(frozen=True)
class DeadlineNote:
    """A deadline that parsed to no window, or with warnings; never silently dropped."""

    number: str
    text: str
    warnings: tuple[str, ...]
    undated: bool


@dataclass
class ImportReport:
    """The outcome of importing one plan (a file's, or a workbook's sheet's)."""

    source_name: str
    plan_id: int
    plan_title: str
    kind: str
    #: The sheet of a workbook of several plans this plan was read from (else None).
    sheet: str | None = None
    #: The name messages use, and where the period came from (Russian, see period.py).
    short_name: str = ""
    period_explanation: str = ""
    #: Notes from reading the document (a row that was neither item nor section, …).
    doubts: list[str] = field(default_factory=list)
    #: True when the file was imported before with the same content: nothing was written.
    same_file: bool = False
    plan_created: bool = False
    sections: int = 0
    items: int = 0
    agencies: int = 0
    responsibilities: int = 0
    new_agencies: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    #: For each updated item, what changed (Russian column names: «срок», «ответственные»…).
    changed_fields: dict[str, list[str]] = field(default_factory=dict)
    withdrawn: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    without_agency: list[str] = field(default_factory=list)
    deadline_notes: list[DeadlineNote] = field(default_factory=list)
    #: The number of a cut-off last item and the parts it lacks (Russian column names).
    truncated_item: str | None = None
    truncated_missing: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict; the shape `srok import --json` prints for each file."""
        data = asdict(self)
        data["deadline_notes"] = [
            {"number": n.number, "text": n.text, "warnings": list(n.warnings), "undated": n.undated}
            for n in self.deadline_notes
        ]
        return data
