"""Plan documents into the database: formats, readers, agencies, assignments, upsert."""

from models.importing.errors import ImportFormatError
from models.importing.importer import import_plan, read_document
from models.importing.preview import Preview, preview_plan
from models.importing.report import DeadlineNote, ImportReport

__all__ = [
    "DeadlineNote",
    "ImportFormatError",
    "ImportReport",
    "Preview",
    "import_plan",
    "preview_plan",
    "read_document",
]
