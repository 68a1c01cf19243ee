"""A deadline printed at the end of an item's line, with no «Срок» label.

«Праздничный концерт ко Дню города – июнь 2026 г.», «Выставка (II квартал 2026 года)»,
«Конкурс чтецов — до 15 марта 2026 г., МБУК «ЦБС»», «Семинар, март – апрель 2026 г.»:
the tail after a dash, in the last parentheses or after a comma is the deadline when the
deadline engine reads windows or a recurrence from it; what follows it after a comma is a
body. Separators inside quotes («…») or parentheses never split. A tail that does not parse
stays in the title («Круглый стол «Смоленск – Могилёв: диалог культур»»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scheduler.rules.deadlines import DeadlineParse, parse_deadline

#: A dash between words (a hyphen inside a word, «декоративно-прикладного», is no separator).
_DASH = re.compile(r"\s[–—-]\s")
_COMMA = re.compile(r",\s")
_TRAILING = " \t.;,–—-"


@dataclass(frozen=True)
class Tail:
    """An item's line cut in three: the title, the deadline and a body after it (or None)."""

    title: str
    deadline: str
    body: str | None = None


def split_tail(text: str, *, reference: date, period: tuple[date, date] | None) -> Tail | None:
    """The title, deadline and body of `text` when its end holds a deadline, else None."""
    text = text.strip()
    depth = _depths(text)
    return _in_parentheses(text, depth, reference, period) or _after_separator(
        text, depth, reference, period
    )


def _reads(text: str, reference: date, period: tuple[date, date] | None) -> DeadlineParse | None:
    parse = parse_deadline(text.strip(_TRAILING), reference=reference, period=period)
    return parse if (parse.windows or parse.recurrence) and not parse.undated else None


def _depths(text: str) -> list[int]:
    """How deep in quotes and parentheses each character stands."""
    out, depth = [], 0
    for char in text:
        if char in "«(":
            depth += 1
        out.append(depth)
        if char in "»)" and depth:
            depth -= 1
    return out


def _in_parentheses(
    text: str, depth: list[int], reference: date, period: tuple[date, date] | None
) -> Tail | None:
    """«Выставка (II квартал 2026 года)»: the last parentheses at the line's end."""
    end = len(text.rstrip(_TRAILING))
    if not end or text[end - 1] != ")" or depth[end - 1] != 1:
        return None
    start = text.rfind("(", 0, end - 1)
    while start > 0 and depth[start] != 1:
        start = text.rfind("(", 0, start)
    title = text[:start].rstrip(_TRAILING)
    inner = text[start + 1 : end - 1].strip()
    if start <= 0 or not title or not _reads(inner, reference, period):
        return None
    return Tail(title=title, deadline=inner)


def _cuts(pattern: re.Pattern[str], text: str, depth: list[int]) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text) if depth[m.start()] == 0]


def _after_separator(
    text: str, depth: list[int], reference: date, period: tuple[date, date] | None
) -> Tail | None:
    """The shortest tail after a dash or a comma that the engine reads, widened to the left
    while the wider phrase starts earlier («март – апрель 2026 г.», not «апрель 2026 г.»),
    and cut before a body after a comma («до 15 марта 2026 г., МБУК «ЦБС»»)."""
    cuts = sorted(_cuts(_DASH, text, depth) + _cuts(_COMMA, text, depth))
    for index in range(len(cuts) - 1, -1, -1):
        tail = text[cuts[index][1] :]
        parse = _reads(tail, reference, period)
        if parse is None:
            continue
        chosen, start = index, cuts[index][1]
        for wider in range(index - 1, -1, -1):
            wider_parse = _reads(text[cuts[wider][1] :], reference, period)
            if wider_parse is None or not _starts_earlier(wider_parse, parse):
                break
            chosen, start, parse = wider, cuts[wider][1], wider_parse
        title = text[: cuts[chosen][0]].rstrip(_TRAILING)
        if not title:
            return None
        deadline, body = _cut_body(text[start:], parse, reference, period)
        return Tail(title=title, deadline=deadline, body=body)
    return None


def _starts_earlier(wider: DeadlineParse, narrow: DeadlineParse) -> bool:
    return bool(wider.windows and narrow.windows and wider.windows[0][0] < narrow.windows[0][0])


def _cut_body(
    tail: str, parse: DeadlineParse, reference: date, period: tuple[date, date] | None
) -> tuple[str, str | None]:
    """The deadline and the body after it: the last comma's part is a body when the engine
    reads nothing from it and the same windows without it."""
    depth = _depths(tail)
    for start, end in reversed(_cuts(_COMMA, tail, depth)):
        head, rest = tail[:start], tail[end:].strip(_TRAILING)
        shorter = _reads(head, reference, period)
        same = shorter is not None and (shorter.windows, shorter.recurrence) == (
            parse.windows,
            parse.recurrence,
        )
        if rest and same and _reads(rest, reference, period) is None:
            return head.strip().rstrip(" ;,–—-"), rest
    return tail.strip().rstrip(" ;,"), None
