"""Small writers for the corpus: Word, Excel, OpenDocument text and plain-text exports.

Each takes plain Python data (rows of cell texts) so a document reads like the page it
stands for. In a cell text «\\n» starts a new paragraph and «\\v» is a line break inside
one paragraph (Shift+Enter in Word).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

#: A merged rectangle of a table: (first row, first column, last row, last column), 0-based.
Merge = tuple[int, int, int, int]


@dataclass(frozen=True)
class Auto:
    """A paragraph numbered by a Word list (numbering.xml + numPr), with optional text."""

    num_id: int
    level: int = 0
    text: str = ""


Cell = str | Auto | None

# --- Word ----------------------------------------------------------------------------


def new_docx() -> DocumentType:
    """A Word document in the house style of regional administrations (Times New Roman 14)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    return document


def stamp(document: DocumentType, lines: Sequence[str], *, how: str = "right") -> None:
    """The approval block in the top right corner: right-aligned paragraphs ("right"),
    paragraphs indented to the right half ("indent") or the right cell of a borderless
    two-cell table ("table")."""
    if how == "table":
        table = document.add_table(rows=1, cols=2)
        right = table.cell(0, 1)
        _fill(right, "\n".join(lines))
        document.add_paragraph()
        return
    for line in lines:
        paragraph = document.add_paragraph(line)
        if how == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        else:
            paragraph.paragraph_format.left_indent = Cm(9)
    document.add_paragraph()


def title(document: DocumentType, lines: Sequence[str], *, bold: bool = True) -> None:
    """A title over several centred paragraphs («ПЛАН» / «мероприятий …» / «на … годы»)."""
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = bold


def paragraph(document: DocumentType, text: str, *, bold: bool = False) -> Paragraph:
    """One justified paragraph; «\\v» in `text` becomes a line break."""
    result = document.add_paragraph()
    result.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _add_runs(result, text, bold=bold)
    return result


def numbered(document: DocumentType, text: str, *, num_id: int, level: int = 0) -> Paragraph:
    """A paragraph numbered by a Word list."""
    result = paragraph(document, text)
    _number(result, num_id, level)
    return result


def page_break(document: DocumentType) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def add_list(document: DocumentType, num_id: int, levels: Sequence[tuple[str, str]]) -> None:
    """A Word list in numbering.xml: one (numFmt, lvlText) per level, e.g.
    ("upperRoman", "%1.") or ("decimal", "%1.%2.")."""
    numbering = document.part.numbering_part.element
    body = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{360 * (level + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for level, (fmt, text) in enumerate(levels)
    )
    abstract = f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">{body}</w:abstractNum>'
    numbering.insert(0, parse_xml(abstract))
    numbering.append(
        parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/></w:num>'
        )
    )


def table(
    document: DocumentType,
    rows: Sequence[Sequence[Cell]],
    *,
    merges: Iterable[Merge] = (),
    header_rows: int = 0,
    widths: Sequence[float] | None = None,
) -> Table:
    """A bordered table; `rows` may be shorter than the widest row (missing cells are
    empty). Each merge keeps the text of its top-left cell. With `header_rows` the first
    rows repeat on every page, as Word marks them."""
    cols = max(len(row) for row in rows)
    result = document.add_table(rows=len(rows), cols=cols)
    result.style = "Table Grid"
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        result.cell(r1, c1).merge(result.cell(r2, c2))
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered or value is None:
                continue
            _fill(result.cell(r, c), value)
    for r in range(header_rows):
        tr_pr = result.rows[r]._tr.get_or_add_trPr()
        tr_pr.append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    if widths:
        for row in result.rows:
            for cell, width in zip(row.cells, widths, strict=False):
                cell.width = Cm(width)
    return result


def across(width: int, row: int) -> Merge:
    """The merge of a whole row (a section row merged across the table)."""
    return (row, 0, row, width - 1)


def _fill(cell: _Cell, value: Cell) -> None:
    first = cell.paragraphs[0]
    if isinstance(value, Auto):
        _number(first, value.num_id, value.level)
        _add_runs(first, value.text)
        return
    for i, text in enumerate(str(value).split("\n")):
        target = first if i == 0 else cell.add_paragraph()
        _add_runs(target, text)


def _add_runs(target: Paragraph, text: str, *, bold: bool = False) -> None:
    for i, part in enumerate(text.split("\v")):
        run = target.add_run(part)
        run.bold = bold
        if i < text.count("\v"):
            run.add_break()


def _number(target: Paragraph, num_id: int, level: int) -> None:
    num_pr = target._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


# --- Excel ---------------------------------------------------------------------------


