"""The coordinator's lever buttons: their callback data, built and parsed here only.

Data is `lv:<action>[:<id>…][:<status code>]`, under Telegram's 64 bytes; it names what
to act on, never who may: the bot checks the coordinator and the target in the database
on every press. Keyboards are rows of (label, data) pairs, for the bot and the dispatcher.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from messages.buttons import template_labels
from scheduler.rules.domain import Status

MAX_CALLBACK_BYTES = 64
#: Characters of a body's or a person's name shown on a button.
NAME_ON_BUTTON = 48
PREFIX = "lv"

#: Action -> how many ids follow it (their labels: bot/lever_buttons.j2).
ACTIONS: dict[str, int] = {
    "is": 2,  # set a status: item, agency (0: every body of the item); a status code follows
    "ic": 1,  # take the item off control
    "io": 1,  # put it back under control
    "ib": 1,  # the item's bodies, each a button
    "ia": 2,  # one body of the item: its statuses, replace, remove
    "ad": 1,  # add a body: choices and a search by words
    "rp": 2,  # replace this body: choices and a search by words
    "rm": 2,  # remove this body
    "pk": 3,  # the body chosen: item, the body replaced (0: none), the chosen one
    "nw": 1,  # a new body by the name typed, kept by the question (its id)
    "pa": 1,  # approve a postponement request
    "pr": 1,  # refuse it (a reason is asked for)
    "ag": 2,  # remind the body again: item, agency
    "ac": 1,  # an agency's contacts
    "cx": 1,  # take a contact off
    "iv": 1,  # invite a contact of the agency
    "ik": 0,  # invite a coordinator
}
STATUS_CODES = {"dn": Status.DONE, "ip": Status.IN_PROGRESS, "cn": Status.CANCELLED}
_DATA = re.compile(r"lv:([a-z]{2})((?::\d{1,15}){0,3})(?::(dn|ip|cn))?")

Row = tuple[tuple[str, str], ...]
Keyboard = tuple[Row, ...]


class BadLeverDataError(ValueError):
    """Callback data that is not a lever's (forged, or from another version)."""

    def __init__(self, data: str | None) -> None:
        super().__init__(f"not lever data: {data!r}")


@dataclass(frozen=True)
class Lever:
    action: str
    ids: tuple[int, ...]
    status: Status | None = None


def lever_data(action: str, *ids: int, status: Status | None = None) -> str:
    """The callback data of one lever button."""
    if ACTIONS.get(action) != len(ids):
        raise ValueError(f"lever {action!r} takes {ACTIONS.get(action)} ids, got {ids}")
    code = next((c for c, s in STATUS_CODES.items() if s == status), None)
    if (action == "is") != (code is not None):
        raise ValueError(f"lever {action!r}: status {status!r}")
    data = ":".join([PREFIX, action, *map(str, ids), *([code] if code else [])])
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def parse_lever(data: str | None) -> Lever:
    """The lever a button names; raises BadLeverDataError for anything else."""
    match = _DATA.fullmatch(data or "")
    if match is None:
        raise BadLeverDataError(data)
    action, ids_text, code = match.groups()
    ids = tuple(int(part) for part in ids_text.split(":") if part)
    if ACTIONS.get(action) != len(ids) or (action == "is") != (code is not None):
        raise BadLeverDataError(data)
    return Lever(action, ids, STATUS_CODES[code] if code else None)


@cache
def labels() -> dict[str, str]:
    """The labels of bot/lever_buttons.j2, by code."""
    return template_labels("bot/lever_buttons.j2")


def _short(name: str) -> str:
    return name if len(name) <= NAME_ON_BUTTON else name[: NAME_ON_BUTTON - 1].rstrip() + "…"


def _statuses(item_id: int, agency_id: int) -> Row:
    return tuple(
        (labels()[code], lever_data("is", item_id, agency_id, status=status))
        for code, status in STATUS_CODES.items()
    )


def item_keyboard(item_id: int, *, closed: bool) -> Keyboard:
    """An item card's levers: statuses for every body, control, the bodies."""
    control = ("io", lever_data("io", item_id)) if closed else ("ic", lever_data("ic", item_id))
    return (
        _statuses(item_id, 0),
        ((labels()[control[0]], control[1]), (labels()["ib"], lever_data("ib", item_id))),
    )


def bodies_keyboard(item_id: int, bodies: Iterable[tuple[int, str]]) -> Keyboard:
    """One button per body of the item, and «Добавить орган»."""
    rows: list[Row] = [((_short(name), lever_data("ia", item_id, aid)),) for aid, name in bodies]
    rows.append(((labels()["ad"], lever_data("ad", item_id)),))
    return tuple(rows)


def body_keyboard(item_id: int, agency_id: int) -> Keyboard:
    """One body on one item: its status, replace, remove, its contacts."""
    return (
        _statuses(item_id, agency_id),
        (
            (labels()["rp"], lever_data("rp", item_id, agency_id)),
            (labels()["rm"], lever_data("rm", item_id, agency_id)),
            (labels()["ac"], lever_data("ac", agency_id)),
        ),
    )


def choices_keyboard(
    item_id: int,
    replaced_id: int | None,
    choices: Iterable[tuple[int, str]],
    *,
    typed: tuple[int, str] | None = None,
) -> Keyboard:
    """Known bodies to choose from; `typed` (question id, name) offers a new body by name."""
    old = replaced_id or 0
    rows: list[Row] = [
        ((_short(name), lever_data("pk", item_id, old, aid)),) for aid, name in choices
    ]
    if typed is not None:
        question_id, name = typed
        label = f"{labels()['nw']}: {_short(name)}"
        rows.append(((label, lever_data("nw", question_id)),))
    return tuple(rows)


def postponement_keyboard(request_id: int, *, state: str) -> Keyboard:
    """«Согласовать» / «Отклонить» while pending; after a decision, the other one."""
    row = []
    if state != "approved":
        row.append((labels()["pa"], lever_data("pa", request_id)))
    if state != "refused":
        row.append((labels()["pr"], lever_data("pr", request_id)))
    return (tuple(row),) if row else ()


def escalation_keyboard(item_id: int, agency_id: int) -> Keyboard:
    """«Напомнить ещё раз» and «Снять с контроля» under an escalation."""
    return (
        (
            (labels()["ag"], lever_data("ag", item_id, agency_id)),
            (labels()["ic"], lever_data("ic", item_id)),
        ),
    )


def agency_keyboard(agency_id: int) -> Keyboard:
    """An agency card's levers: its contacts, invites."""
    return (
        (
            (labels()["ac"], lever_data("ac", agency_id)),
            (labels()["iv"], lever_data("iv", agency_id)),
        ),
        ((labels()["ik"], lever_data("ik")),),
    )


def people_keyboard(agency_id: int, people: Iterable[tuple[int, str]]) -> Keyboard:
    """«Отключить <name>» per contact, and an invite."""
    rows: list[Row] = [
        ((f"{labels()['cx']}: {_short(name)}", lever_data("cx", cid)),) for cid, name in people
    ]
    rows.append(((labels()["iv"], lever_data("iv", agency_id)),))
    return tuple(rows)
