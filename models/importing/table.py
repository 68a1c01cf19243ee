"""Plans laid out as a table: a header row, section rows, one row per item.

The columns are found by their header words («Наименование», «Сроки», «Ответственные»…),
so the events plan, a roadmap printed as a table and similar documents read alike. A
responsible column whose header names a side («от Смоленской области») gives that side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from models.base import PlanKind, Side
from models.importing.agencies import agencies_for, side_by_name
from models.importing.errors import ImportFormatError
from models.importing.parsed import ParsedAgency, ParsedItem, ParsedPlan, ParsedSection
from models.importing.text import clean, join_lines, plan_period

Cell = list[str]


@dataclass
class Row:
    """One table row: its cells (each a list of lines) and the line it starts on."""

    line: int | None
    cells: list[Cell]


# Header words -> column key, tried in order (the first that a header contains wins).
_HEADER_KEYS = (
    ("№", "number"),
    ("п/п", "number"),
    ("ответствен", "agencies"),
    ("исполнител", "agencies"),
    ("срок", "deadline"),
    ("дата", "deadline"),
    ("место", "place"),
    ("описание", "description"),
    ("цель", "goal"),
    ("участник", "participants"),
    ("наименование", "title"),
    ("мероприяти", "title"),
)
_NUMBER = re.compile(r"^(\d{1,4}(?:\.\d{1,3})*)\.?$")
_SECTION_NUMBER = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")


def column_key(header: str) -> str | None:
    """The column a header names, or None for an unknown column."""
    lowered = clean(header).lower()
    return next((key for word, key in _HEADER_KEYS if word in lowered), None)


def is_header(cells: list[str]) -> bool:
    """A header row names a number column and a title or deadline column."""
    keys = [column_key(c) for c in cells]
    return "number" in keys and ("title" in keys or "deadline" in keys)


def is_number(cell: str) -> bool:
    return bool(_NUMBER.match(clean(cell)))


def read_table(
    path_name: str, *, title: str, title_line: int | None, rows: list[Row], header: Row
) -> ParsedPlan:
    """The plan in `rows` under `header`; raises ImportFormatError when it makes no plan."""
    period = plan_period(title)
    if period is None:
        why = f"в заголовке «{title[:80]}» не указан период плана (например «на 2026 год»)"
        raise ImportFormatError(path_name, title_line, why)
    keys = [column_key(join_lines(c)) for c in header.cells]
    sides = [
        side_by_name(join_lines(c)) if k == "agencies" else None
        for c, k in zip(header.cells, keys, strict=True)
    ]
    roadmap = "дорожн" in title.lower() and "карт" in title.lower()
    plan = ParsedPlan(
        title=title,
        kind=PlanKind.ROADMAP if roadmap else PlanKind.EVENTS,
        period_start=period[0],
        period_end=period[1],
        has_agencies="agencies" in keys,
    )
    for row in rows:
        _read_row(plan, row, keys, sides)
    if not plan.items:
        raise ImportFormatError(path_name, header.line, "в таблице нет ни одного пункта")
    return plan


def _read_row(plan: ParsedPlan, row: Row, keys: list[str | None], sides: list[Side | None]) -> None:
    texts = [join_lines(c) for c in row.cells]
    filled = [t for t in texts if t]
    if not filled:
        return
    # A merged section row has one cell, so the number column may not exist in it.
    at = keys.index("number") if len(texts) == len(keys) else 0
    if not is_number(texts[at]) or (len(filled) == 1 and not is_number(filled[0])):
        _section(plan, filled[0])
        return
    item = ParsedItem(
        number=clean(texts[at]).rstrip("."),
        title="",
        section=len(plan.sections) - 1 if plan.sections else None,
        line=row.line,
    )
    present: set[str] = set()
    for cell, key, side in zip(row.cells, keys, sides, strict=False):
        if key is None or key == "number":
            continue
        if join_lines(cell):
            present.add(key)
        _fill(item, key, cell, side)
    expected = [k for k in keys if k not in (None, "number")]
    item.missing = tuple(k for k in expected if k not in present)
    plan.items.append(item)


def _section(plan: ParsedPlan, text: str) -> None:
    match = _SECTION_NUMBER.match(text)
    number, title = (match.group(1), match.group(2)) if match else (None, text)
    plan.sections.append(ParsedSection(number=number, title=title.rstrip(":").strip()))


def _fill(item: ParsedItem, key: str, cell: Cell, side: Side | None) -> None:
    if key == "agencies":
        found: list[ParsedAgency] = agencies_for(cell, default=side)
        item.agencies.extend(a for a in found if a not in item.agencies)
        return
    text = join_lines(cell) if key in ("title", "deadline", "place") else _multiline(cell)
    if key == "deadline":
        item.deadline = text
    elif key == "title":
        item.title = text
    else:
        setattr(item, key, text or None)


def _multiline(cell: Cell) -> str:
    """Longer texts keep their own line breaks where a line ends a sentence or a list entry."""
    lines = [clean(line) for line in cell if clean(line)]
    out: list[str] = []
    for line in lines:
        if out and not out[-1].endswith((".", ";", ":", "!", "?")) and not line.startswith("-"):
            out[-1] = join_lines([out[-1], line])
        else:
            out.append(line)
    return "\n".join(out)
