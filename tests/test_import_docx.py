"""The .docx twins of the sample plans, built with python-docx, and what only Word has.

The builders are used by the golden tests too: a roadmap as paragraphs (line breaks
inside a paragraph, bold and headings as Word marks them), the events plan as a table
(section rows merged across the row, cells of several lines) and the roadmap laid out
as a table with a responsible column per side.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph
from sqlalchemy.orm import Session, sessionmaker

from models.importing import import_plan, read_document
from models.importing.source import read_source
from models.reports.catalog import list_items
from tests.support.samples import EVENTS_SAMPLE, ROADMAP_SAMPLE

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
_HEADING = re.compile(r"^(#{1,6})\s+")
_NUMBER_CELL = re.compile(r"^\d+\.\s*$")
_LIST_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)\.\s+(.*)$")
_LIST_ID = "90"


def _add_multilevel_list(document: DocumentType) -> None:
    """A «1.» / «1.1.» multilevel list in numbering.xml, as Word writes one."""
    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for level, text in ((0, "%1."), (1, "%1.%2."))
    )
    abstract = (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{_LIST_ID}">{levels}</w:abstractNum>'
    )
    numbering.insert(0, parse_xml(abstract))
    num = (
        f'<w:num {nsdecls("w")} w:numId="{_LIST_ID}"><w:abstractNumId w:val="{_LIST_ID}"/></w:num>'
    )
    numbering.append(parse_xml(num))


def _number(paragraph: Paragraph, *, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = int(_LIST_ID)


def roadmap_docx(target: Path, *, auto_numbers: bool = False) -> Path:
    """The roadmap sample as Word paragraphs: one paragraph per block, breaks inside.
    With `auto_numbers` sections and items are numbered by a Word multilevel list."""
    document = Document()
    if auto_numbers:
        _add_multilevel_list(document)
    for block in ROADMAP_SAMPLE.read_text(encoding="utf-8").split("\n\n"):
        lines = [line.rstrip() for line in block.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        heading = _HEADING.match(lines[0])
        if heading:
            paragraph = document.add_heading(level=min(len(heading.group(1)), 4))
            lines[0] = lines[0][heading.end() :]
        else:
            paragraph = document.add_paragraph()
        bold = lines[0].startswith("**")
        if auto_numbers and (numbered := _LIST_NUMBER.match(lines[0].replace("**", ""))):
            lines[0] = ("**" if bold else "") + numbered.group(2)
            _number(paragraph, level=numbered.group(1).count("."))
        for i, line in enumerate(lines):
            run = paragraph.add_run(line.replace("**", ""))
            run.bold = bold
            if i < len(lines) - 1:
                run.add_break()
    document.save(target)
    return target


def events_sample_cells() -> tuple[list[str], list[list[str]]]:
    """Header and rows of the events sample, told apart the simple way the sample allows."""
    cells: list[list[str]] = []
    lines = EVENTS_SAMPLE.read_text(encoding="utf-8").split("\n")
    title = []
    for line in lines:
        if line.startswith("\t"):
            cells.extend([part] for part in line.split("\t")[1:])
        elif cells:
            cells[-1].append(line)
        elif line.strip():
            title.append(line.strip())
    texts = ["\n".join(c).strip() for c in cells]
    rows: list[list[str]] = [texts[:7]]
    for text in texts[7:]:
        if text.startswith("В сфере") or _NUMBER_CELL.match(text):
            rows.append([text])
        else:
            rows[-1].append(text)
    return title, rows


def events_docx(target: Path, *, auto_numbers: bool = False) -> Path:
    """The events sample as a Word table; section rows are one cell merged across.
    With `auto_numbers` the № column is Word's list numbering, not typed digits."""
    title, rows = events_sample_cells()
    document = Document()
    for line in title:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=7)
    for row in rows:
        cells = table.add_row().cells
        if len(row) == 1 and not _NUMBER_CELL.match(row[0]):
            merged = cells[0].merge(cells[6])
            merged.text = row[0]
            continue
        for cell, text in zip(cells, row, strict=False):
            cell.text = "\n".join(line.strip() for line in text.split("\n") if line.strip())
        if auto_numbers and row is not rows[0]:
            cells[0].text = ""
            cells[0].paragraphs[0].style = "List Number"
    document.save(target)
    return target


