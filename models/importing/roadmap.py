"""The roadmap layout: «1. Раздел:», items «1.1.», «Срок: …» and «Ответственные» blocks.

Input is paragraphs (runs of non-blank lines, each line with its number), which a text
file and a Word document's paragraphs both give. A section without sub-numbered items
(«### 3. …» followed by plain text) is itself one item numbered «3».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from models.importing.agencies import agencies_for, side_by_name
from models.importing.errors import ImportFormatError
from models.importing.front import read_front
from models.importing.parsed import ParsedItem, ParsedPlan, ParsedSection
from models.importing.tail_deadline import split_tail
from models.importing.text import clean, join_lines, plan_period, signing_date, strip_markdown
from scheduler.rules.domain import PlanKind, Side

Line = tuple[int, str]

_SECTION = re.compile(r"^(?:Раздел\s+)?(\d{1,3}|[IVXLC]{1,6})[.)]\s+(\S.*?)\s*:?$")
_ITEM = re.compile(r"^(\d{1,3}\.\d{1,3}(?:\.\d{1,3})?)\.?\s+(\S.*)$")
_DEADLINE = re.compile(r"^Срок\w*(?:\s+[а-яё]+){0,2}\s*(?::|\s[–—-])\s*(.*)$", re.IGNORECASE)
_RESPONSIBLE = re.compile(r"^(Ответственн|Исполнител)\w*\s*:?$", re.IGNORECASE)
_RESPONSIBLE_INLINE = re.compile(
    r"^((?:Со)?(?:Ответственн|Исполнител)\w*)(?:\s+[а-яё]+){0,2}\s*(?::|\s[–—-])\s*(\S.*)$",
    re.IGNORECASE,
)
_SIDE_HEADER = re.compile(r"^от\s+\S.*:$", re.IGNORECASE)
_SIGNED = re.compile(r"^Подписан", re.IGNORECASE)
_SIDE_START = re.compile(r"^от\s+[А-ЯЁ]")
_BULLET = re.compile(r"^[-–•]\s")


def paragraphs(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped into paragraphs, Markdown marks removed. A blank line ends one; so
    does the start of an item, a «Срок:», «Ответственные», a side header or a list entry,
    because Word users often put them on lines of one paragraph instead."""
    out: list[list[Line]] = []
    current: list[Line] = []
    for number, raw in lines:
        for text in _INLINE_LABEL.split(clean(strip_markdown(raw))) or [""]:
            if current and (not text or _starts_paragraph(text) or _ends_paragraph(current)):
                out.append(current)
                current = []
            if text:
                current.append((number, text))
    if current:
        out.append(current)
    return out


#: «… конкурса. Срок: март 2026 г. Ответственный: отдел культуры» on one line: the
#: labels after a sentence's end start lines of their own.
_INLINE_LABEL = re.compile(
    r"(?<=[.;])\s+(?=(?:Срок|Сроки|Ответственн\w*|Исполнител\w*|Соисполнител\w*)"
    r"(?:\s+[а-яё]+){0,2}\s*(?::|\s[–—-]))"
)


def _starts_paragraph(text: str) -> bool:
    if _SECTION.match(text) and text.endswith(":"):
        return True
    starts = (_ITEM, _DEADLINE, _RESPONSIBLE, _RESPONSIBLE_INLINE, _SIDE_START, _BULLET, _SIGNED)
    return any(p.match(text) for p in starts)


def _ends_paragraph(current: list[Line]) -> bool:
    """A side header («от … (Российская Федерация):») or a section heading ends at its colon."""
    last = current[-1][1]
    if not last.endswith(":"):
        return False
    return bool(_SIDE_START.match(current[0][1]) or (len(current) == 1 and _SECTION.match(last)))


def looks_like_roadmap(lines: list[Line]) -> bool:
    """True when the text has «Срок:» lines and numbered items, or at least two numbered
    paragraphs whose lines end with a deadline («3. Концерт – июнь 2026 г.»)."""
    deadline = numbered = False
    for _, raw in lines:
        text = clean(strip_markdown(raw))
        deadline = deadline or any(_DEADLINE.match(p) for p in _INLINE_LABEL.split(text))
        numbered = numbered or bool(_ITEM.match(text) or _SECTION.match(text))
        if deadline and numbered:
            return True
    reference = _text_reference("\n".join(t for _, t in lines))
    tails = 0
    for para in paragraphs(lines):
        text = join_lines([t for _, t in para], cleaned=True)
        section = _SECTION.match(text)
        if section and split_tail(section.group(2), reference=reference, period=None):
            tails += 1
            if tails >= 2:
                return True
    return False


