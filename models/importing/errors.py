"""The one error an import raises: what is wrong with which file, and where."""

from __future__ import annotations

from pathlib import Path

#: Why a file that is neither a roadmap nor a plan table is refused.
UNRECOGNISED = (
    "формат не распознан: нужна таблица плана (колонки вроде «Наименование мероприятия», "
    "«Срок», «Ответственные») или пункты с номерами и строками «Срок:»"
)


class ImportFormatError(Exception):
    """A plan file that cannot be imported; the caller rolls the whole import back."""

    def __init__(self, path: Path | str, line: int | None, why: str) -> None:
        self.path = Path(path)
        self.line = line
        self.why = why
        where = f"{self.path.name}: строка {line}" if line else self.path.name
        super().__init__(f"{where}: {why}")


class EmptyTableError(ImportFormatError):
    """A plan table whose header stands over no item (a workbook's template sheet)."""
