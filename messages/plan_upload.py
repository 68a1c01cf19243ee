"""A plan file sent to the bot: the preview's text and the buttons (`pu:` data).

Button data names the upload (and a section and an agency); every press is checked
against the database, so the data only says what was pressed, never what is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from messages import format_windows, render
from messages.buttons import template_labels
from messages.formatting import format_window
from messages.split import split_message
from models.chats.uploads import Changes, SectionQuestion
from models.importing import Preview

Keyboard = tuple[tuple[tuple[str, str], ...], ...]

#: Items listed in a preview; the rest is counted. Enough to check the reading of a
#: plan's first section without a dozen messages for a 200-item plan.
ITEMS_SHOWN = 25
DOUBTS_SHOWN = 10
SECTIONS_SHOWN = 15
#: Parts of a preview at most (the essentials come first, the item list last).
PARTS = 3
NAME_ON_BUTTON = 60
#: The data of every upload button starts `pu:`.
PREFIX = "pu"
_DATA = re.compile(PREFIX + r":([icasn]):(\d{1,12})(?::(\d{1,12}))?(?::(\d{1,12}))?$")
_IDS = {"i": 0, "c": 0, "n": 1, "s": 1, "a": 2}


class BadUploadDataError(ValueError):
    """Button data that is not a well-formed `pu:` press."""


@dataclass(frozen=True)
class UploadPress:
    action: str
    upload_id: int
    section_id: int | None = None
    agency_id: int | None = None


def upload_data(action: str, upload_id: int, *ids: int) -> str:
    data = ":".join([PREFIX, action, str(upload_id), *map(str, ids)])
    assert len(data.encode()) <= 64 and len(ids) == _IDS[action]
    return data


def parse_upload(data: str | None) -> UploadPress:
    match = _DATA.match(data or "")
    if match is None:
        raise BadUploadDataError(data)
    action, upload, section, agency = match.groups()
    if (section is not None) + (agency is not None) != _IDS[action]:
        raise BadUploadDataError(data)
    return UploadPress(
        action,
        int(upload),
        int(section) if section is not None else None,
        int(agency) if agency is not None else None,
    )


@cache
def labels() -> dict[str, str]:
    """The labels of plan_upload/buttons.j2, by code."""
    return template_labels("plan_upload/buttons.j2")


def _short(name: str) -> str:
    return name if len(name) <= NAME_ON_BUTTON else name[: NAME_ON_BUTTON - 1].rstrip() + "…"


def confirm_keyboard(upload_id: int) -> Keyboard:
    return (
        (
            (labels()["i"], upload_data("i", upload_id)),
            (labels()["c"], upload_data("c", upload_id)),
        ),
    )


def section_keyboard(question: SectionQuestion) -> Keyboard:
    rows = tuple(
        (
            (
                _short(agency.name),
                upload_data("a", question.upload_id, question.section_id, agency.id),
            ),
        )
        for agency in question.choices
    )
    return (
        *rows,
        (
            (labels()["n"], upload_data("n", question.upload_id, question.section_id)),
            (labels()["s"], upload_data("s", question.upload_id, question.section_id)),
        ),
    )


def _context(
    file: str,
    preview: Preview,
    changes: Changes | None,
    shown: int,
    number: int = 1,
    plans: int = 1,
) -> dict[str, Any]:
    data = preview.to_json()
    period = data["period"]
    items = data["items"][:shown]
    bodies = {b["name"] for item in data["items"] for b in item["bodies"]}
    return {
        "file": file,
        "p": data,
        "period_text": format_window(
            (date.fromisoformat(period["start"]), date.fromisoformat(period["end"]))
        ),
        "windows_text": [
            format_windows((date.fromisoformat(a), date.fromisoformat(b)) for a, b in i["windows"])
            for i in items
        ],
        "bodies": len(bodies),
        "has_bodies": preview.plan.has_agencies,
        "without_body": [i["number"] for i in data["items"] if not i["bodies"]],
        "changes": changes,
        "items_shown": shown,
        "doubts_shown": DOUBTS_SHOWN,
        "sections_shown": SECTIONS_SHOWN,
        "sheet": preview.plan.sheet if plans > 1 else None,
        "number": number,
        "plans": plans,
    }


def preview_parts(file: str, preview: Preview, changes: Changes | None) -> list[str]:
    """The preview in at most PARTS messages under Telegram's limit: fewer items listed
    (the rest counted) until it fits."""
    shown = ITEMS_SHOWN
    while True:
        parts = split_message(
            render("plan_upload/preview.j2", **_context(file, preview, changes, shown))
        )
        if len(parts) <= PARTS or shown == 0:
            return parts
        shown //= 2


def previews_parts(file: str, previews: list[Preview], changes: list[Changes | None]) -> list[str]:
    """The previews of a file's plans: one plan as preview_parts; a workbook of several
    plans one message a plan (fewer items listed until it fits), the question last."""
    if len(previews) == 1:
        return preview_parts(file, previews[0], changes[0])
    out: list[str] = []
    for number, (preview, change) in enumerate(zip(previews, changes, strict=True), start=1):
        shown = ITEMS_SHOWN
        while True:
            context = _context(file, preview, change, shown, number, len(previews))
            parts = split_message(render("plan_upload/preview.j2", **context))
            if len(parts) == 1 or shown == 0:
                break
            shown //= 2
        out.extend(parts)
    return out