_YEAR = re.compile(r"\b(20\d\d)\b")


#: The reference for a text that names no year: telling a deadline at a line's end
#: («… — май») needs some year, and the import reads it again against the period,
#: which then is the import date's year (a leap year: «29 февраля» reads too).
_ANY_YEAR = date(2000, 1, 1)


def _text_reference(text: str) -> date:
    """The first of January of the first year the text names: the reference for telling
    whether a line's end is a deadline (the import reads it again against the period)."""
    year = _YEAR.search(text)
    return date(int(year.group(1)), 1, 1) if year else _ANY_YEAR


@dataclass
class _State:
    """Where the reader is: the current item, and the side headers not yet used."""

    plan: ParsedPlan
    item: ParsedItem | None = None
    section_number: str | None = None
    mode: str = "text"  # text | responsible
    pending_sides: list[Side] = field(default_factory=list)
    side: Side | None = None
    blocks_since_header: int = 0


def read_roadmap(path_name: str, lines: list[Line]) -> ParsedPlan:
    """The plan in `lines`; raises ImportFormatError when it has no items."""
    paras = paragraphs(lines)
    if not paras:
        raise ImportFormatError(path_name, None, "в файле нет текста")
    items = _one_level_items(paras, _text_reference("\n".join(t for p in paras for _, t in p)))
    first_body = next(
        (i for i, p in enumerate(paras) if i in items or _is_structural(p)), len(paras)
    )
    title_paras = paras[:first_body] or paras[:1]
    front = read_front([(n, t, k == 0) for para in title_paras for k, (n, t) in enumerate(para)])
    period = plan_period(front.title)
    all_text = "\n".join(t for p in paras for _, t in p)
    plan = ParsedPlan(
        title=front.title,
        kind=PlanKind.ROADMAP,
        period_start=period[0] if period else None,
        period_end=period[1] if period else None,
        signed_on=signing_date(all_text),
        approval=front.approval,
        has_agencies=True,
    )
    state = _State(plan=plan)
    for index in range(first_body, len(paras)):
        para = paras[index]
        if _SIGNED.match(para[0][1]):
            break
        if index in items:
            section = _SECTION.match(para[0][1])
            assert section is not None  # `_one_level_items` chose the paragraph by it
            number, title = section.groups()
            rest = [t for _, t in para[1:]]
            _start_item(state, number, join_lines([title, *rest]), line=para[0][0])
            continue
        _read_paragraph(state, para)
    if not plan.items:
        raise ImportFormatError(path_name, None, "не найдено ни одного пункта плана")
    _deadlines_at_line_end(plan, all_text)
    _mark_truncated(plan)
    return plan


def _one_level_items(paras: list[list[Line]], reference: date) -> set[int]:
    """Paragraphs «1. …» that carry a deadline of their own (a «Срок:» before the next
    numbered paragraph, no «1.1.» between, or a deadline at the line's end) are items, not
    sections. When some carry it at the line's end, their siblings without any deadline
    are items too (undated)."""
    found: set[int] = set()
    siblings: set[int] = set()
    tails = False
    for index, para in enumerate(paras):
        section = _SECTION.match(para[0][1])
        if not section or para[0][1].endswith(":"):
            continue
        sub_items = False
        for after in paras[index + 1 :]:
            first = after[0][1]
            if _ITEM.match(first) or _SECTION.match(first):
                sub_items = bool(_ITEM.match(first))
                break
            if _DEADLINE.match(first):
                found.add(index)
                break
        if index in found or sub_items:
            continue
        title = join_lines([section.group(2), *[t for _, t in para[1:]]])
        if split_tail(title, reference=reference, period=None):
            found.add(index)
            tails = True
        else:
            siblings.add(index)
    return found | siblings if tails else found


def _is_structural(para: list[Line]) -> bool:
    text = para[0][1]
    return bool(_ITEM.match(text) or (_SECTION.match(text) and len(para) == 1))


