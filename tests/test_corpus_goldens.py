"""The corpus itself: every document builds and opens in its own format, and every golden
is well formed and uses deadline phrases the engine already reads as the golden says.

This runs without the preview (tests/test_import_corpus.py judges the importer); it keeps
the goldens honest about the deadline engine, which this corpus does not judge.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from docx import Document

from scheduler.rules.deadlines import parse_deadline
from tests.support.corpus.documents import DOCUMENTS, Build

ROLES = {"lead", "co"}
SIDES = {"RU", "BY"}
SOURCES = {"option", "title", "approval", "deadlines", "import_date"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def test_the_corpus_is_large_enough() -> None:
    assert len(DOCUMENTS) >= 24
    assert len({build.__name__ for build in DOCUMENTS}) == len(DOCUMENTS)


@pytest.mark.parametrize("build", DOCUMENTS, ids=lambda build: build.__name__)
def test_document_opens_and_golden_is_sound(build: Build, tmp_path: Path) -> None:
    path, golden = build(tmp_path)
    _opens(path)
    assert 3 <= len(golden["items"]) <= 12
    period = golden["period"]
    assert period["source"] in SOURCES
    assert _DATE.match(period["start"]) and _DATE.match(period["end"])
    assert period["start"] <= period["end"]
    numbers = [entry["number"] for entry in golden["items"]]
    assert len(set(numbers)) == len(numbers)
    sections = {s["title"] for s in golden["sections"]}
    reference = date.fromisoformat(period["start"])
    plan_period = (reference, date.fromisoformat(period["end"]))
    for entry in golden["items"]:
        assert not entry["number"].endswith((".", ")"))
        assert entry["section"] is None or entry["section"] in sections
        for body in entry["bodies"]:
            assert body["side"] in SIDES and body["role"] in ROLES
            assert body["name"] == body["name"].strip(" ,;.")
            assert "согласовани" not in body["name"]
        deadline = entry["deadline"]
        phrase = deadline if isinstance(deadline, str) else " – ".join(deadline)
        parsed = parse_deadline(phrase, reference=reference, period=plan_period)
        assert [[s.isoformat(), e.isoformat()] for s, e in parsed.windows] == entry["windows"], (
            entry["number"],
            phrase,
        )
        assert parsed.recurrence == entry["recurrence"], phrase
        assert parsed.tentative == entry["tentative"], phrase
        assert parsed.undated == entry["undated"], phrase


def _opens(path: Path) -> None:
    suffix = path.suffix
    if suffix == ".docx":
        assert Document(str(path)).paragraphs is not None
    elif suffix == ".xlsx":
        assert openpyxl.load_workbook(path).sheetnames
    elif suffix == ".odt":
        with zipfile.ZipFile(path) as archive:
            assert archive.namelist()[0] == "mimetype"
            assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
            content = ElementTree.fromstring(archive.read("content.xml"))
            assert content.tag.endswith("document-content")
    else:
        assert path.read_bytes().strip()
