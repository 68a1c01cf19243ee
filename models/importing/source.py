"""Reading a plan file: .docx, .xlsx, .odt or text, its encoding and line ends, told from
the content (the members of a zip archive, the magic bytes of .doc and .rtf)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from models.importing.errors import ImportFormatError
from models.importing.legacy import convert_legacy
from models.importing.limits import check_file_size, check_zip_document

_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LOWER_CYRILLIC = re.compile(r"[а-яё]")
# Lead bytes of two-byte UTF-8 Cyrillic (Р/С in cp1251 when misread).
_UTF8_CYRILLIC_PAIR = re.compile(rb"[\xd0\xd1][\x80-\xbf]")


@dataclass(frozen=True)
class Source:
    """A plan file's content: text lines, or the bytes of a Word document."""

    path: Path
    raw: bytes
    #: docx | xlsx | odt | text
    format: str
    lines: tuple[str, ...] = ()
    #: The .docx LibreOffice made of a .doc or .rtf file (`raw` stays the file's bytes).
    converted: bytes | None = None

    @property
    def data(self) -> bytes:
        """The bytes a reader reads: the conversion if there is one, else the file."""
        return self.converted if self.converted is not None else self.raw

    @property
    def is_docx(self) -> bool:
        return self.format == "docx"


def read_source(path: Path) -> Source:
    """The file at `path`, decoded; raises ImportFormatError for what cannot be a plan."""
    raw = read_bytes(path)
    if not raw.strip():
        raise ImportFormatError(path, None, "файл пуст")
    if raw.startswith(b"PK\x03\x04"):
        _check_archive(path, raw)
        return Source(path=path, raw=raw, format=_archive_format(path, raw))
    if raw.startswith(b"\xd0\xcf\x11\xe0") or raw.lstrip()[:5] == b"{\\rtf":
        converted = convert_legacy(path, raw)
        _check_archive(path, converted)
        fmt = _archive_format(path, converted)
        return Source(path=path, raw=raw, format=fmt, converted=converted)
    text = decode(path, raw)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return Source(path=path, raw=raw, format="text", lines=tuple(lines))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing or unreadable file is an ImportFormatError in Russian."""
    if not path.exists():
        raise ImportFormatError(path, None, "файл не найден")
    if path.is_dir():
        raise ImportFormatError(path, None, "это каталог, а не файл")
    try:
        check_file_size(path, path.stat().st_size)
        return path.read_bytes()
    except PermissionError as exc:
        raise ImportFormatError(path, None, "нет прав на чтение файла") from exc
    except OSError as exc:
        raise ImportFormatError(path, None, "файл не читается") from exc


def _check_archive(path: Path, raw: bytes) -> None:
    """The limits (members, sizes, zip bombs) before anything lists or parses the archive."""
    try:
        check_zip_document(path, raw)
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise ImportFormatError(path, None, "повреждённый архив .docx") from exc


def _archive_format(path: Path, raw: bytes) -> str:
    """docx, xlsx or odt by the archive's members, whatever the file's extension."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            names = set(archive.namelist())
            mimetype = b""
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(80)  # a few bytes, however large it claims to be
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError) as exc:
        raise ImportFormatError(path, None, "повреждённый архив .docx") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names and b"opendocument.text" in mimetype:
        return "odt"
    raise ImportFormatError(
        path, None, "архив, но не документ Word (.docx), Excel (.xlsx) или OpenDocument (.odt)"
    )


def decode(path: Path, raw: bytes) -> str:
    """Text in UTF-8 (with or without BOM), UTF-16 with BOM or Windows-1251."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, raw, "utf-16")
    if b"\x00" in raw[:8192]:
        raise ImportFormatError(path, None, "двоичный файл, а не текст или .docx")
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(path, raw[3:], "utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(_UTF8_CYRILLIC_PAIR.findall(raw[: exc.start])) > 3:
            # Mostly UTF-8 with a broken byte: not Windows-1251, the file is damaged.
            line = raw[: exc.start].count(b"\n") + 1
            raise ImportFormatError(path, line, "испорченный текст в кодировке UTF-8") from exc
    text = _strict(path, raw, "cp1251")
    if not _plausible_russian(text):
        raise ImportFormatError(
            path, None, "неизвестная кодировка: ожидается UTF-8 или Windows-1251"
        )
    return text


def _strict(path: Path, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFormatError(path, line, f"текст не в кодировке {encoding.upper()}") from exc


def _plausible_russian(text: str) -> bool:
    """Windows-1251 decodes any bytes; real Russian text is mostly lower-case Cyrillic
    (KOI8-R read as 1251 comes out mostly upper case, binary junk mostly not letters)."""
    cyrillic = len(_CYRILLIC.findall(text))
    if cyrillic < 20:
        return False
    letters = sum(1 for c in text if c.isalpha())
    lower = len(_LOWER_CYRILLIC.findall(text))
    return lower / cyrillic > 0.6 and cyrillic / max(letters, 1) > 0.5
