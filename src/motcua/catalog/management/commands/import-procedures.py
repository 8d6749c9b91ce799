"""``motcua import-procedures FILE``: import procedures from JSON or Excel (docs/catalog.md)."""

from __future__ import annotations

import datetime as dt
import sys
import time
from argparse import ArgumentParser, ArgumentTypeError
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import ImportFileError, import_procedure_file

#: Show progress only for files this large (small files finish before anyone looks).
PROGRESS_FROM = 200


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Import administrative procedures from a .json file (national record format) or an "
        ".xlsx workbook (catalogue layout). Idempotent: unchanged records are left alone."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="a .json or .xlsx file")
        parser.add_argument(
            "--dry-run", action="store_true", help="validate and count, save nothing"
        )
        parser.add_argument(
            "--publish-from",
            type=_date,
            metavar="YYYY-MM-DD",
            help="publish the new and changed versions, in force from this date",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        last = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last
            now = time.monotonic()
            if total >= PROGRESS_FROM and (now - last >= 0.5 or done == total):
                last = now
                sys.stderr.write(f"\r  {done}/{total} ({100 * done // total} %)")
                if done == total:
                    sys.stderr.write("\n")
                sys.stderr.flush()

        try:
            report = import_procedure_file(
                path,
                publish_from=options["publish_from"],
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        for rejection in report.rejected:
            self.stderr.write(f"rejected {rejection}")
        self.stdout.write(f"{report.summary()} in {report.seconds:.1f} s")
