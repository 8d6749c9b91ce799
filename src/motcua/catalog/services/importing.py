"""Import procedures from the national JSON format or the catalogue's Excel layout.

For each record (docs/catalog.md, "Import"):

- invalid → rejected with its row and reasons (missing or malformed code, missing name, unknown
  level / channel / unit, a code given twice in the file, …); the others go on;
- new code → a new procedure with the record as draft version 1 ("created");
- same content as the procedure's newest version (content fingerprint) → "unchanged";
- else → the open draft is updated, or a new draft version is opened on top of the published one
  ("updated"); a published version is never edited in place;
- with ``publish_from``, a resulting draft is published from that date (closing its predecessor).

Each record is one transaction (a savepoint in a dry run): a record is imported whole or not at
all. Importing the same file twice reports "0 created, 0 updated". Text is NFC-normalised, so
NFD input gives identical rows.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DatabaseError, transaction

from motcua.catalog.data import ProcedureData, parse_record
from motcua.catalog.models import Field, ProcedureVersion, VersionStatus
from motcua.catalog.search_index import refresh_statistics
from motcua.catalog.selectors import latest_versions
from motcua.catalog.services.versions import (
    create_new_version,
    create_procedure,
    publish_version,
    update_draft,
)
from motcua.catalog.spreadsheet import SpreadsheetError, read_workbook
from motcua.core.errors import DomainError
from motcua.core.text import nfc

type SourceRecord = tuple[str, Any]
type Progress = Callable[[int, int], None]


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not JSON, not a workbook, wrong shape)."""


@dataclass(frozen=True)
class Rejection:
    """A record that was not imported: where it is, its code if any, and why."""

    row: str
    code: str
    reasons: tuple[str, ...]

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        return f"{self.row}{code}: {'; '.join(self.reasons)}"


@dataclass
class ImportReport:
    """What an import did (or would do, in a dry run)."""

    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    published: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: "1293 records: 1293 created, 0 updated, 0 unchanged, 0 rejected"."""
        line = (
            f"{self.total} records: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.rejected)} rejected"
        )
        if self.published:
            line += f"; {self.published} published"
        if self.dry_run:
            line += " (dry run: nothing saved)"
        return line


def read_records(path: Path) -> tuple[list[SourceRecord], list[Rejection]]:
    """The records of a ``.json`` or ``.xlsx`` file, and rows of a workbook that fit nothing."""
    if path.suffix.lower() == ".xlsx":
        try:
            records, problems = read_workbook(path)
        except SpreadsheetError as error:
            raise ImportFileError(str(error)) from error
        return list(records), [Rejection(p.row, p.code, (p.reason,)) for p in problems]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(f"cannot read {path} as JSON ({error})") from error
    items = document.get("procedures") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise ImportFileError(f'{path}: expected {{"procedures": [...]}} or a list of records')
    return [(f"record {number}", item) for number, item in enumerate(items, start=1)], []


def _raw_code(record: Any) -> str:
    code = record.get("code") if isinstance(record, dict) else None
    return nfc(str(code)).strip() if code not in (None, "") else ""


def _validate(
    records: Sequence[SourceRecord], report: ImportReport
) -> list[tuple[str, ProcedureData]]:
    rows_by_code: dict[str, list[str]] = defaultdict(list)
    for row, record in records:
        if code := _raw_code(record):
            rows_by_code[code].append(row)
    valid = []
    for row, record in records:
        code = _raw_code(record)
        parsed = parse_record(record)
        reasons = [] if isinstance(parsed, ProcedureData) else list(parsed)
        if code and len(rows_by_code[code]) > 1:
            others = ", ".join(r for r in rows_by_code[code] if r != row)
            reasons.append(f"duplicate code in the file (also {others})")
        if reasons:
            report.rejected.append(Rejection(row, code, tuple(reasons)))
        elif isinstance(parsed, ProcedureData):
            valid.append((row, parsed))
    return valid


def _import_one(
    data: ProcedureData,
    latest: ProcedureVersion | None,
    publish_from: dt.date | None,
    fields: dict[str, Field],
) -> tuple[str, bool]:
    """Apply one valid record; returns (outcome, published)."""
    if latest is None:
        version, outcome = create_procedure(data, fields=fields), "created"
    elif latest.content_hash == data.digest():
        version, outcome = latest, "unchanged"
    elif latest.status == VersionStatus.DRAFT:
        version, outcome = update_draft(latest, data, fields=fields), "updated"
    else:
        version = create_new_version(latest.procedure, data, fields=fields)
        outcome = "updated"
    if publish_from is not None and version.status == VersionStatus.DRAFT:
        publish_version(version, publish_from)
        return outcome, True
    return outcome, False


def import_records(
    records: Sequence[SourceRecord],
    *,
    publish_from: dt.date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    rejected: Iterable[Rejection] = (),
) -> ImportReport:
    """Import ``records`` (row label, record); see the module docstring for what happens."""
    started = time.perf_counter()
    report = ImportReport(total=len(records), dry_run=dry_run)
    report.rejected.extend(rejected)
    valid = _validate(records, report)
    counts: Counter[str] = Counter()
    # A dry run does everything inside one transaction and rolls it back at the end; otherwise
    # each record commits on its own.
    with transaction.atomic() if dry_run else nullcontext():
        latest = {
            v.procedure.code: v for v in latest_versions().select_related("procedure", "field")
        }
        fields = {f.name: f for f in Field.objects.filter(valid_to__isnull=True)}
        for done, (row, data) in enumerate(valid, start=1):
            known_fields = set(fields)
            try:
                with transaction.atomic():
                    outcome, published = _import_one(
                        data, latest.get(data.code), publish_from, fields
                    )
            except (DomainError, DatabaseError) as error:
                for name in set(fields) - known_fields:  # created in the rolled-back record
                    del fields[name]
                report.rejected.append(Rejection(row, data.code, (str(error),)))
            else:
                counts[outcome] += 1
                report.published += int(published)
            if progress is not None:
                progress(done, len(valid))
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run and (counts["created"] or counts["updated"]):
        refresh_statistics()
    report.created, report.updated, report.unchanged = (
        counts["created"],
        counts["updated"],
        counts["unchanged"],
    )
    report.seconds = time.perf_counter() - started
    return report


def import_procedure_file(
    path: Path,
    *,
    publish_from: dt.date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and import a ``.json`` or ``.xlsx`` file (raises ImportFileError if unreadable)."""
    started = time.perf_counter()
    records, problems = read_records(path)
    report = import_records(
        records, publish_from=publish_from, dry_run=dry_run, progress=progress, rejected=problems
    )
    report.seconds = time.perf_counter() - started  # reading the file included
    return report
