"""Plans laid out as a table: a header found by the roles of its cells, section rows and
one row per item (see header.py for the columns, table_rows.py for the rows).

Every format with tables (Word, Excel, OpenDocument, text exports) gives rows of cells
by grid column: a merged cell stands in its first column and `covered` names the
columns it spans, so merged cells never shift the columns after them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from models.importing.errors import EmptyTableError, ImportFormatError
from models.importing.front import Front
from models.importing.header import Header, column_role, find_header, is_header
from models.importing.parsed import ParsedPlan
from models.importing.table_rows import read_rows
from models.importing.text import clean, plan_period
from scheduler.rules.domain import PlanKind

Cell = list[str]

__all__ = ["Row", "column_key", "has_table_header", "is_header", "is_number", "read_table"]

_NUMBER = re.compile(r"^(\d{1,4}(?:\.\d{1,3})*)[.)]?$")

#: Public names of the roles (the start and end of a deadline are one deadline).
_PUBLIC = {"deadline_start": "deadline", "deadline_end": "deadline"}


def _public_role(role: str | None) -> str:
    """A column's role as the plan keeps it: both deadline parts «deadline», none «other»."""
    return "other" if role is None else _PUBLIC.get(role, role)


@dataclass
class Row:
    """One table row: cells by grid column (each a list of lines) and its first line.

    `covered`: columns a merged cell to their left spans; `vmerged`: cells that continue
    a cell merged down from the row above (Word's vMerge, Excel's merged ranges)."""

    line: int | None
    cells: list[Cell]
    covered: set[int] = field(default_factory=set)
    vmerged: set[int] = field(default_factory=set)


def column_key(header: str) -> str | None:
    """The column a header names, or None for an unknown column."""
    return column_role(header)


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(clean(cell)))


def has_table_header(rows: list[Row]) -> bool:
    """True when one of the first rows is a plan table's header."""
    return find_header(rows) is not None


def plan_kind(title: str) -> PlanKind:
    """A «дорожная карта» by its title; any other plan is a plan of events."""
    lowered = title.lower()
    return PlanKind.ROADMAP if "дорожн" in lowered and "карт" in lowered else PlanKind.EVENTS


def read_table(path_name: str, *, front: Front, rows: list[Row]) -> ParsedPlan:
    """The plan in `rows`; raises ImportFormatError when it has no header or no items."""
    header = find_header(rows)
    if header is None:
        line = rows[0].line if rows else None
        raise ImportFormatError(path_name, line, "нет строки заголовка таблицы")
    period = plan_period(front.title)
    plan = ParsedPlan(
        title=front.title,
        kind=plan_kind(front.title),
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        approval=front.approval,
        columns=[(c.header, _public_role(c.role)) for c in header.columns],
        has_agencies=any(c.role in ("agencies", "co_agencies") for c in header.columns),
    )
    read_rows(plan, header, rows[header.body_start :])
    if not plan.items:
        raise EmptyTableError(
            path_name, _header_line(header, rows), "в таблице нет ни одного пункта"
        )
    return plan


def _header_line(header: Header, rows: list[Row]) -> int | None:
    index = max(0, min(header.body_start, len(rows)) - 1)
    while index > 0 and not is_header(["\n".join(c) for c in rows[index].cells]):
        index -= 1
    return rows[index].line if rows else None
