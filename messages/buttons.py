"""A contact's buttons: their callback data, built and parsed here only.

Data, not Telegram objects: keyboards are rows of (label, data) pairs that the bot turns
into inline keyboards and the dispatcher into a reminder's buttons. The data names what a
press is about, never who may press it: every press is checked against the database
(`scheduler.runtime.access`). The formats are fixed: buttons already sent to chats must
keep working, so a format never changes, it is only added to.

- `st:<reminder_id>:<code>` — a reminder's status buttons; `<code>` is a `Code`: a status
  (`ip` `dn` `pp` `cn`), `cm` to add a comment, `dt` to name a date («Назвать дату»).
- `mi:<item_id>:<code>[:<yyyymmdd>]` — the same on an item's card opened from /my (no
  `dt`); the date, when there, is the first day of the window the card showed (the
  press records that window, even when another has begun since).
- `mc:<item_id>` — /my: open an item's card.
- `cd:<reminder_id>` / `ls:<reminder_id>` — a batched message: open one item's card, and
  from the card, back to the list.
- `ok:<question_id>` / `no:<question_id>` — confirm what a contact's words would record.
- `ch:<question_id>:<item_id>` — which item a contact's words are about.
- `ad:<invite_id>:<proof>` / `an:<invite_id>:<proof>` — add an invite's agency to the
  chat's, or keep the chat as it is (`proof`: the start of the token's hash).

The coordinator's buttons have their own modules: `messages.levers` (`lv:`),
`messages.report_keys` (`rp:`), `messages.plan_upload` (`pu:`).

Labels: a status is named as everywhere else (`messages.formatting.status_label`); the
others are the variables of `bot/buttons.j2`, read as the template's module (never parsed
back out of rendered text).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple, Protocol

from messages.formatting import ListedItem, item_labels, status_label
from messages.render import environment
from scheduler.rules.domain import Status
from scheduler.rules.numbers import parse_id

#: Telegram's limit on a button's callback data.
MAX_CALLBACK_BYTES = 64
#: (label, callback data) rows of an inline keyboard.
Row = tuple[tuple[str, str], ...]
Keyboard = tuple[Row, ...]


class Code(enum.StrEnum):
    """What a status button asks for (the last part of `st:` and `mi:` data)."""

    IN_PROGRESS = "ip"
    DONE = "dn"
    POSTPONED = "pp"
    CANCELLED = "cn"
    COMMENT = "cm"
    NAME_DATE = "dt"

    @property
    def status(self) -> Status | None:
        """The status the press records (None: «Комментарий», «Назвать дату»)."""
        return _STATUSES.get(self)


_STATUSES: Mapping[Code, Status] = {
    Code.IN_PROGRESS: Status.IN_PROGRESS,
    Code.DONE: Status.DONE,
    Code.POSTPONED: Status.POSTPONED,
    Code.CANCELLED: Status.CANCELLED,
}

#: The prefixes of the data (the part before the first colon).
REMINDER_STATUS = "st"
CARD_STATUS = "mi"
MY_CARD = "mc"
OPEN_CARD = "cd"
BACK_TO_LIST = "ls"
CONFIRM = "ok"
DECLINE = "no"
CHOICE = "ch"
ADD_AGENCY = "ad"
KEEP_AGENCIES = "an"

#: Status buttons as reminders and cards carry them, two rows.
STATUS_ROWS: tuple[tuple[Code, ...], ...] = (
    (Code.IN_PROGRESS, Code.DONE),
    (Code.POSTPONED, Code.CANCELLED, Code.COMMENT),
)
#: The extra first row of a date request («Назовите, пожалуйста, дату»).
NAME_DATE_ROW: tuple[Code, ...] = (Code.NAME_DATE,)
#: /my offers at most this many card buttons (Telegram allows 100 on a message), so many
#: a row.
MY_MAX_BUTTONS = 96
MY_ROW = 4
#: Characters of an item's title on a «which item?» button.
CHOICE_TITLE = 40

_ID = r"([0-9]{1,18})"
_CODES = "|".join(code.value for code in Code)
_CARD_CODES = "|".join(code.value for code in Code if code != Code.NAME_DATE)
_REMINDER_STATUS = re.compile(rf"{REMINDER_STATUS}:{_ID}:({_CODES})", re.ASCII)
_CARD_STATUS = re.compile(rf"{CARD_STATUS}:{_ID}:({_CARD_CODES})(?::([0-9]{{8}}))?", re.ASCII)
_MY_CARD = re.compile(rf"{MY_CARD}:{_ID}", re.ASCII)
_BATCH = re.compile(rf"({OPEN_CARD}|{BACK_TO_LIST}):{_ID}", re.ASCII)
_CONFIRMATION = re.compile(rf"({CONFIRM}|{DECLINE}):{_ID}", re.ASCII)
_CHOICE = re.compile(rf"{CHOICE}:{_ID}:{_ID}", re.ASCII)
_ADDITION = re.compile(rf"({ADD_AGENCY}|{KEEP_AGENCIES}):{_ID}:([0-9a-f]{{16}})", re.ASCII)


def pattern(*prefixes: str) -> str:
    """The handler pattern for data starting with one of `prefixes` («^(cd|ls):»)."""
    return rf"^({'|'.join(map(re.escape, prefixes))}):"


# --- Labels ---


def template_labels(name: str) -> dict[str, str]:
    """The string variables a labels template sets (`{% set ok = "…" %}`), by name."""
    module = environment().overlay(autoescape=False).get_template(name).module
    return {
        key: value
        for key, value in vars(module).items()
        if not key.startswith("_") and isinstance(value, str)
    }


@cache
def labels() -> Mapping[str, str]:
    """The labels of bot/buttons.j2."""
    return template_labels("bot/buttons.j2")


def code_label(code: Code) -> str:
    """«В работе» for `ip`, «Комментарий» for `cm`."""
    status = code.status
    if status is not None:
        return status_label(status)
    return labels()["comment" if code == Code.COMMENT else "name_date"]


# --- Building ---


def checked(data: str) -> str:
    """`data`, if it fits Telegram's limit; raises ValueError otherwise."""
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data over {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def _status_rows(
    prefix: str, target: int, rows: Sequence[tuple[Code, ...]], suffix: str = ""
) -> Keyboard:
    return tuple(
        tuple((code_label(code), checked(f"{prefix}:{target}:{code}{suffix}")) for code in row)
        for row in rows
    )


def status_rows(reminder_id: int, *, name_date: bool = False) -> Keyboard:
    """A reminder's status buttons (`st:`); `name_date`: a date request, which also
    offers «Назвать дату»."""
    rows = (NAME_DATE_ROW, *STATUS_ROWS) if name_date else STATUS_ROWS
    return _status_rows(REMINDER_STATUS, reminder_id, rows)


def card_status_rows(item_id: int, window_start: date | None = None) -> Keyboard:
    """The status buttons of a card opened from /my, keyed by item (`mi:`), and by the
    first day of the window the card shows when it shows one."""
    suffix = f":{window_start:%Y%m%d}" if window_start is not None else ""
    return _status_rows(CARD_STATUS, item_id, STATUS_ROWS, suffix)


def open_card_data(reminder_id: int) -> str:
    """A batched message's button that opens one item's card (`cd:`)."""
    return checked(f"{OPEN_CARD}:{reminder_id}")


def back_to_list_data(reminder_id: int) -> str:
    """A card's way back to the batched message it was opened from (`ls:`)."""
    return checked(f"{BACK_TO_LIST}:{reminder_id}")


def confirm_rows(question_id: int) -> Keyboard:
    """«Да, записать» / «Нет» for a pending confirmation."""
    names = labels()
    return (
        (
            (names["ok"], checked(f"{CONFIRM}:{question_id}")),
            (names["no"], checked(f"{DECLINE}:{question_id}")),
        ),
    )


class ItemLike(ListedItem, Protocol):
    """An item as a list shows it (`models.statuses.agency_items.AgencyItem`)."""

    @property
    def title(self) -> str: ...


def choice_rows(question_id: int, items: Sequence[ItemLike]) -> Keyboard:
    """One button per candidate item: «п. 13 Продэкспо…» (`ch:`); candidates sharing a
    number say their plan (or agency): «п. 3 · План … Круглый стол»."""
    label = labels()["choose"]
    numbers = item_labels(items)
    return tuple(
        (
            (
                label.format(label=numbers[(e.item_id, e.agency_id)], title=e.title[:CHOICE_TITLE]),
                checked(f"{CHOICE}:{question_id}:{e.item_id}"),
            ),
        )
        for e in items
    )


def my_rows(items: Sequence[ItemLike]) -> Keyboard:
    """/my: one button per open item, «п. 13» (two items 3 of two plans: «п. 3 · План …»),
    opening its card (`mc:`)."""
    label = labels()["card"]
    numbers = item_labels(items)
    buttons = [
        (label.format(label=numbers[(e.item_id, e.agency_id)]), checked(f"{MY_CARD}:{e.item_id}"))
        for e in items[:MY_MAX_BUTTONS]
    ]
    return tuple(tuple(buttons[i : i + MY_ROW]) for i in range(0, len(buttons), MY_ROW))


def addition_rows(invite_id: int, proof: str) -> Keyboard:
    """«Добавить» / «Нет» for an invite to another agency (`ad:` / `an:`)."""
    names = labels()
    return (
        (
            (names["add"], checked(f"{ADD_AGENCY}:{invite_id}:{proof}")),
            (names["keep"], checked(f"{KEEP_AGENCIES}:{invite_id}:{proof}")),
        ),
    )


# --- Parsing: None for anything malformed (forged, or cut short) ---


class StatusKey(NamedTuple):
    """A status press: the reminder (`st:`) or the item (`mi:`) and the code; for `mi:`,
    the first day of the window the card showed (None on cards sent without it)."""

    target: int
    code: Code
    window_start: date | None = None


def _status_key(regex: re.Pattern[str], data: str | None) -> StatusKey | None:
    match = regex.fullmatch(data or "")
    target = parse_id(match.group(1)) if match else None
    if match is None or target is None:
        return None
    day = match.group(3) if regex.groups >= 3 else None
    if day is None:
        return StatusKey(target, Code(match.group(2)))
    try:
        start = date(int(day[:4]), int(day[4:6]), int(day[6:]))
    except ValueError:
        return None  # no such day: forged
    return StatusKey(target, Code(match.group(2)), start)


def parse_status(data: str | None) -> StatusKey | None:
    """`st:<reminder_id>:<code>`."""
    return _status_key(_REMINDER_STATUS, data)


def parse_card_status(data: str | None) -> StatusKey | None:
    """`mi:<item_id>:<code>[:<yyyymmdd>]`."""
    return _status_key(_CARD_STATUS, data)


def parse_my_card(data: str | None) -> int | None:
    """The item of `mc:<item_id>`."""
    match = _MY_CARD.fullmatch(data or "")
    return parse_id(match.group(1)) if match else None


class BatchKey(NamedTuple):
    """`cd:` (open the card) or `ls:` (back to the list), and the reminder."""

    open_card: bool
    reminder_id: int


def parse_batch(data: str | None) -> BatchKey | None:
    match = _BATCH.fullmatch(data or "")
    reminder_id = parse_id(match.group(2)) if match else None
    if match is None or reminder_id is None:
        return None
    return BatchKey(match.group(1) == OPEN_CARD, reminder_id)


class ConfirmationKey(NamedTuple):
    """«Да» (`confirmed`) or «Нет», and the question."""

    confirmed: bool
    question_id: int


def parse_confirmation(data: str | None) -> ConfirmationKey | None:
    """`ok:<question_id>` / `no:<question_id>`."""
    match = _CONFIRMATION.fullmatch(data or "")
    question_id = parse_id(match.group(2)) if match else None
    if match is None or question_id is None:
        return None
    return ConfirmationKey(match.group(1) == CONFIRM, question_id)


class ChoiceKey(NamedTuple):
    question_id: int
    item_id: int


def parse_choice(data: str | None) -> ChoiceKey | None:
    """`ch:<question_id>:<item_id>`."""
    match = _CHOICE.fullmatch(data or "")
    question_id = parse_id(match.group(1)) if match else None
    item_id = parse_id(match.group(2)) if match else None
    if question_id is None or item_id is None:
        return None
    return ChoiceKey(question_id, item_id)


@dataclass(frozen=True)
class AdditionKey:
    """«Добавить» (`add`) or «Нет»: the invite and the proof the token was seen."""

    add: bool
    invite_id: int
    proof: str


def parse_addition(data: str | None) -> AdditionKey | None:
    """`ad:<invite_id>:<proof>` / `an:<invite_id>:<proof>`."""
    match = _ADDITION.fullmatch(data or "")
    invite_id = parse_id(match.group(2)) if match else None
    if match is None or invite_id is None:
        return None
    return AdditionKey(match.group(1) == ADD_AGENCY, invite_id, match.group(3))


# --- Reading a message's own buttons (the bot checks a press against them) ---


def is_back_to_list(data: str | None) -> bool:
    """A card opened from a batched message carries its way back (`ls:`)."""
    return (data or "").startswith(f"{BACK_TO_LIST}:")


def is_name_date(data: str | None) -> bool:
    """A date request carries «Назвать дату» (`st:<id>:dt`)."""
    key = parse_status(data)
    return key is not None and key.code == Code.NAME_DATE


def card_item(data: str | None) -> int | None:
    """The item of a /my card's status button (`mi:<item_id>:<code>`), if it is one."""
    key = parse_card_status(data)
    return key.target if key is not None else None
