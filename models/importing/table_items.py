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
    deadlines = _Deadlines()
    extras: list[str] = []
    doubts: list[str] = []
    for column, cell in zip(header.columns, cells, strict=False):
        role = column.role
        text = join_lines(cell)
        if _PLACEHOLDER.match(text) and role not in (None, "number"):
            present.add(_present_key(role))  # printed, not cut off: «—» says «nothing»
            continue
        if role in (None, "number") or (not text and role not in ("agencies", "co_agencies")):
            continue
        if text:
            present.add(_present_key(role))
        if role == "title":
            item.title = text
        elif role in ("deadline", "deadline_start", "deadline_end"):
            deadlines.add(role, column.qualifier, text)
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
    item.deadline = deadlines.text() or item.deadline
    if extras:
        item.description = "\n".join([item.description, *extras] if item.description else extras)
    plan.doubts.extend(Doubt(line, f"пункт {number}: {text}") for text in doubts)
    expected = {_present_key(c.role) for c in header.columns} & set(COLUMNS)
    item.missing = tuple(k for k in COLUMNS if k in expected and k not in present)
    return item


#: A cell holding only a dash says «nothing here».
_PLACEHOLDER = re.compile(r"^[-–—‒―]+$")
#: A cell that only marks its column («+», «х»): the item falls in the period the
#: column's sub-header names («Сроки» over «I кв. | II кв. | III кв. | IV кв.»).
_MARK = re.compile(r"^(?:[+xXхХ✓✔vV*•●]|да)$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_DAY_MONTH = re.compile(r"^\d{1,2}\.\d{1,2}\.?$")


class _Deadlines:
    """An item's deadline cells by the period their column stands for (None: the plain
    deadline columns), each period's start and end put together."""

    def __init__(self) -> None:
        self.groups: dict[str | None, dict[str, list[str]]] = {}

    def add(self, role: str, qualifier: str | None, text: str) -> None:
        group = self.groups.setdefault(qualifier, {})
        if qualifier and _MARK.match(text):
            role, text = "mark", qualifier
        group.setdefault(role, []).append(text)

    def text(self) -> str:
        """«март – май 2026; март – май 2027»; a plain deadline column's last text."""
        out = []
        for qualifier, group in self.groups.items():
            starts, ends = group.get("deadline_start", []), group.get("deadline_end", [])
            if qualifier:
                starts = [_with_day_year(t, qualifier) for t in starts]
                ends = [_with_day_year(t, qualifier) for t in ends]
            span = " – ".join(p for p in (" ".join(starts), " ".join(ends)) if p)
            whole = group.get("deadline", [])
            text = span or (whole[-1] if whole else "")
            if text and qualifier:
                text = _with_year(text, qualifier)
            out.append(text or (group["mark"][0] if "mark" in group else ""))
        return "; ".join(t for t in out if t)


def _with_day_year(text: str, qualifier: str) -> str:
    """«15.03» under «2026» -> «15.03.2026» (a start or an end of its own)."""
    year = _YEAR.search(qualifier)
    return f"{text.rstrip('.')}.{year.group(1)}" if year and _DAY_MONTH.match(text) else text


def _with_year(text: str, qualifier: str) -> str:
    """A date under a year's column with the year added when it names none («март»
    under «2026» -> «март 2026», «15.03» -> «15.03.2026»)."""
    year = _YEAR.search(qualifier)
    if year is None or _YEAR.search(text):
        return text
    if _DAY_MONTH.match(text):
        return f"{text.rstrip('.')}.{year.group(1)}"
    return f"{text} {year.group(1)}"


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
