"""What the grammar builds: units (named periods), groups (list members) and the reading."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Unit:
    """A named period: `kind` is day|month|quarter|half|year|months|day_of_month|season|
    decade|weekday (the n-th, or -1 the last, `weekday` of a month)|bare (a numeral whose
    kind comes from its neighbour) or skip (dropped)."""

    kind: str
    n: int
    month: int | None = None
    year: int | None = None
    text: str = ""
    weekday: int = 0


@dataclass(slots=True)
class Group:
    """One list member: a unit or a range, an optional per-year expansion, its role."""

    start: Unit
    end: Unit | None = None
    years: tuple[int, ...] = ()
    limit: bool = False
    in_paren: bool = False
    onward: str = ""  # "from" (не ранее) or "after" (после): an open window from this group
    part: str = ""  # "begin", "middle" or "end": a part of the unit («в конце мая»), or
    # "begin>middle": from one part to another («в начале – середине мая»)
    end_part: str = ""  # the part of a range's end: «конец сентября – начало октября»
    heading: bool = False  # «в марте: 3-4, 10-11»: a month whose days follow it
    reported: bool = False  # «за III квартал»: a reporting period, a deadline may follow


class Reading:
    """What the grammar read: the groups in order, and tokens it could not place."""

    # A plain slotted class: a dataclass's default factories cost a call each, per phrase.
    __slots__ = ("groups", "leftovers", "two_digit_years", "worded")

    def __init__(self) -> None:
        self.groups: list[Group] = []
        self.leftovers: list[str] = []
        self.two_digit_years: list[str] = []
        #: A word the grammar does not know: a bare number may then count something else
        #: («в течение 2 лет»), and is no day of the reference month.
        self.worded = False