def _read_paragraph(state: _State, para: list[Line]) -> None:
    line_no, first = para[0]
    text = first if len(para) == 1 else join_lines([t for _, t in para], cleaned=True)
    if item := _ITEM.match(first):
        title = join_lines([item.group(2), *[t for _, t in para[1:]]])
        _start_item(state, item.group(1), title, line=line_no)
    elif (section := _SECTION.match(text)) and len(para) <= 2 and not _DEADLINE.match(text):
        state.plan.sections.append(ParsedSection(number=section.group(1), title=section.group(2)))
        state.section_number = section.group(1)
        state.item = None
        state.mode = "text"
    elif deadline := _DEADLINE.match(text):
        if state.item is not None:
            state.item.deadline = deadline.group(1).strip()
    elif (inline := _RESPONSIBLE_INLINE.match(text)) and state.item is not None:
        role = "co" if inline.group(1).lower().startswith("со") else "lead"
        for agency in agencies_for([inline.group(2)], default=None, role=role):
            if agency not in state.item.agencies:
                state.item.agencies.append(agency)
        state.mode = "text"
    elif _RESPONSIBLE.match(text):
        state.mode = "responsible"
        state.pending_sides = []
        state.side = None
    elif state.mode == "responsible" and _SIDE_HEADER.match(text):
        _side_header(state, text)
    elif state.mode == "responsible" and state.item is not None:
        _agency_block(state, [t for _, t in para])
    elif state.item is None and state.section_number is not None:
        # A section printed without sub-numbers is one item under the section's number.
        _start_item(state, state.section_number, text, line=line_no)
    elif state.item is not None:
        lines = [t for _, t in para]
        extra = "\n".join(clean(t) for t in lines)
        state.item.description = (
            f"{state.item.description}\n{extra}" if state.item.description else extra
        )


def _start_item(state: _State, number: str, title: str, *, line: int) -> None:
    section = len(state.plan.sections) - 1 if state.plan.sections else None
    state.item = ParsedItem(number=number, title=title, section=section, line=line)
    state.plan.items.append(state.item)
    state.mode = "text"


def _side_header(state: _State, text: str) -> None:
    side = side_by_name(text) or Side.RU
    if state.blocks_since_header:
        state.pending_sides = []
    state.pending_sides.append(side)
    state.side = side
    state.blocks_since_header = 0


def _agency_block(state: _State, lines: list[str]) -> None:
    """Bodies under a side header; when several headers came first (item 6.2), each body
    goes to the side its own name tells, else to the headers in their order."""
    assert state.item is not None
    stacked = len(state.pending_sides) > 1
    if stacked:
        found = agencies_for(lines, default=None)
        fallback = state.pending_sides[min(state.blocks_since_header, len(state.pending_sides) - 1)]
        found = [a if side_by_name(a.name) else replace(a, side=fallback) for a in found]
    else:
        found = agencies_for(lines, default=state.side)
    for agency in found:
        if agency not in state.item.agencies:
            state.item.agencies.append(agency)
    state.blocks_since_header += 1


def _deadlines_at_line_end(plan: ParsedPlan, all_text: str) -> None:
    """An item without a «Срок» whose line ends with a deadline («… – июнь 2026 г.»,
    «… (II квартал 2026 года)», «… — до 15 марта 2026 г., МБУК «ЦБС»») takes that
    deadline, and the body after it; a line end that is no deadline stays in the title."""
    if plan.period_start is not None:
        reference = plan.period_start
    elif plan.approval is not None and plan.approval.date is not None:
        reference = date(plan.approval.date.year, 1, 1)
    else:
        reference = _text_reference(all_text)
    for item in plan.items:
        if item.deadline:
            continue
        tail = split_tail(item.title, reference=reference, period=None)
        if tail is None:
            continue
        item.title, item.deadline = tail.title, tail.deadline
        if tail.body:
            for agency in agencies_for([tail.body], default=None):
                if agency not in item.agencies:
                    item.agencies.append(agency)


def _mark_truncated(plan: ParsedPlan) -> None:
    """A last item cut off before its deadline or its responsible bodies says so."""
    last = plan.items[-1]
    missing = []
    if not last.deadline:
        missing.append("deadline")
    if not last.agencies:
        missing.append("agencies")
    last.missing = tuple(missing)
