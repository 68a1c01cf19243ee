"""The rows under a table's header: sections, items, and rows continuing an item.

A section row is merged across the table, or has only its first cell filled, or is
numbered «I.», «Раздел 2.» (or «2.» with only a title when «2.1» items follow). An item
row has a number («1», «1.», «1.1.1», «1)»). A row with an empty number cell and other
cells filled continues the item above (a row split by a page break). The column-number
row and a header repeated on each page are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.importing.header import Header, is_column_numbers
from models.importing.parsed import Doubt, ParsedPlan, ParsedSection
from models.importing.table_items import build_item
from models.importing.text import join_lines

if TYPE_CHECKING:
    from models.importing.table import Row

_ITEM_NUMBER = re.compile(r"^(\d{1,4}(?:\.\d{1,3}){0,4})[.)]?$")
_LOOSE_NUMBER = re.compile(r"^\d{1,4}(?:\.\d{1,3}){0,4}[.)]?\s*[а-яa-z]?\.?$")
_ROMAN = r"[IVXLC]{1,6}"
_SECTION_NUMBER = re.compile(
    rf"^(?:раздел|подраздел|глава|часть)?\s*({_ROMAN}|\d{{1,3}})(?=[.)\s]|$)[.)]?\s*(.*)$",
    re.IGNORECASE,
)
_SECTION_WORD = re.compile(r"^(?:раздел|подраздел|глава|часть)\s+\S+", re.IGNORECASE)
_ROMAN_ONLY = re.compile(rf"^{_ROMAN}[.)]?$")
_TOTAL = re.compile(r"^(?:итого|всего)\b", re.IGNORECASE)


@dataclass
class _Entry:
    kind: str  # item | section
    number: str | None
    cells: list[list[str]] = field(default_factory=list)
    title: str = ""
    line: int | None = None
    maybe_section: bool = False


def read_rows(plan: ParsedPlan, header: Header, rows: list[Row]) -> None:
    """Sections and items of `rows` into `plan`, in order."""
    width = len(header.columns)
    number_at = header.index("number")
    above: dict[int, list[str]] = {}
    entries: list[_Entry] = []
    for row in rows:
        cells = (row.cells + [[] for _ in range(width)])[:width]
        texts = [join_lines(c) for c in cells]
        for position in range(width):
            if texts[position] and position not in row.vmerged:
                above[position] = cells[position]
        filled = [i for i, t in enumerate(texts) if t]
        if not filled or is_column_numbers(texts) or header.repeats(texts):
            continue
        if _TOTAL.match(texts[filled[0]]):
            continue
        last = next((e for e in reversed(entries) if e.kind == "item"), None)
        number = texts[number_at] if number_at is not None else ""
        if len(filled) == 1 and not _ITEM_NUMBER.match(number):
            at = filled[0]
            spans = any(p in row.covered for p in range(at + 1, width))
            heading = at in (0, number_at) or spans
            if (
                last is None
                or heading
                or (
                    at == header.index("title")
                    and (entries[-1].kind == "section" or _heading_after(last, at, texts[at]))
                )
            ):
                entries.append(_section_entry(texts[at], row.line))
            else:
                _continue(last, cells)
            continue
        if number_at is None:
            entries.append(_Entry("item", None, _inherit(row, cells, above), line=row.line))
            continue
        if not number:
            if last is not None:
                _continue(last, cells)
            else:
                plan.doubts.append(Doubt(row.line, _NEITHER.format(text=texts[filled[0]][:60])))
            continue
        others = [i for i in filled if i != number_at]
        if _ROMAN_ONLY.match(number) or _SECTION_WORD.match(number):
            title = " ".join(texts[i] for i in others)
            entries.append(_section_entry(f"{number} {title}", row.line))
            continue
        if not _LOOSE_NUMBER.match(number):
            plan.doubts.append(Doubt(row.line, _NEITHER.format(text=number[:60])))
            continue
        item_number = number.rstrip(".) ")
        entry = _Entry("item", item_number, _inherit(row, cells, above), line=row.line)
        title_at = header.index("title")
        if title_at is not None and "." not in item_number and others == [title_at]:
            entry.maybe_section, entry.title = True, texts[title_at]
        entries.append(entry)
    _settle_sections(entries)
    if number_at is None and entries:
        plan.doubts.append(Doubt(None, _UNNUMBERED))
    _emit(plan, header, entries)


def _inherit(row: Row, cells: list[list[str]], above: dict[int, list[str]]) -> list[list[str]]:
    """An item row's cells, with a cell merged down from a row above (one responsible
    body or one deadline for several items) filled in from that row."""
    for position in row.vmerged:
        if position < len(cells) and not join_lines(cells[position]) and position in above:
            cells[position] = above[position]
    return cells


_NEITHER = "строка «{text}» не похожа ни на пункт, ни на раздел; пропущена"
_UNNUMBERED = "в таблице нет колонки номеров: пункты пронумерованы по порядку (1, 2, 3 …)"


_CUT = re.compile(r"(?:[,:;(«\-–—]|\s(?:и|в|во|на|по|к|с|со|для|о|об|от|из|при|за))$")


def _heading_after(item: _Entry, at: int, text: str) -> bool:
    """A lone cell that is not the first starts a section when it reads like a heading
    («Культурно-массовые мероприятия», «Раздел 2»); text going on in lower case, or after
    a cell cut at a comma, a hyphen or a preposition, is the rest of the item above."""
    if _SECTION_WORD.match(text):
        return True
    before = join_lines(item.cells[at]) if at < len(item.cells) else ""
    return text[:1].isupper() and len(text) < 150 and not _CUT.search(before)


def _section_entry(text: str, line: int | None) -> _Entry:
    match = _SECTION_NUMBER.match(text)
    if match and match.group(2):
        number = match.group(1)
        title = match.group(2)
    else:
        number, title = None, text
    return _Entry("section", number, title=title.rstrip(":").strip(), line=line)


def _continue(item: _Entry, cells: list[list[str]]) -> None:
    for position, cell in enumerate(cells):
        if join_lines(cell):
            item.cells[position] = [*item.cells[position], *cell]


def _settle_sections(entries: list[_Entry]) -> None:
    """«2.» with only a title is a section when «2.1» items follow it."""
    numbers = [e.number for e in entries if e.kind == "item" and e.number]
    for entry in entries:
        if entry.maybe_section and any(n.startswith(f"{entry.number}.") for n in numbers):
            entry.kind = "section"


def _emit(plan: ParsedPlan, header: Header, entries: list[_Entry]) -> None:
    counter = 0
    for entry in entries:
        if entry.kind == "section":
            plan.sections.append(ParsedSection(number=entry.number, title=entry.title))
            continue
        counter += 1
        number = entry.number or str(counter)
        section = len(plan.sections) - 1 if plan.sections else None
        plan.items.append(build_item(plan, header, entry.cells, number, section, entry.line))