def roadmap_table_docx(target: Path, items: list[dict]) -> Path:
    """The roadmap laid out as a table: №, title, deadline, then one column per side."""
    document = Document()
    document.add_paragraph("План мероприятий («Дорожная карта»)")
    document.add_paragraph(
        "по реализации Соглашения между Администрацией Смоленской области Российской Федерации "
        "и Могилевским областным исполнительным комитетом Республики Беларусь "
        "о торгово-экономическом, научно-техническом и культурном сотрудничестве "
        "от 8 декабря 2004 года на 2026 – 2028 годы"
    )
    table = document.add_table(rows=1, cols=5)
    header = (
        "№ п/п",
        "Наименование мероприятия",
        "Срок исполнения",
        "Ответственные от Смоленской области\n(Российская Федерация)",
        "Ответственные от Могилевской области\n(Республика Беларусь)",
    )
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    section = None
    for item in items:
        if item["section"] != section:
            section = item["section"]
            cells = table.add_row().cells
            cells[0].merge(cells[4]).text = f"{item['number'].split('.')[0]}. {section}"
        cells = table.add_row().cells
        ru = [a["name"] for a in item["agencies"] if a["side"] == "RU"]
        by = [a["name"] for a in item["agencies"] if a["side"] == "BY"]
        texts = (
            f"{item['number']}.",
            item["title"],
            item["deadline"],
            ",\n".join(ru),
            ",\n".join(by),
        )
        for cell, text in zip(cells, texts, strict=True):
            cell.text = text
    document.add_paragraph("Подписано в г. Минске 26 июня 2026 года в двух экземплярах.")
    document.save(target)
    return target


def test_docx_named_txt_is_read_as_word(tmp_path: Path) -> None:
    """The format comes from the content: a Word file with a .txt name is still Word."""
    path = roadmap_docx(tmp_path / "roadmap.txt")
    plan = read_document(read_source(path))
    assert [i.number for i in plan.items][:3] == ["1.1", "1.2", "1.3"]
    assert len(plan.items) == 12


def test_events_docx_keeps_multiline_cells_and_the_cut_off_item(tmp_path: Path) -> None:
    plan = read_document(read_source(events_docx(tmp_path / "events.docx")))
    by_number = {i.number: i for i in plan.items}
    assert by_number["11"].deadline == "21-22 марта, 28-29 марта 2026 года"
    assert by_number["47"].missing == ("place", "deadline", "description", "goal", "participants")
    assert by_number["38"].participants is not None
    assert "bookmark" not in by_number["38"].participants


def test_word_numbered_roadmap_reads_like_typed_numbers(tmp_path: Path) -> None:
    """Sections and items numbered by a Word list come out as «1.», «1.1.» again."""
    typed = read_document(read_source(roadmap_docx(tmp_path / "typed.docx")))
    drawn = read_document(read_source(roadmap_docx(tmp_path / "auto.docx", auto_numbers=True)))
    assert [(i.number, i.title, i.deadline) for i in drawn.items] == [
        (i.number, i.title, i.deadline) for i in typed.items
    ]
    assert [(s.number, s.title) for s in drawn.sections] == [
        (s.number, s.title) for s in typed.sections
    ]


def test_auto_numbered_rows_are_items(tmp_path: Path) -> None:
    """Word draws the «№» of each row from its list numbering: the rows are still items."""
    typed = read_document(read_source(events_docx(tmp_path / "typed.docx")))
    drawn = read_document(read_source(events_docx(tmp_path / "auto.docx", auto_numbers=True)))
    assert [(i.number, i.title) for i in drawn.items] == [(i.number, i.title) for i in typed.items]
    assert len(drawn.sections) == 10


def test_roadmap_table_twin_imports_like_the_text(
    sqlite_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    """A roadmap as a table: sides come from the column headers, items match the text."""
    with sqlite_factory.begin() as session:
        text_plan = import_plan(session, path=ROADMAP_SAMPLE, now=NOW).plan_id
        expected = list_items(session, plan_id=text_plan)
    path = roadmap_table_docx(tmp_path / "roadmap_table.docx", expected)
    with sqlite_factory.begin() as session:
        report = import_plan(session, path=path, now=NOW, source_name="table twin")
    # Same title: the table is taken for a revision of the same plan, and nothing changed
    # but the 6.2 sub-events, which the table does not carry.
    assert report.plan_id == text_plan
    assert report.created == [] and report.withdrawn == []
    assert report.updated == ["6.2"]
    with sqlite_factory() as session:
        got = list_items(session, plan_id=text_plan)
    keys = ("number", "section", "title", "deadline", "windows", "agencies")
    assert [{k: i[k] for k in keys} for i in got] == [{k: i[k] for k in keys} for i in expected]
