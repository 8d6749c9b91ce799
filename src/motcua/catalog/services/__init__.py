"""Writes of the procedure catalogue (versions, import, export); re-exported here."""

from motcua.catalog.services.exporting import export_procedures
from motcua.catalog.services.importing import (
    ImportFileError,
    ImportReport,
    Rejection,
    import_procedure_file,
    import_records,
)
from motcua.catalog.services.versions import (
    StepData,
    create_new_version,
    create_procedure,
    discard_draft,
    field_named,
    publish_version,
    refresh_draft,
    retire_version,
    set_process_steps,
    update_draft,
    validate_process,
)

__all__ = [
    "ImportFileError",
    "ImportReport",
    "Rejection",
    "StepData",
    "create_new_version",
    "create_procedure",
    "discard_draft",
    "export_procedures",
    "field_named",
    "import_procedure_file",
    "import_records",
    "publish_version",
    "refresh_draft",
    "retire_version",
    "set_process_steps",
    "update_draft",
    "validate_process",
]
