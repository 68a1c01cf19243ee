"""Legacy .doc and .rtf through a real LibreOffice (issue 12): a .doc that LibreOffice
itself wrote from a Word plan, and an RTF plan written by hand, read as their .docx would
be. Skipped only where `soffice` (or `libreoffice`) is not installed; the stand-in and
the refusal without LibreOffice are tested in test_import_layouts.py."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models.importing import preview_plan
from tests.support.office_docs import write_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")

TODAY = date(2026, 12, 3)
FRONT = [
    "УТВЕРЖДЁН",
    "распоряжением Администрации Смоленской области",
    "от 12 марта 2026 г. № 214-р/адм",
    "ПЛАН",
    "мероприятий по подготовке и проведению Дня города",
]
ROWS = [
    ["№ п/п", "Наименование мероприятия", "Срок", "", "Ответственные"],
    ["", "", "начала", "окончания", ""],
    ["1. Организационные мероприятия", "", "", "", ""],
    ["1.1", "Заседание оргкомитета", "март", "", "Администрация города Смоленска"],
    ["1.2", "Праздничный концерт", "май", "июнь",
     "Управление культуры Администрации города Смоленска (по согласованию)"],
]  # fmt: skip


def _reading(path: Path) -> dict[str, Any]:
    data = preview_plan(path, today=TODAY).to_json()
    data.pop("source_name")
    return data


def test_a_doc_written_by_libreoffice_reads_as_the_docx_it_came_from(tmp_path: Path) -> None:
    docx = write_docx(
        tmp_path / "plan.docx",
        front=FRONT,
        rows=ROWS,
        across=((0, 2, 3), (2, 0, 4)),
        down=((0, 1, 0), (0, 1, 1), (0, 1, 4)),
        # Word always ends a document with a paragraph; LibreOffice drops a table that
        # ends one when it writes .doc.
        after=["Начальник управления культуры И.И. Иванов"],
    )
    out = tmp_path / "out"
    assert SOFFICE is not None
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", "--convert-to", "doc", "--outdir", str(out),
         str(docx)],
        check=True,
        capture_output=True,
        timeout=120,
        env={"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin:/usr/local/bin"},
    )  # fmt: skip
    doc = out / "plan.doc"
    assert doc.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"  # a real Word 97 file
    expected = _reading(docx)
    assert expected["period"]["source"] == "approval"
    assert [(i["number"], i["deadline"]) for i in expected["items"]] == [
        ("1.1", "март"),
        ("1.2", "май – июнь"),
    ]
    assert _reading(doc) == expected


def _rtf_text(text: str) -> str:
    return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?"
                   for c in text)  # fmt: skip


def test_an_rtf_plan_is_converted_and_read(tmp_path: Path) -> None:
    """RTF as a legal-act system saves it: paragraphs, then a table of plain rows."""
    edges = "\\cellx800\\cellx5000\\cellx7000\\cellx9500"
    rows = [
        ["№ п/п", "Наименование мероприятия", "Срок исполнения", "Ответственный исполнитель"],
        ["1.", "Конкурс чтецов", "до 15 марта 2026 г.", "Отдел образования"],
        ["2.", "Выставка", "II квартал 2026 г.", "МБУК «ЦБС»"],
    ]
    body = "".join(
        f"\\trowd{edges}" + "".join(f"\\pard\\intbl {_rtf_text(c)}\\cell " for c in row) + "\\row "
        for row in rows
    )
    title = _rtf_text("План мероприятий отдела культуры на 2026 год")
    rtf = tmp_path / "plan.rtf"
    rtf.write_text(
        "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Times New Roman;}}"
        f"\\pard {title}\\par {body}\\pard\\par}}",
        encoding="ascii",
    )
    data = _reading(rtf)
    assert data["title"] == "План мероприятий отдела культуры на 2026 год"
    assert [(i["number"], i["title"], i["windows"], [b["name"] for b in i["bodies"]])
            for i in data["items"]] == [
        ("1", "Конкурс чтецов", [["2026-01-01", "2026-03-15"]], ["Отдел образования"]),
        ("2", "Выставка", [["2026-04-01", "2026-06-30"]], ["МБУК «ЦБС»"]),
    ]  # fmt: skip
