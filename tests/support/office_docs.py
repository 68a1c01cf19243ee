"""Plan documents in the layouts real plans use, built in code: Word, Excel, OpenDocument.

Each builder takes the parts of a document (stamp and title paragraphs, table rows) so
a test says what it is about; merged cells are given as (row, first column, last column)
for horizontal merges and (first row, last row, column) for vertical ones.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from openpyxl import Workbook

Table = list[list[str]]


def write_docx(
    path: Path,
    *,
    front: list[str],
    rows: Table,
    across: tuple[tuple[int, int, int], ...] = (),
    down: tuple[tuple[int, int, int], ...] = (),
    after: list[str] = (),  # type: ignore[assignment]
) -> Path:
    """A Word document: `front` paragraphs (a stamp right-aligned), then a table."""
    document = Document()
    for text in front:
        paragraph = document.add_paragraph(text)
        if text.lower().startswith(("утвержд", "приложение", "к ", "от ", "протокол")):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    # Row by row: `table.cell(r, c)` lays out the whole grid on every call.
    for table_row, row in zip(table.rows, rows, strict=True):
        cells = table_row.cells
        for c, text in enumerate(row):
            cell = cells[c]
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for r, first, last in across:
        merged = table.cell(r, first).merge(table.cell(r, last))
        merged.text = rows[r][first]
    for first, last, c in down:
        merged = table.cell(first, c).merge(table.cell(last, c))
        merged.text = rows[first][c]
    for text in after:
        document.add_paragraph(text)
    document.save(path)
    return path


def write_xlsx(
    path: Path,
    sheets: dict[str, tuple[Table, tuple[str, ...]]],
) -> Path:
    """A workbook: per sheet, rows (first row 1) and merged ranges such as «A1:E1»."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (rows, merges) in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append([value if value != "" else None for value in row])
        for merge in merges:
            sheet.merge_cells(merge)
    workbook.save(path)
    return path


_ODT_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
    "<office:body><office:text>"
)


def write_odt(
    path: Path,
    *,
    front: list[str],
    rows: Table,
    spans: dict[tuple[int, int], tuple[int, int]] | None = None,
) -> Path:
    """An OpenDocument text: paragraphs, then a table; `spans` maps (row, column) to
    (columns spanned, rows spanned); the cells a span hides are covered."""
    spans = spans or {}
    hidden: set[tuple[int, int]] = set()
    for (r, c), (cols, rws) in spans.items():
        hidden |= {(r + i, c + j) for i in range(rws) for j in range(cols)} - {(r, c)}
    body = "".join(f"<text:p>{escape(t)}</text:p>" for t in front)
    body += "<table:table>"
    for r, row in enumerate(rows):
        body += "<table:table-row>"
        for c, text in enumerate(row):
            if (r, c) in hidden:
                body += "<table:covered-table-cell/>"
                continue
            cols, rws = spans.get((r, c), (1, 1))
            attrs = f' table:number-columns-spanned="{cols}"' if cols > 1 else ""
            attrs += f' table:number-rows-spanned="{rws}"' if rws > 1 else ""
            paragraphs = "".join(f"<text:p>{escape(t)}</text:p>" for t in text.split("\n"))
            body += f"<table:table-cell{attrs}>{paragraphs}</table:table-cell>"
        body += "</table:table-row>"
    body += "</table:table></office:text></office:body></office:document-content>"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", _ODT_HEAD + body)
    return path
