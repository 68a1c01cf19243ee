"""The shape of a golden preview and the calendar helpers the goldens are written with.

A golden is what a careful official would say the document means, in the terms of the
preview contract (`preview_plan(...).to_json()`): the title, the period and where it
came from, the approval act, the sections, and every item with its deadline as printed,
its windows and its responsible bodies per side.
"""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

Golden = dict[str, Any]
Windows = list[list[str]]

#: In an approval golden: this part is not judged (a signature stamp names no act).
ANY = "*"


def body(
    name: str,
    side: str = "RU",
    *,
    role: str = "lead",
    note: str | None = None,
    person: str | None = None,
) -> dict[str, Any]:
    """One responsible body. `person` is judged as contained in the preview's person
    (a reader may keep the post with the name: «глава администрации Петров П.П.»)."""
    return {"name": name, "side": side, "role": role, "note": note, "person": person}


def item(
    number: str,
    title: str,
    deadline: str | tuple[str, ...],
    windows: Windows,
    *bodies: dict[str, Any],
    section: str | None = None,
    recurrence: str | None = None,
    tentative: bool = False,
    undated: bool = False,
) -> dict[str, Any]:
    """One item. A tuple `deadline` lists the parts the printed deadline must show in
    order (a start/end pair of cells, the date inside a «Место и дата» cell)."""
    return {
        "number": number,
        "title": title,
        "section": section,
        "deadline": deadline,
        "windows": windows,
        "recurrence": recurrence,
        "tentative": tentative,
        "undated": undated,
        "bodies": list(bodies),
    }


def plan(
    *,
    title: str,
    period: tuple[str, str, str],
    items: list[dict[str, Any]],
    approval: tuple[str | None, str | None, str | None] | None = None,
    sections: list[tuple[str | None, str]] | None = None,
    short_name: str | None = None,
    name: str | None = None,
) -> Golden:
    """The whole golden. `period` is (start, end, source); `approval` (act, number, date)
    or None where the document has no stamp; `sections` (number, title) in order, [] for
    none; `name` is passed as the --name option and then fixes the short name."""
    start, end, source = period
    return {
        "title": title,
        "short_name": name or short_name,
        "name": name,
        "period": {"start": start, "end": end, "source": source},
        "approval": (
            None
            if approval is None
            else {"act": approval[0], "number": approval[1], "date": approval[2]}
        ),
        "sections": [{"number": n, "title": t} for n, t in (sections or [])],
        "items": items,
    }


# --- Windows, as a person reads them off a calendar -----------------------------------


def days(start: str, end: str | None = None) -> Windows:
    return [[start, end or start]]


def year(first: int, last: int | None = None) -> Windows:
    return [[f"{first}-01-01", f"{last or first}-12-31"]]


def month(y: int, first: int, last: int | None = None) -> Windows:
    last = last or first
    return [[date(y, first, 1).isoformat(), _month_end(y, last)]]


def quarter(y: int, q: int) -> Windows:
    return month(y, 3 * q - 2, 3 * q)


def each_quarter(y: int) -> Windows:
    """A quarterly duty in a one-year plan: one window per quarter (issue 13)."""
    return [w for q in range(1, 5) for w in quarter(y, q)]


def half(y: int, h: int) -> Windows:
    return month(y, 6 * h - 5, 6 * h)


def until(start: str, end: str) -> Windows:
    """«до 1 июля 2026 г.»: from the plan's reference date to that day."""
    return [[start, end]]


def _month_end(y: int, m: int) -> str:
    return date(y, m, calendar.monthrange(y, m)[1]).isoformat()
