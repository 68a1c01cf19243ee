"""Plan documents into the database: formats, readers, agencies, assignments, upsert."""

from models.importing.errors import ImportFormatError
from models.importing.importer import (
    Reading,
    import_plan,
    import_plans,
    import_reading,
    read_document,
    read_plans,
)
from models.importing.preview import Preview, preview_plan, preview_plans
from models.importing.report import DeadlineNote, ImportReport

__all__ = [
    "DeadlineNote",
    "ImportFormatError",
    "ImportReport",
    "Preview",
    "Reading",
    "import_plan",
    "import_plans",
    "import_reading",
    "preview_plan",
    "preview_plans",
    "read_document",
    "read_plans",
]
