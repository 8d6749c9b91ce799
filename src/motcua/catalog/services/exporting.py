"""Export the catalogue as JSON (the national record format) or Excel (the catalogue layout).

The export holds the newest version of every procedure — the one an import compares with — so
importing an export back reports every record "unchanged".
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from django.db.models import Prefetch

from motcua.catalog.data import ProcedureData, to_record
from motcua.catalog.models import DocumentRequirement, ProcedureChannel
from motcua.catalog.selectors import latest_versions, version_content
from motcua.catalog.spreadsheet import write_workbook
from motcua.core import clock

type ExportFormat = Literal["json", "xlsx"]


def catalogue_content() -> list[ProcedureData]:
    """The newest version of every procedure as canonical data, ordered by code."""
    versions = (
        latest_versions()
        .select_related("procedure", "field")
        .prefetch_related(
            Prefetch("channels", queryset=ProcedureChannel.objects.order_by("order")),
            Prefetch("documents", queryset=DocumentRequirement.objects.order_by("order")),
        )
        .order_by("procedure__code")
    )
    return [version_content(version) for version in versions]


def export_procedures(path: Path, fmt: ExportFormat) -> int:
    """Write the catalogue to ``path`` in ``fmt``; returns the number of procedures written."""
    procedures = catalogue_content()
    if fmt == "xlsx":
        write_workbook(path, procedures)
    else:
        document = {
            "meta": {
                "description": "MotCua procedure catalogue export (newest version of each "
                "procedure), in the record format of the National Database on Administrative "
                "Procedures; see docs/catalog.md.",
                "exported_at": clock.now().isoformat(timespec="seconds"),
                "count": len(procedures),
            },
            "procedures": [to_record(data) for data in procedures],
        }
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return len(procedures)
