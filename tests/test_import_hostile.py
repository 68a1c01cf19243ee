"""Hostile files are refused fast, in one line, and the database is left as it was: zip
bombs in a .docx, XML that balloons when parsed, YAML whose aliases expand to billions."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from bot.cli import main
from models.db import make_engine
from models.importing.errors import ImportFormatError
from models.importing.limits import Limits, check_zip_document, load_yaml
from tests.support.samples import EVENTS_ASSIGNMENTS, EVENTS_SAMPLE, ROADMAP_SAMPLE
from tests.support.tables import dump

BODY_START = b'<w:body xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
#: Well under the 1-3 GB and endless minutes these files cost before.
SECONDS = 2.0


def _docx_with_body(target: Path, write_body: Callable[[Callable[[bytes], object]], None]) -> Path:
    """A real .docx (python-docx's own template) whose document.xml body is replaced by
    what `write_body` streams, compressed as Word compresses."""
    plain = io.BytesIO()
    Document().save(plain)
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
                member.write(
                    b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                    b'wordprocessingml/2006/main"><w:body>'
                )
                write_body(member.write)
                member.write(b"</w:body></w:document>")
    return target


def _repeat(piece: bytes, times: int) -> Callable[[Callable[[bytes], object]], None]:
    def write(put: Callable[[bytes], object]) -> None:
        block = piece * 100_000
        for _ in range(times // 100_000):
            put(block)

    return write


def empty_paragraphs(tmp_path: Path) -> Path:
    """Five million empty paragraphs: 30 MB of XML in a file of a few dozen KB."""
    return _docx_with_body(tmp_path / "paragraphs.docx", _repeat(b"<w:p/>", 5_000_000))


def huge_comment(tmp_path: Path) -> Path:
    """An XML comment of 64 MB inside the body."""

    def write(put: Callable[[bytes], object]) -> None:
        put(b"<!--")
        block = b"A" * 1_000_000
        for _ in range(64):
            put(block)
        put(b"-->")

    return _docx_with_body(tmp_path / "comment.docx", write)


def many_incompressible_paragraphs(tmp_path: Path) -> Path:
    """300,000 paragraphs of random digits: no zip bomb (it packs 2-3x), still too many."""

    def write(put: Callable[[bytes], object]) -> None:
        for _ in range(30):
            digits = os.urandom(80_000).hex().encode()
            put(
                b"".join(
                    b"<w:p><w:r><w:t>" + digits[i : i + 16] + b"</w:t></w:r></w:p>"
                    for i in range(0, 160_000, 16)
                )
            )

    return _docx_with_body(tmp_path / "many.docx", write)


def deep_nesting(tmp_path: Path) -> Path:
    """Elements nested 20,000 deep, no zip bomb (lxml refuses past 256 levels)."""

    def write(put: Callable[[bytes], object]) -> None:
        put(b"<w:p>" + b"<w:r>" * 20_000 + b"</w:r>" * 20_000 + b"</w:p>")

    return _docx_with_body(tmp_path / "deep.docx", write)


def many_members(tmp_path: Path) -> Path:
    """An archive of 5,000 empty members besides the document."""
    target = tmp_path / "members.docx"
    _docx_with_body(target, _repeat(b"<w:p/>", 0))
    with zipfile.ZipFile(target, "a") as out:
        for n in range(5000):
            out.writestr(f"customXml/item{n}.bin", b"")
    return target


def misnamed_part(tmp_path: Path) -> Path:
    """300,000 paragraphs in a part whose name does not end in .xml (readers go by the
    content types, not the name)."""
    target = tmp_path / "misnamed.docx"
    _docx_with_body(target, _repeat(b"<w:p/>", 0))
    digits = os.urandom(2_400_000).hex().encode()
    body = b"".join(
        b"<w:p><w:t>" + digits[i : i + 16] + b"</w:t></w:p>" for i in range(0, len(digits), 16)
    )
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr("word/document2.bin", b"<?xml version='1.0'?><w:body>" + body + b"</w:body>")
    return target


def bad_crc(tmp_path: Path) -> Path:
    """A member whose bytes do not match its checksum."""
    target = _docx_with_body(tmp_path / "crc.docx", _repeat(b"<w:p/>", 100_000))
    raw = bytearray(target.read_bytes())
    at = raw.find(b"word/document.xml") + len(b"word/document.xml") + 40
    raw[at] ^= 0xFF
    target.write_bytes(bytes(raw))
    return target


HOSTILE_DOCX = [
    pytest.param(empty_paragraphs, "сжата более чем в", id="empty-paragraphs"),
    pytest.param(huge_comment, "сжата более чем в", id="huge-comment"),
    pytest.param(many_incompressible_paragraphs, "абзацев", id="many-paragraphs"),
    pytest.param(deep_nesting, "повреждённый документ", id="deep-nesting"),
    pytest.param(many_members, "частей", id="many-members"),
    pytest.param(misnamed_part, "абзацев", id="misnamed-part"),
    pytest.param(bad_crc, "повреждённ", id="bad-crc"),
]


def billion_laughs(tmp_path: Path) -> Path:
    """The classic: nine levels of ten aliases each, 10^9 strings from 1 KB."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{','.join(['*' + previous] * 9)}]")
    lines.append("sections:\n  Культура: *i")
    target = tmp_path / "laughs.yaml"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert target.stat().st_size < 1200
    return target


