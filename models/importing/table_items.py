"""One item from the cells of its row: title, deadline (one column, a start/end pair or
the date inside «Место и дата проведения»), texts and responsible bodies by side."""

from __future__ import annotations

import re

from models.importing.agencies import agencies_for
from models.importing.header import Header
from models.importing.parsed import COLUMNS, Doubt, ParsedItem, ParsedPlan
from models.importing.text import clean, join_lines

_MONTH = (
    r"(?:январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?"
    r"|сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_DATEISH = re.compile(
    rf"\b\d{{1,2}}\.\d{{1,2}}(?:\.\d{{2,4}})?\b|\b{_MONTH}\b|квартал|полугоди|\b\d{{4}}\s*(?:г|год)"
    r"|в течение|ежегодно|ежемесячно|еженедельно|ежекварталь|постоянно|по мере|до \d",
    re.IGNORECASE,
)
#: Columns kept as text of the item, appended to its description under their header.
_EXTRA_TEXT = ("result", "financing", "other")


def build_item(
    plan: ParsedPlan,
    header: Header,
    cells: list[list[str]],
    number: str,
    section: int | None,
    line: int | None,
) -> ParsedItem:
    """The item in `cells` (by column of `header`)."""
    item = ParsedItem(number=number, title="", section=section, line=line)
    present: set[str] = set()
    starts: list[str] = []
    ends: list[str] = []
    extras: list[str] = []
    doubts: list[str] = []
    for column, cell in zip(header.columns, cells, strict=False):
        role = column.role
        text = join_lines(cell)
        if role in (None, "number") or (not text and role not in ("agencies", "co_agencies")):
            continue
        if text:
            present.add(_present_key(role))
        if role == "title":
            item.title = text
        elif role == "deadline":
            item.deadline = text
        elif role == "deadline_start":
            starts.append(text)
        elif role == "deadline_end":
            ends.append(text)
        elif role == "place_and_date":
            place, when = split_place_and_date(cell)
            item.place = place or item.place
            item.deadline = item.deadline or when
        elif role == "place":
            item.place = text
        elif role in ("description", "goal", "participants"):
            setattr(item, role, _multiline(cell) or None)
        elif role in ("agencies", "co_agencies"):
            co = "co" if role == "co_agencies" else "lead"
            for agency in agencies_for(cell, default=column.side, role=co, doubts=doubts):
                if all(a.name != agency.name or a.side != agency.side for a in item.agencies):
                    item.agencies.append(agency)
        elif role in _EXTRA_TEXT:
            extras.append(f"{clean(column.header)}: {_multiline(cell)}")
    if starts or ends:
        item.deadline = " – ".join(p for p in (" ".join(starts), " ".join(ends)) if p)
    if extras:
        item.description = "\n".join([item.description, *extras] if item.description else extras)
    plan.doubts.extend(Doubt(line, f"пункт {number}: {text}") for text in doubts)
    expected = {_present_key(c.role) for c in header.columns} & set(COLUMNS)
    item.missing = tuple(k for k in COLUMNS if k in expected and k not in present)
    return item


def _present_key(role: str | None) -> str:
    if role in ("deadline_start", "deadline_end", "place_and_date"):
        return "deadline"
    return "agencies" if role == "co_agencies" else str(role)


def split_place_and_date(cell: list[str]) -> tuple[str, str]:
    """«г. Смоленск, 15 мая 2026 г.» -> («г. Смоленск», «15 мая 2026 г.»): the lines (or
    comma-separated parts) that name a date make the deadline, the rest the place."""
    parts: list[str] = []
    for line in cell:
        parts.extend(p.strip() for p in re.split(r"[,;](?!\d)", clean(line)) if p.strip())
    dates = [p for p in parts if _DATEISH.search(p)]
    places = [p for p in parts if p not in dates]
    return ", ".join(places), " ".join(dates)


def _multiline(cell: list[str]) -> str:
    """Longer texts keep their own line breaks where a line ends a sentence or a list entry."""
    lines = [clean(line) for line in cell if clean(line)]
    out: list[str] = []
    for line in lines:
        if out and not out[-1].endswith((".", ";", ":", "!", "?")) and not line.startswith("-"):
            out[-1] = join_lines([out[-1], line])
        else:
            out.append(line)
    return "\n".join(out)
