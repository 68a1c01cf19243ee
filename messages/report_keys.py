"""The report buttons: callback data (`rp:…`, under 64 bytes) and labels from a template.

Data, not Telegram objects: the bot turns them into inline keyboards, the dispatcher into
a digest's buttons. Every press is checked against the database by the bot.

- `rp:<view>:<plan_id>` — open a detail view (ov overdue, ag agencies, sc sections) as a
  new message; `plan_id` 0 means every plan.
- `rp:<view>:<plan_id>:<page>` — turn the page of a detail view in place.
- `rp:sm:<plan_id>` — one plan's summary; `rp:it:<item_id>` — one item; `rp:an:<agency_id>`
  — one agency.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from messages.buttons import template_labels

VIEWS = ("ov", "ag", "sc")
PREFIX = "rp"
_DATA = re.compile(r"rp:(ov|ag|sc|sm|it|an):(\d{1,18})(?::(\d{1,6}))?")
#: (label, callback data) rows of an inline keyboard.
Rows = tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class ReportKey:
    """A parsed press: the view, its object's id (a plan, item or agency), the page if any."""

    view: str
    target: int
    page: int | None = None


def parse_key(data: str | None) -> ReportKey | None:
    """The press behind `data`, or None when it is not a well-formed report key."""
    match = _DATA.fullmatch(data or "")
    if match is None:
        return None
    view, target, page = match.groups()
    if page is not None and view not in VIEWS:
        return None
    return ReportKey(view, int(target), int(page) if page is not None else None)


@cache
def labels() -> dict[str, str]:
    """The labels of reports/buttons.j2, by code."""
    return template_labels("reports/buttons.j2")


def detail_rows(plan_id: int | None) -> Rows:
    """«Все просроченные» / «По органам» «По разделам» under a summary or a digest."""
    plan = plan_id or 0
    names = labels()
    return (
        ((names["ov"], f"rp:ov:{plan}"),),
        ((names["ag"], f"rp:ag:{plan}"), (names["sc"], f"rp:sc:{plan}")),
    )


def page_rows(view: str, plan_id: int | None, page: int, pages: int) -> Rows:
    """«← Назад» «Вперёд →» of a detail view of several pages (nothing for one page)."""
    if pages <= 1:
        return ()
    names = labels()
    row = []
    if page > 0:
        row.append((f"{names['prev']} ({page}/{pages})", f"rp:{view}:{plan_id or 0}:{page - 1}"))
    if page + 1 < pages:
        label = f"{names['next']} ({page + 2}/{pages})"
        row.append((label, f"rp:{view}:{plan_id or 0}:{page + 1}"))
    return (tuple(row),)


def choice_rows(view: str, choices: list[tuple[int, str]], *, width: int = 60) -> Rows:
    """One button per choice (a plan, an item of a plan, an agency), label cut to `width`."""
    return tuple(((_cut(label, width), f"rp:{view}:{target}"),) for target, label in choices)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
