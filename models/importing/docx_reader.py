"""Word documents: a roadmap written as paragraphs, or any plan laid out as a table.

Paragraphs become the same numbered lines a text file gives (a line break inside a
paragraph is a line, paragraphs are separated by a blank line), so the roadmap reader
reads both. A table with a header row goes to the table reader.
"""

from __future__ import annotations

import io
import re
from typing import Any, cast
from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from models.importing.docx_numbering import ListNumbers
from models.importing.errors import UNRECOGNISED, ImportFormatError
from models.importing.front import read_front, units_of_paragraphs
from models.importing.header import find_header
from models.importing.parsed import ParsedPlan
from models.importing.roadmap import looks_like_roadmap, read_roadmap
from models.importing.source import Source
from models.importing.table import Row, read_table
from models.importing.text import clean, join_lines, signing_date

Line = tuple[int, str]
#: What a document's body holds, in order.
Block = Paragraph | Table
_HEADING = re.compile(r"^(?:Раздел\s+)?(?:\d{1,2}|[IVXLC]{1,6})[.)]\s+\S", re.IGNORECASE)
_P, _T, _BR, _CR, _TAB = (qn(tag) for tag in ("w:p", "w:t", "w:br", "w:cr", "w:tab"))


def read_docx(source: Source) -> ParsedPlan:
    """The plan in a .docx file; raises ImportFormatError when it holds none."""
    name = source.path.name
    try:
        document = Document(io.BytesIO(source.data))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise ImportFormatError(name, None, "повреждённый документ .docx") from exc
    blocks = list(document.iter_inner_content())
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and (
            plan := _table_plan(name, block, blocks, index, ListNumbers(document))
        ):
            return plan
    numbers = ListNumbers(document)
    lines = _paragraph_lines([b for b in blocks if isinstance(b, Paragraph)], numbers)
    if looks_like_roadmap(lines):
        return read_roadmap(name, lines)
    raise ImportFormatError(name, None, UNRECOGNISED)


def _paragraph_lines(paragraphs: list[Paragraph], numbers: ListNumbers) -> list[Line]:
    """Each paragraph's lines, with the number Word draws put back in front, then a blank."""
    lines: list[Line] = []
    for paragraph in paragraphs:
        text = paragraph.text
        label = numbers.label(paragraph)
        if label and not text.lstrip().startswith(label):
            text = f"{label} {text.lstrip()}"
        for part in text.split("\n"):
            lines.append((len(lines) + 1, part))
        lines.append((len(lines) + 1, ""))
    return lines


def _table_plan(
    name: str, table: Table, blocks: list[Block], index: int, numbers: ListNumbers
) -> ParsedPlan | None:
    """The plan laid out in `table`, `blocks[index]`, if it has a header row."""
    rows = [_row(n, tr) for n, tr in enumerate(table._tbl.tr_lst, start=1)]
    header = find_header(rows)
    if header is None:
        return None
    _number_auto_rows(table, rows, numbers)
    before = [text for b in blocks[:index] for text in _block_texts(b) if clean(text)]
    after = [b.text for b in blocks[index + 1 :] if isinstance(b, Paragraph)]
    front = read_front(units_of_paragraphs(before))
    if before and _HEADING.match(clean(before[-1])) and clean(before[-1]) not in front.title:
        # The first section's heading, printed above the table like the later ones.
        rows.insert(header.body_start, Row(line=None, cells=[before[-1].split("\n")]))
    rows.extend(_continued_tables(table, blocks[index + 1 :]))
    plan = read_table(name, front=front, rows=rows)
    plan.signed_on = signing_date("\n".join(after))
    return plan


def _block_texts(block: Block) -> list[str]:
    """A paragraph's text; a layout table's (a stamp set in a table) cell paragraphs."""
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Table):
        return [_tc_text(tc) for tr in block._tbl.tr_lst for tc in tr.tc_lst]
    return []


def _continued_tables(first: Table, blocks: list[Block]) -> list[Row]:
    """Tables after the plan's table with the same columns: a table cut in two by a page
    or section break, or one table per section with the section's heading as a paragraph
    between them (that paragraph becomes a section row). Text after the last such table
    (notes, signatures) is left out."""
    width = _width(first)
    rows: list[Row] = []
    pending: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            if clean(block.text):
                pending.append(block.text)
            if len(pending) > 3:
                break
            continue
        if not isinstance(block, Table) or _width(block) != width:
            break
        rows.extend(Row(line=None, cells=[text.split("\n")]) for text in pending)
        pending = []
        rows.extend(_row(None, tr) for tr in block._tbl.tr_lst)
    return rows


def _width(table: Table) -> int:
    grid = table._tbl.tblGrid
    return len(grid.gridCol_lst) if grid is not None else 0


def _row(line: int | None, tr: Any) -> Row:
    """A row's cells by grid column: a merged cell once, in its first column, the columns
    it spans listed as covered (python-docx's `row.cells` rebuilds the table's grid on
    every call, which dominates a 10,000-row table)."""
    cells: list[list[str]] = []
    covered: set[int] = set()
    vmerged: set[int] = set()
    before = tr.trPr.find(qn("w:gridBefore")) if tr.trPr is not None else None
    for _ in range(int(before.get(qn("w:val"), 0)) if before is not None else 0):
        cells.append([])
    for tc in tr.tc_lst:
        if tc.vMerge == "continue":
            vmerged.add(len(cells))
        cells.append(_tc_text(tc).split("\n"))
        for _ in range(max(1, tc.grid_span) - 1):
            covered.add(len(cells))
            cells.append([])
    return Row(line=line, cells=cells, covered=covered, vmerged=vmerged)


def _number_auto_rows(table: Table, rows: list[Row], numbers: ListNumbers) -> None:
    """Give rows whose first cell is numbered by Word («1.», «1.1.», «I.» drawn, not
    typed) the number Word shows: otherwise they would read as rows without one."""
    for row, tr in zip(rows, table._tbl.tr_lst, strict=False):
        first = tr.tc_lst[0] if tr.tc_lst else None
        if first is None or not row.cells:
            continue
        for p in first.iter(_P):
            # lxml types `iter` as yielding the cell's own class; python-docx parses w:p as CT_P.
            paragraph = Paragraph(cast(CT_P, p), table)
            label = numbers.label(paragraph)  # counts every numbered paragraph
            if not label or label == "-":
                continue
            text = join_lines(row.cells[0])
            if not text:
                row.cells[0] = [label]
            elif not text.startswith(label.rstrip(".")):
                row.cells[0] = [f"{label} {row.cells[0][0]}", *row.cells[0][1:]]
            break


def _tc_text(tc: Any) -> str:
    """A cell's text, paragraphs and line breaks as newlines. Walks the XML once: python-docx
    runs an XPath query per paragraph and run, which dominates a 10,000-row table."""
    paragraphs = []
    for paragraph in tc.iter(_P):
        parts = []
        for element in paragraph.iter(_T, _BR, _CR, _TAB):
            if element.tag == _T:
                parts.append(element.text or "")
            else:
                parts.append("\t" if element.tag == _TAB else "\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)
