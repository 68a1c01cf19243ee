"""Which of a contact's items a message in words is about, when it replies to nothing.

A message names an item by its number («по п. 13 выполнено», «13 — в работе», «пункт
2.1: перенос на 15 мая») or by words of its title («Продэкспо — выполнено»). Only the
items of the contact's own agencies are looked at. Without a name, the agency's only open
item is meant; several candidates are offered to choose from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.schema.plans import Item
from models.statuses.agency_items import AgencyItem, items_of_agencies
from models.statuses.reports import CLOSED
from scheduler.rules.answers import find_status

#: «п. 13», «пункт 2.1», «пункту 4», «п 7», «№ 5», «по п.п. 3».
_NUMBER_WORD = re.compile(
    r"(?:\bп\.?\s*п\.|\bпункт[а-я]*|\bп\.|\bп(?=\s*\d)|№)\s*(\d{1,3}(?:\.\d{1,3})*)\.?(?!\d)",
    re.IGNORECASE,
)
#: A number opening the message and set off by a dash, a colon, a bracket or a full stop
#: and a space («13 — в работе», «2.1: перенос», «4) выполнено») — not «15 мая».
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\.?\s*(?:[—–\-:)]|\.\s)")
#: Words too common to name an item; status and date words are dropped by their stems.
_COMMON_WORDS = (
    "по для при над под как что это все наш ваш пункт пункту пункта плана план срок "
    "сроки дата дату года году год месяц мероприятие мероприятия работа работе работы "
    "выполнено выполнен выполнена выполнены выполняется сделано сделали готово отменено "
    "отменен отменена перенос перенесено перенесли процессе завершено проведено "
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
    "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре "
    "квартал квартале полугодие полугодии течение до на из от"
)
_COMMON = frozenset(_COMMON_WORDS.split())
_WORD = re.compile(r"[a-zа-я]+", re.IGNORECASE)
#: Letters of a word compared (a crude stem: «Продэкспо», «Продэкспо-2026», «продэкспо»).
_STEM = 5
#: The most candidates offered as buttons.
MAX_CANDIDATES = 8


BY_NUMBER = "number"
BY_WORDS = "words"
ONLY_OPEN = "only_open"


@dataclass(frozen=True)
class Match:
    """The items a message may be about (one: it is that item) and how it was found."""

    items: tuple[AgencyItem, ...]
    #: "number", "words", "only_open", or "" when nothing fits.
    how: str


def _fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def named_number(text: str) -> str | None:
    """The item number a message names, if any."""
    match = _NUMBER_WORD.search(text) or _LEADING_NUMBER.match(text)
    return match.group(1) if match else None


def _stems(text: str) -> set[str]:
    """Stems of the words that may name an item: not status words, not common ones."""
    return {
        word[:_STEM]
        for word in _WORD.findall(_fold(text))
        if len(word) >= 4 and word not in _COMMON and find_status(word)[0] is None
    }


def _same_number(printed: str, named: str) -> bool:
    return printed.strip().rstrip(".") == named.rstrip(".")


def match_items(
    session: Session,
    *,
    agency_id: int | None = None,
    agency_ids: Sequence[int] = (),
    text: str,
    today: date,
) -> Match:
    """The items the text names, by number first, then by title words: of the agency, or
    of each of `agency_ids` (a person answering for several agencies: all of theirs)."""
    ids = [*([agency_id] if agency_id is not None else []), *agency_ids]
    items = items_of_agencies(session, agency_ids=ids, today=today)
    number = named_number(text)
    if number is not None:
        found = tuple(entry for entry in items if _same_number(entry.number, number))
        if found:
            return Match(found[:MAX_CANDIDATES], BY_NUMBER)
    stems = _stems(re.sub(_NUMBER_WORD, " ", text))
    if stems:
        scored = [(len(stems & _stems(entry.title)), entry) for entry in items]
        best = max((score for score, _ in scored), default=0)
        if best:
            found = tuple(entry for score, entry in scored if score == best)
            open_found = tuple(entry for entry in found if entry.status not in CLOSED)
            return Match((open_found or found)[:MAX_CANDIDATES], BY_WORDS)
    open_items = tuple(entry for entry in items if entry.status not in CLOSED)
    if len(open_items) == 1:
        return Match(open_items, ONLY_OPEN)
    return Match(open_items[:MAX_CANDIDATES], "")


def needs_date(session: Session, *, item_id: int, agency_id: int, windows: bool) -> bool:
    """An undated or tentative item whose agency has named no date of its own yet
    (`windows`: the agency has windows of its own)."""
    item = session.get(Item, item_id)
    if item is None or windows:
        return False
    return bool(item.undated or item.tentative) or not session.scalar(
        select(Item.id).where(Item.id == item_id, Item.windows.any())
    )
