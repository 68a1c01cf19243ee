"""All or nothing: every bad file gets one clear error and leaves the database as it was.

The database already holds the roadmap; each case compares a dump of every table
before and after the failed import, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from models.importing import ImportFormatError, import_plan
from tests.support.samples import EVENTS_SAMPLE, ROADMAP_SAMPLE
from tests.support.tables import dump

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)
ROADMAP_TEXT = ROADMAP_SAMPLE.read_text(encoding="utf-8")


def _docx_without_plan() -> bytes:
    document = Document()
    document.add_paragraph("Протокол совещания. Присутствовали: все.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_not_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a word document")
    return buffer.getvalue()


def _broken_utf8() -> bytes:
    raw = ROADMAP_TEXT.encode("utf-8")
    cut = raw.index("Срок".encode()) + 1  # inside the two bytes of «С»
    return raw[:cut] + b"\xff" + raw[cut + 1 :]


# name -> (file name, content, the words the error must contain, the line it must name)
CASES: dict[str, tuple[str, Callable[[], bytes], str, int | None]] = {
    "empty": ("empty.txt", lambda: b"", "файл пуст", None),
    "blank": ("blank.txt", lambda: b"  \r\n\n\t\n", "файл пуст", None),
    "binary": ("image.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "двоичный", None),
    "old-word": ("plan.doc", lambda: b"\xd0\xcf\x11\xe0" + b"\x00" * 600, ".doc", None),
    "zip-not-docx": ("plan.docx", _zip_not_docx, "не документ Word", None),
    "broken-docx": ("plan.docx", lambda: b"PK\x03\x04" + b"\x00garbage" * 50, "архив", None),
    "docx-without-plan": ("minutes.docx", _docx_without_plan, "формат не распознан", None),
    "title-only": (
        "cut.txt",
        lambda: "\n".join(ROADMAP_TEXT.split("\n")[:9]).encode(),
        "не распознан",
        None,
    ),
    "cut-after-section": (
        "cut.txt",
        lambda: "\n".join(ROADMAP_TEXT.split("\n")[:13]).encode(),
        "не распознан",
        None,
    ),
    "deadline-without-item": (
        "cut.txt",
        lambda: ("\n".join(ROADMAP_TEXT.split("\n")[:13]) + "\n\nСрок: 2026 год.\n").encode(),
        "ни одного пункта",
        None,
    ),
    "koi8r": ("koi8.txt", lambda: ROADMAP_TEXT.encode("koi8_r", "replace"), "кодировка", None),
    "broken-utf8": ("broken.txt", _broken_utf8, "UTF-8", 16),
    "prose": (
        "letter.txt",
        lambda: ("Уважаемые коллеги! " * 40).encode("utf-8"),
        "не распознан",
        None,
    ),
    "events-header-only": (
        "events.txt",
        lambda: "\n".join(EVENTS_SAMPLE.read_text(encoding="utf-8").split("\n")[:15]).encode(),
        "нет ни одного пункта",
        4,
    ),
    "duplicate-number": (
        "dup.txt",
        lambda: ROADMAP_TEXT.replace("1.2. Оказание", "1.1. Оказание").encode(),
        "1.1 встречается дважды",
        31,
    ),
}


@pytest.fixture
def seeded(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_factory.begin() as session:
        import_plan(session, path=ROADMAP_SAMPLE, now=NOW)
    return session_factory


def test_bad_files_change_nothing(
    seeded: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    """Every case in one database (a PostgreSQL schema costs more than a case)."""
    before = dump(engine)
    for case, (name, content, words, line) in CASES.items():
        path = tmp_path / case / name
        path.parent.mkdir()
        path.write_bytes(content())
        with pytest.raises(ImportFormatError) as caught, seeded.begin() as session:
            import_plan(session, path=path, now=LATER)
        message = str(caught.value)
        assert words in message, case
        assert message.startswith(f"{name}: "), case
        assert caught.value.line == line, case
        assert dump(engine) == before, case


def test_a_bad_second_file_undoes_the_first(
    seeded: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    """One transaction for all files of one call: the events plan is not left behind."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    before = dump(engine)
    with pytest.raises(ImportFormatError), seeded.begin() as session:
        import_plan(session, path=EVENTS_SAMPLE, now=LATER)
        import_plan(session, path=bad, now=LATER)
    assert dump(engine) == before


ASSIGNMENT_CASES = {
    "bad-yaml": ("sections: [unclosed", "YAML"),
    "no-such-section": ("sections:\n  В сфере космоса: [Роскосмос]\n", "нет раздела"),
    "no-such-item": ("items:\n  '99': [Министерство спорта Смоленской области]\n", "нет пункта 99"),
    "no-keys": ("owners: {}\n", "sections"),
    "bad-side": ("sections:\n  В сфере спорта: [{name: X, side: KZ}]\n", "RU или BY"),
    "empty": ("", "пуст"),
}


def test_bad_assignments_change_nothing(
    seeded: sessionmaker[Session], engine: Engine, tmp_path: Path
) -> None:
    before = dump(engine)
    for case, (content, words) in ASSIGNMENT_CASES.items():
        assignments = tmp_path / case / "who.yaml"
        assignments.parent.mkdir()
        assignments.write_text(content, encoding="utf-8")
        with pytest.raises(ImportFormatError) as caught, seeded.begin() as session:
            import_plan(session, path=EVENTS_SAMPLE, now=LATER, assignments=assignments)
        assert words in str(caught.value), case
        assert str(caught.value).startswith("who.yaml"), case
        assert dump(engine) == before, case
