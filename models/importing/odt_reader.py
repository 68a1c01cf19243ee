"""OpenDocument text (.odt): paragraphs, lists and tables read from content.xml with the
standard library (no extra dependency).

A table cell spanning columns (`number-columns-spanned`) stands in its first column and
the `covered-table-cell`s after it are covered; a covered cell under a cell spanning
rows continues it (vmerged), as in a Word table. Paragraphs above the first plan table
are the stamp and the title; a document without such a table is read as a roadmap.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any
from xml.etree import ElementTree

from models.importing.errors import UNRECOGNISED, ImportFormatError
from models.importing.front import read_front, units_of_paragraphs
from models.importing.parsed import ParsedPlan
from models.importing.roadmap import looks_like_roadmap, read_roadmap
from models.importing.source import Source
from models.importing.table import Row, has_table_header, read_table

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_TEXT, _TABLE = "{" + _NS["text"] + "}", "{" + _NS["table"] + "}"
#: Repeated empty cells or rows beyond this are one (ODF repeats blanks to the sheet end).
MAX_REPEAT = 40


def read_odt(source: Source) -> ParsedPlan:
    """The plan in an .odt file; ImportFormatError when it holds none."""
    name = source.path.name
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            root = ElementTree.fromstring(archive.read("content.xml"))
            names = set(archive.namelist())
            styles = (
                ElementTree.fromstring(archive.read("styles.xml"))
                if "styles.xml" in names
                else None
            )
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise ImportFormatError(name, None, "повреждённый документ OpenDocument (.odt)") from exc
    body = root.find("office:body/office:text", _NS)
    if body is None:
        raise ImportFormatError(name, None, UNRECOGNISED)
    lists = _Lists(_bullet_levels([root, *([styles] if styles is not None else [])]))
    paragraphs: list[str] = []
    for element in body:
        if element.tag == _TABLE + "table":
            rows = table_rows(element)
            if has_table_header(rows):
                front = read_front(units_of_paragraphs(paragraphs))
                return read_table(name, front=front, rows=rows)
        else:
            paragraphs.extend(_paragraphs(element, [], lists, None))
    lines: list[tuple[int, str]] = []
    for paragraph in paragraphs:
        for part in paragraph.split("\n"):
            lines.append((len(lines) + 1, part))
        lines.append((len(lines) + 1, ""))
    if looks_like_roadmap(lines):
        return read_roadmap(name, lines)
    raise ImportFormatError(name, None, UNRECOGNISED)


def _bullet_levels(roots: list[Any]) -> set[tuple[str, int]]:
    """(list style, level) pairs whose items are bullets, not numbers."""
    found: set[tuple[str, int]] = set()
    for root in roots:
        for style in root.iter(_TEXT + "list-style"):
            name = style.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name", "")
            for level in style.iter(_TEXT + "list-level-style-bullet"):
                found.add((name, int(level.get(_TEXT + "level", "1")) - 1))
    return found


class _Lists:
    """Bulleted list levels, and where each list style's top level stopped counting (a
    list that continues the numbering of the one before starts after it)."""

    def __init__(self, bullets: set[tuple[str, int]]) -> None:
        self.bullets = bullets
        self.last: dict[str, int] = {}


def _paragraphs(element: Any, counters: list[int], lists: _Lists, style: str | None) -> list[str]:
    """Paragraph texts of `element`; a numbered list's items get «1.», «1.1.» in front,
    a bulleted list's «-»."""
    if element.tag in (_TEXT + "p", _TEXT + "h"):
        return [cell_text(element)]
    if element.tag != _TEXT + "list":
        return []
    style = element.get(_TEXT + "style-name") or style or ""
    out: list[str] = []
    level = [*counters, 0]
    if not counters and (
        element.get(_TEXT + "continue-numbering") == "true" or element.get(_TEXT + "continue-list")
    ):
        level[-1] = lists.last.get(style, 0)
    bullet = (style, len(counters)) in lists.bullets
    for item in element:
        if item.tag not in (_TEXT + "list-item", _TEXT + "list-header"):
            continue
        level[-1] += 1
        label = "-" if bullet else ".".join(str(n) for n in level) + "."
        for index, child in enumerate(item):
            texts = _paragraphs(child, level, lists, style)
            if index == 0 and child.tag in (_TEXT + "p", _TEXT + "h") and texts:
                texts[0] = f"{label} {texts[0]}"
            out.extend(texts)
    if not counters:
        lists.last[style] = level[-1]
    return out


def table_rows(table: Any) -> list[Row]:
    """Rows by grid column; spans covered, cells under a row span vmerged."""
    rows: list[Row] = []
    spanning: dict[int, int] = {}  # column -> rows still covered below
    for tr in table.iter(_TABLE + "table-row"):
        repeat = min(int(tr.get(_TABLE + "number-rows-repeated", "1")), MAX_REPEAT)
        for _ in range(repeat):
            rows.append(_row(tr, len(rows) + 1, spanning))
    return rows


def _row(tr: Any, line: int, spanning: dict[int, int]) -> Row:
    row = Row(line=line, cells=[])
    span_end = 0
    for cell in tr:
        if cell.tag not in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
            continue
        repeat = min(int(cell.get(_TABLE + "number-columns-repeated", "1")), MAX_REPEAT)
        for _ in range(repeat):
            position = len(row.cells)
            if cell.tag == _TABLE + "covered-table-cell":
                if position < span_end:
                    row.covered.add(position)
                elif spanning.get(position, 0) > 0:
                    row.vmerged.add(position)
                row.cells.append([])
            else:
                row.cells.append(cell_text(cell).split("\n"))
                span_end = position + int(cell.get(_TABLE + "number-columns-spanned", "1"))
                rows_spanned = int(cell.get(_TABLE + "number-rows-spanned", "1"))
                if rows_spanned > 1:
                    spanning[position] = rows_spanned
    for position in list(spanning):
        spanning[position] -= 1
    return row


def cell_text(element: Any) -> str:
    """Text of a paragraph or cell: paragraphs and line breaks as newlines, «text:s» as
    spaces, «text:tab» as a tab."""
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts).strip("\n")


def _walk(element: Any, parts: list[str]) -> None:
    tag = element.tag
    if tag == _TEXT + "s":
        parts.append(" " * int(element.get(_TEXT + "c", "1")))
    elif tag == _TEXT + "tab":
        parts.append("\t")
    elif tag == _TEXT + "line-break":
        parts.append("\n")
    elif element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if tag in (_TEXT + "p", _TEXT + "h"):
        parts.append("\n")