def nested_yaml(tmp_path: Path) -> Path:
    target = tmp_path / "nested.yaml"
    target.write_text("sections: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return target


@pytest.fixture
def srok(migrated_sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    monkeypatch.setenv("DATABASE_URL", migrated_sqlite_url)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def _refused(srok: CliRunner, url: str, args: list[str]) -> str:
    engine = make_engine(url)
    before = dump(engine)
    started = time.monotonic()
    result = srok.invoke(main, ["import", *args])
    took = time.monotonic() - started
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("srok: "), result.stderr
    assert took < SECONDS, f"{took:.2f} s"
    assert dump(engine) == before  # nothing written
    engine.dispose()
    return lines[0]


@pytest.mark.parametrize(("build", "needle"), HOSTILE_DOCX)
def test_a_hostile_docx_is_refused_fast_in_one_line(
    srok: CliRunner, migrated_sqlite_url: str, tmp_path: Path, build, needle: str
) -> None:
    assert srok.invoke(main, ["import", str(ROADMAP_SAMPLE)]).exit_code == 0  # data to keep
    hostile = build(tmp_path)
    line = _refused(srok, migrated_sqlite_url, [str(hostile)])
    assert hostile.name in line and needle in line


@pytest.mark.parametrize("build", [billion_laughs, nested_yaml])
def test_hostile_yaml_assignments_are_refused_fast_in_one_line(
    srok: CliRunner, migrated_sqlite_url: str, tmp_path: Path, build
) -> None:
    hostile = build(tmp_path)
    line = _refused(srok, migrated_sqlite_url, [str(EVENTS_SAMPLE), "--assignments", str(hostile)])
    assert hostile.name in line and "YAML" in line


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    from models.importing.source import read_source

    huge = tmp_path / "plan.txt"
    with huge.open("wb") as out:
        out.truncate(60 * 1024 * 1024)  # sparse: 60 MB on paper, nothing on disk
    started = time.monotonic()
    with pytest.raises(ImportFormatError, match="больше 50 МБ"):
        read_source(huge)
    assert time.monotonic() - started < 0.5


def test_real_documents_pass_the_limits(tmp_path: Path) -> None:
    from tests.test_import_docx import events_docx, roadmap_docx

    for path in (roadmap_docx(tmp_path / "r.docx"), events_docx(tmp_path / "e.docx")):
        check_zip_document(path, path.read_bytes())
    assert load_yaml(EVENTS_ASSIGNMENTS, EVENTS_ASSIGNMENTS.read_text(encoding="utf-8"))


def test_the_limits_are_parameters(tmp_path: Path) -> None:
    """Each limit is a field: one paragraph over it is refused, at it is not."""
    path = _docx_with_body(tmp_path / "ten.docx", lambda put: put(b"<w:p/>" * 10))
    raw = path.read_bytes()
    check_zip_document(path, raw, Limits(paragraphs=10))
    with pytest.raises(ImportFormatError, match="больше 9 абзацев"):
        check_zip_document(path, raw, Limits(paragraphs=9))
    with pytest.raises(ImportFormatError, match="якоря"):
        load_yaml(path, "a: &x 1\nb: 2\n")
    # The mapping, its list, the inner list, the number: four levels.
    assert load_yaml(path, "a: [[1]]\n", Limits(yaml_depth=4)) == {"a": [[1]]}
    with pytest.raises(ImportFormatError, match="вложенность"):
        load_yaml(path, "a: [[1]]\n", Limits(yaml_depth=3))
