"""Word documents: a roadmap written as paragraphs, or any plan laid out as a table.

Paragraphs become the same numbered lines a text file gives (a line break inside a
paragraph is a line, paragraphs are separated by a blank line), so the roadmap reader
reads both. A table with a header row goes to the table reader.
"""

from __future__ import annotations

import io
from typing import Any
from zipfile import BadZipFile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from lxml.etree import XMLSyntaxError

from models.importing.docx_numbering import ListNumbers
from models.importing.errors import UNRECOGNISED, ImportFormatError
from models.importing.parsed import ParsedPlan
from models.importing.roadmap import looks_like_roadmap, read_roadmap
from models.importing.source import Source
from models.importing.table import Row, is_header, is_number, read_table
from models.importing.text import clean, join_lines, signing_date

Line = tuple[int, str]
_P, _T, _BR, _CR, _TAB = (qn(tag) for tag in ("w:p", "w:t", "w:br", "w:cr", "w:tab"))


def read_docx(source: Source) -> ParsedPlan:
    """The plan in a .docx file; raises ImportFormatError when it holds none."""
    name = source.path.name
    try:
        document = Document(io.BytesIO(source.raw))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, XMLSyntaxError) as exc:
        raise ImportFormatError(name, None, "повреждённый документ .docx") from exc
    blocks = list(document.iter_inner_content())
    for index, block in enumerate(blocks):
        if isinstance(block, Table) and (plan := _table_plan(name, blocks, index)):
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


def _table_plan(name: str, blocks: list[object], index: int) -> ParsedPlan | None:
    table: Table = blocks[index]  # type: ignore[assignment]
    rows = [Row(line=n, cells=_cells(row)) for n, row in enumerate(table.rows, start=1)]
    _number_auto_rows(table, rows)
    start = next(
        (i for i, r in enumerate(rows[:5]) if is_header([join_lines(c) for c in r.cells])), None
    )
    if start is None:
        return None
    before = [b.text for b in blocks[:index] if isinstance(b, Paragraph) and clean(b.text)]
    after = [b.text for b in blocks[index + 1 :] if isinstance(b, Paragraph)]
    plan = read_table(
        name,
        title=join_lines([line for text in before for line in text.split("\n")]),
        title_line=None,
        rows=rows[start + 1 :],
        header=rows[start],
    )
    plan.signed_on = signing_date("\n".join(after))
    return plan


def _cells(row: _Row) -> list[list[str]]:
    """A row's cells as stored: a merged cell once (python-docx's `row.cells` would repeat
    it per grid column, and rebuilds the whole table's grid on every call)."""
    return [_tc_text(tc).split("\n") for tc in row._tr.tc_lst]


def _number_auto_rows(table: Table, rows: list[Row]) -> None:
    """Give rows whose number cell is Word's automatic numbering («1.» drawn, not typed)
    their number, counting in order: otherwise they would read as section rows."""
    counter = 0
    for row, tr in zip(rows, (r._tr for r in table.rows), strict=True):
        first = tr.tc_lst[0] if tr.tc_lst else None
        others = any(join_lines(cell) for cell in row.cells[1:])
        if first is None or join_lines(row.cells[0]) or not others:
            if is_number(join_lines(row.cells[0])):
                counter = _as_int(join_lines(row.cells[0]), counter)
            continue
        if _auto_numbered(first, table):
            counter += 1
            row.cells[0] = [f"{counter}."]


def _as_int(text: str, default: int) -> int:
    head = text.strip().rstrip(".").split(".")[0]
    return int(head) if head.isdigit() else default


def _auto_numbered(tc: Any, table: Table) -> bool:
    for p in tc.iter(_P):
        ppr = p.pPr
        if ppr is not None and ppr.numPr is not None:
            return True
        style = Paragraph(p, table).style
        while style is not None:
            spr = style.element.pPr
            if spr is not None and spr.numPr is not None:
                return True
            style = style.base_style
    return False


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
