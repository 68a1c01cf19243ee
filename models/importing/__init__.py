"""Plan documents into the database: formats, readers, agencies, assignments, upsert."""

from models.importing.errors import ImportFormatError
from models.importing.importer import import_plan, read_document
from models.importing.report import DeadlineNote, ImportReport

__all__ = ["DeadlineNote", "ImportFormatError", "ImportReport", "import_plan", "read_document"]
