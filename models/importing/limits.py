"""Limits that refuse hostile files before a parser sees them, fast and in one line.

A 27 KB .docx can hold 30 MB of XML (millions of empty paragraphs), a .docx an XML
comment of gigabytes, a 1 KB YAML file a billion list items through nested aliases:
each used to run an import for minutes and take gigabytes. Here a zip-based document
(.docx now; .xlsx and .odt are zip archives too) is checked on its central directory
(member count, declared sizes, compression ratio) and its XML members are counted on
the bytes, streamed with a cap (elements, paragraphs), before python-docx or any other
reader parses them. YAML is read without aliases and with bounded nesting. Files sent to
the bot go through the same readers, so the same limits hold there.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from models.importing.errors import ImportFormatError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What a plan file may hold; the defaults are many times what real plans need."""

    #: Any plan file on disk (text or archive).
    file_bytes: int = 50 * MB
    #: Members of one archive (a .docx has a few dozen).
    members: int = 2000
    #: All members uncompressed, and one XML member uncompressed.
    total_bytes: int = 200 * MB
    xml_bytes: int = 50 * MB
    #: Uncompressed / compressed for a member larger than `ratio_from` (XML packs 5-30x).
    ratio: int = 200
    ratio_from: int = 1 * MB
    #: XML elements in one member, and paragraphs (w:p, text:p, …) in the document.
    elements: int = 2_000_000
    paragraphs: int = 200_000
    #: An assignments file (a few KB in practice), and how deep its YAML may nest.
    yaml_bytes: int = 2 * MB
    yaml_depth: int = 50


LIMITS = Limits()

#: How a paragraph starts in WordprocessingML, OpenDocument and SpreadsheetML cells.
_PARAGRAPH_STARTS = (b"<w:p>", b"<w:p ", b"<w:p/>", b"<text:p>", b"<text:p ", b"<text:p/>")
_CHUNK = 1 * MB


def _too_big(path: Path, what: str) -> ImportFormatError:
    return ImportFormatError(path, None, f"файл отклонён: {what}")


def check_file_size(path: Path, size: int, limits: Limits = LIMITS) -> None:
    """A plan or assignments file larger than any real one is refused before it is read."""
    if size > limits.file_bytes:
        raise _too_big(path, f"больше {limits.file_bytes // MB} МБ")


def _declared_members(raw: bytes) -> int | None:
    """The member count in the end-of-central-directory record, read before zipfile
    builds its list (which for a million members would itself take seconds)."""
    end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - 65_557))
    if end < 0 or end + 22 > len(raw):
        return None
    (total,) = struct.unpack_from("<H", raw, end + 10)
    return int(total)


def check_zip_document(path: Path, raw: bytes, limits: Limits = LIMITS) -> None:
    """Refuse an archive-based document (.docx, .xlsx, .odt) whose content would balloon
    when parsed; raises ImportFormatError with one line. A damaged archive is left to the
    caller (zipfile.BadZipFile)."""
    declared = _declared_members(raw)
    if declared is not None and declared > limits.members:
        raise _too_big(path, f"в архиве больше {limits.members} частей")
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:  # BytesIO shares `raw`, no copy
        members = archive.infolist()
        if len(members) > limits.members:
            raise _too_big(path, f"в архиве больше {limits.members} частей")
        total = 0
        for info in members:
            total += info.file_size
            if total > limits.total_bytes:
                raise _too_big(path, f"распакованный архив больше {limits.total_bytes // MB} МБ")
            if info.file_size > limits.ratio_from and info.file_size > limits.ratio * max(
                info.compress_size, 1
            ):
                raise _too_big(
                    path, f"часть {info.filename} сжата более чем в {limits.ratio} раз (zip-бомба)"
                )
        paragraphs = 0
        try:
            for info in members:
                paragraphs += _count_xml(path, archive, info, limits, paragraphs)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise ImportFormatError(path, None, "повреждённый архив") from exc


def _count_xml(
    path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, before: int
) -> int:
    """Stream one member with a cap, counting elements and paragraphs on the bytes when it
    is XML (by its first bytes: a reader may take any part for XML, whatever its name);
    the paragraphs it holds."""
    elements = paragraphs = read = 0
    tail = b""
    with archive.open(info) as member:
        chunk = member.read(64)
        if chunk.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")[:1] != b"<":
            return 0  # an image, a font: only its size and ratio matter
        if info.file_size > limits.xml_bytes:
            raise _too_big(path, f"часть {info.filename} больше {limits.xml_bytes // MB} МБ")
        while chunk:
            read += len(chunk)
            if read > limits.xml_bytes:  # a member whose header understates its size
                raise _too_big(path, f"часть {info.filename} больше {limits.xml_bytes // MB} МБ")
            data = tail + chunk
            elements += _starts(data) - _starts(tail)
            paragraphs += sum(data.count(p) - tail.count(p) for p in _PARAGRAPH_STARTS)
            if elements > limits.elements:
                raise _too_big(path, f"в части {info.filename} больше {limits.elements} элементов")
            if before + paragraphs > limits.paragraphs:
                raise _too_big(path, f"больше {limits.paragraphs} абзацев")
            tail = data[-16:]
            chunk = member.read(_CHUNK)
    return paragraphs


def _starts(data: bytes) -> int:
    """Element starts: every «<» but those of end tags, declarations and comments."""
    return data.count(b"<") - data.count(b"</") - data.count(b"<?") - data.count(b"<!")


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses anchors and aliases and deep nesting: an
    assignments file needs neither, and aliases are how a 1 KB file expands to billions."""

    depth = 0
    max_depth = LIMITS.yaml_depth

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("ссылки YAML (*имя) не допускаются", event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Refused("якоря YAML (&имя) не допускаются", event.start_mark)
        self.depth += 1
        if self.depth > self.max_depth:
            raise _Refused(f"вложенность YAML глубже {self.max_depth}", event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _Refused(Exception):
    def __init__(self, why: str, mark: Any) -> None:
        super().__init__(why)
        self.why = why
        self.line = mark.line + 1 if mark is not None else None


def load_yaml(path: Path, text: str, limits: Limits = LIMITS) -> Any:
    """YAML without anchors, aliases or deep nesting; ImportFormatError for those, and for
    a file larger than an assignments file can need. Syntax errors are yaml.YAMLError."""
    if len(text) > limits.yaml_bytes:
        raise _too_big(path, f"файл назначений больше {limits.yaml_bytes // MB} МБ")
    loader = _NoAliasLoader(text)
    loader.max_depth = limits.yaml_depth
    try:
        return loader.get_single_data()
    except _Refused as refused:
        raise ImportFormatError(path, refused.line, refused.why) from None
    finally:
        loader.dispose()
