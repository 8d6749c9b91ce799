"""The demo catalogue: ~150 real procedures (civil status, certification, residence, household
businesses, land, construction, driving licences, …) bundled from the national database sample.

Source and selection rule: ``fixtures/procedures-demo.json`` → ``meta`` (docs/demo.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from motcua.catalog.services.importing import ImportReport, import_records

DEMO_FILE = Path(__file__).with_name("fixtures") / "procedures-demo.json"
#: The bundled texts reflect the two-level local government in force from 01/07/2025.
DEMO_VALID_FROM = dt.date(2025, 7, 1)


def load_demo_procedures(limit: int | None = None) -> ImportReport:
    """Import and publish the bundled procedures (the first ``limit`` by code); idempotent."""
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    records = document["procedures"][:limit] if limit is not None else document["procedures"]
    return import_records(
        [(f"record {number}", record) for number, record in enumerate(records, start=1)],
        publish_from=DEMO_VALID_FROM,
    )
