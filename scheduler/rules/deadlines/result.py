"""The outcome of parsing one deadline phrase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

#: The recurrence values a parse may carry, besides None.
RECURRENCES = ("yearly", "half_yearly", "quarterly", "monthly", "weekly")


@dataclass(frozen=True)
class DeadlineParse:
    """Windows, recurrence, flags, hard due dates and warnings read from one phrase."""

    text: str
    windows: tuple[tuple[date, date], ...]
    recurrence: str | None
    tentative: bool
    undated: bool
    due: tuple[date, ...]
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The stable JSON shape of DESIGN.md: ISO dates, lists instead of tuples."""
        return {
            "text": self.text,
            "windows": [[start.isoformat(), end.isoformat()] for start, end in self.windows],
            "recurrence": self.recurrence,
            "tentative": self.tentative,
            "undated": self.undated,
            "due": [day.isoformat() for day in self.due],
            "warnings": list(self.warnings),
        }


_new = object.__new__


def make_parse(
    text: str,
    windows: tuple[tuple[date, date], ...],
    recurrence: str | None,
    tentative: bool,
    undated: bool,
    due: tuple[date, ...],
    warnings: tuple[str, ...],
) -> DeadlineParse:
    """A DeadlineParse built without the frozen dataclass's per-field `__setattr__` calls."""
    # The engine's hot path: the generated `__init__` costs as much as a whole resolve.
    result = _new(DeadlineParse)
    result.__dict__.update(
        text=text,
        windows=windows,
        recurrence=recurrence,
        tentative=tentative,
        undated=undated,
        due=due,
        warnings=warnings,
    )
    return result
