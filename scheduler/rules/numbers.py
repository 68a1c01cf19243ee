"""Numbers and moments typed by people, read in one place: ASCII digits, within a range.

`str.isdigit()` is true for «²» and «１», `int()` takes «１» and « 7 », and a number past
64 bits (or 32, for PostgreSQL's `integer` ids) reaches SQL as an error: every handler and
command reads what a person typed through `parse_number`, `parse_id` or `sane_moment`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TypeVar

#: The largest id a database row can have (PostgreSQL `integer`).
MAX_ID = 2**31 - 1
#: Years a date typed by a person may fall in: plans of this century, and room to plan.
MIN_YEAR = 1970
MAX_YEAR = 2200

_DIGITS = re.compile(r"[0-9]+", re.ASCII)
Moment = TypeVar("Moment", date, datetime)


class NumberRefused(Exception):
    """A number a person typed is not one: `what` it should have been, and the range."""

    def __init__(self, what: str, text: str, *, low: int = 1, high: int = MAX_ID) -> None:
        self.what, self.text, self.low, self.high = what, text, low, high
        super().__init__(f"{what}: «{text}» is not a number from {low} to {high}")


def parse_number(text: str | None, *, low: int, high: int) -> int | None:
    """The integer `text` writes in ASCII digits (spaces around allowed, leading zeros
    too), if it lies in [low, high]; None for anything else (signs, «²», «１», «1.5»)."""
    stripped = (text or "").strip()
    if not _DIGITS.fullmatch(stripped):
        return None
    significant = stripped.lstrip("0") or "0"
    if len(significant) > len(str(high)):  # never build a huge int from a long string
        return None
    value = int(significant)
    return value if low <= value <= high else None


def parse_id(text: str | None) -> int | None:
    """A row id (a plan's, an agency's, a reminder's) typed or carried in button data."""
    return parse_number(text, low=1, high=MAX_ID)


def sane_moment(moment: Moment) -> Moment | None:
    """`moment` if its year is one a plan can use (MIN_YEAR–MAX_YEAR), else None: day
    arithmetic near year 9999 overflows."""
    return moment if MIN_YEAR <= moment.year <= MAX_YEAR else None