def new_xlsx() -> Workbook:
    """An empty workbook (its default sheet removed: sheets are added by name)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def sheet(
    workbook: Workbook,
    name: str,
    rows: Sequence[Sequence[str | int | date | None]],
    *,
    merges: Iterable[Merge] = (),
    first_row: int = 1,
    widths: Sequence[float] = (),
) -> Worksheet:
    """A sheet with `rows` from row `first_row`, wrapped text, merged rectangles given
    relative to the rows (0-based), as coordinators lay plans out in Excel; dates are
    date cells shown as «15.04.2026»."""
    worksheet = workbook.create_sheet(name)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            cell = worksheet.cell(row=first_row + r, column=c + 1, value=value)
            cell.alignment = wrap
            if isinstance(value, date):
                cell.number_format = "DD.MM.YYYY"  # as a coordinator types 15.04.2026
    for r1, c1, r2, c2 in merges:
        worksheet.merge_cells(
            start_row=first_row + r1,
            start_column=c1 + 1,
            end_row=first_row + r2,
            end_column=c2 + 1,
        )
    for c, width in enumerate(widths):
        worksheet.column_dimensions[chr(ord("A") + c)].width = width
    return worksheet


def bold_row(worksheet: Worksheet, row: int) -> None:
    for cell in worksheet[row]:
        cell.font = Font(bold=True)


# --- OpenDocument text ---------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """An .odt table cell spanning `cols` columns (followed by covered cells)."""

    text: str
    cols: int


_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.3"'
)

_ODT_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="Right" style:family="paragraph">'
    '<style:paragraph-properties fo:text-align="end"/></style:style>'
    '<style:style style:name="Center" style:family="paragraph">'
    '<style:paragraph-properties fo:text-align="center"/>'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    "</office:automatic-styles>"
)


class Odt:
    """An OpenDocument text written by hand with the standard library, as LibreOffice
    lays one out: paragraphs with automatic styles, tables with spanned and covered cells."""

    def __init__(self) -> None:
        self._body: list[str] = []

    def p(self, text: str, *, style: str | None = None) -> None:
        """A paragraph; «\\v» becomes a line break. Styles: "Right", "Center"."""
        attr = f' text:style-name="{style}"' if style else ""
        inner = "<text:line-break/>".join(escape(part) for part in text.split("\v"))
        self._body.append(f"<text:p{attr}>{inner}</text:p>")

    def table(self, rows: Sequence[Sequence[str | Span | None]], *, cols: int) -> None:
        parts = [f'<table:table table:name="Таблица{len(self._body)}">']
        parts.append(f'<table:table-column table:number-columns-repeated="{cols}"/>')
        for row in rows:
            parts.append("<table:table-row>")
            used = 0
            for cell in row:
                if isinstance(cell, Span):
                    parts.append(
                        f'<table:table-cell table:number-columns-spanned="{cell.cols}" '
                        f'office:value-type="string">{_odt_paragraphs(cell.text)}'
                        "</table:table-cell>"
                    )
                    parts.extend("<table:covered-table-cell/>" for _ in range(cell.cols - 1))
                    used += cell.cols
                else:
                    parts.append(
                        '<table:table-cell office:value-type="string">'
                        f"{_odt_paragraphs(cell or '')}</table:table-cell>"
                    )
                    used += 1
            parts.extend(
                '<table:table-cell office:value-type="string"><text:p/></table:table-cell>'
                for _ in range(cols - used)
            )
            parts.append("</table:table-row>")
        parts.append("</table:table>")
        self._body.append("".join(parts))

    def save(self, path: Path) -> Path:
        content = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f"<office:document-content {_ODT_NS}>{_ODT_STYLES}"
            f"<office:body><office:text>{''.join(self._body)}</office:text></office:body>"
            "</office:document-content>"
        )
        manifest = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
            ' manifest:version="1.3">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"
        )
        with zipfile.ZipFile(path, "w") as archive:
            # The mimetype entry comes first and uncompressed, as the format requires.
            archive.writestr(
                zipfile.ZipInfo("mimetype"),
                "application/vnd.oasis.opendocument.text",
                compress_type=zipfile.ZIP_STORED,
            )
            archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
            archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        return path


def _odt_paragraphs(text: str) -> str:
    return "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))


# --- Text exports --------------------------------------------------------------------


def tab_table(rows: Sequence[Sequence[str]]) -> str:
    """Cells between tabs, a row a line (a table copied out of Word)."""
    return "\n".join("\t".join(row) for row in rows)


def pipe_table(rows: Sequence[Sequence[str]], *, leading: bool = True) -> str:
    """Cells between «|», with or without the «|» at both ends of a row."""
    if leading:
        return "\n".join("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(" | ".join(row) for row in rows)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table: header, the «|---|» rule, then the rows."""
    rule = "|" + "|".join("---" for _ in rows[0]) + "|"
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join([lines[0], rule, *lines[1:]])


def cell_lines(rows: Sequence[Sequence[str]]) -> str:
    """Each cell on its own line(s) with «|» after its last line, as legal-act sites
    export tables; a cell's paragraphs («\\n») stay on lines of their own."""
    return "\n".join(f"{cell} |" for row in rows for cell in row)


def write_text(path: Path, text: str, *, encoding: str = "utf-8", newline: str = "\n") -> Path:
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path
