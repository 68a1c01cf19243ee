"""Legacy Word files (.doc) and RTF: converted to .docx through LibreOffice when it is
installed (`soffice --headless --convert-to docx`), else refused with one line saying
how to save the file as .docx."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from models.importing.errors import ImportFormatError

#: Seconds LibreOffice may take for one document.
TIMEOUT = 120


def legacy_kind(raw: bytes) -> str:
    """«.doc» for an OLE compound file, «.rtf» for RTF."""
    return ".rtf" if raw.lstrip()[:5] == b"{\\rtf" else ".doc"


def convert_legacy(path: Path, raw: bytes) -> bytes:
    """The .docx bytes LibreOffice makes of `raw`; ImportFormatError when it cannot."""
    kind = legacy_kind(raw)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ImportFormatError(
            path,
            None,
            f"формат {kind} читается только через LibreOffice, а он не установлен: откройте файл "
            "в Word или LibreOffice и сохраните как .docx («Сохранить как» → «Документ Word»)",
        )
    with tempfile.TemporaryDirectory(prefix="srok-convert-") as folder:
        work = Path(folder)
        source = work / f"plan{kind}"
        source.write_bytes(raw)
        command = [soffice, "--headless", "--norestore", "--convert-to", "docx", "--outdir"]
        try:
            subprocess.run(
                [*command, str(work), str(source)],
                check=True,
                capture_output=True,
                timeout=TIMEOUT,
                env={"HOME": folder, "PATH": "/usr/bin:/bin:/usr/local/bin"},
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise ImportFormatError(
                path,
                None,
                f"LibreOffice не смог преобразовать файл {kind}: сохраните его как .docx",
            ) from exc
        target = work / "plan.docx"
        if not target.exists():
            raise ImportFormatError(
                path,
                None,
                f"LibreOffice не смог преобразовать файл {kind}: сохраните его как .docx",
            )
        return target.read_bytes()
