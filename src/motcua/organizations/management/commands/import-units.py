"""``motcua import-units FILE``: import the official list of administrative units (idempotent)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.organizations.importing import UnitFileError, import_units, units_in


class Command(BaseCommand):
    help = (
        "Import administrative units (provinces, communes, special zones) in force from "
        "01/07/2025 with the pre-2025 units they replaced and the conversion lines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON list (administrative-units-2025.json format)")
        parser.add_argument(
            "--province", action="append", default=[], help="only this province code (repeat)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{path}: cannot read ({error.strerror})", returncode=2) from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{path}: not JSON ({error})", returncode=2) from None
        if options["province"]:
            data = units_in(data, options["province"])
        started = time.monotonic()

        def progress(label: str, done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(
                f"\r{label:<13} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        try:
            summary = import_units(data, progress=progress)
        except UnitFileError as error:
            raise CommandError(f"{path}: {error}", returncode=2) from None
        elapsed = time.monotonic() - started
        for label, counts in (
            ("units in force", summary.units),
            ("legacy units", summary.legacy_units),
            ("successions", summary.successions),
        ):
            self.stdout.write(
                f"{label:<15} {counts.created:>6} created {counts.updated:>6} updated "
                f"{counts.unchanged:>6} unchanged"
            )
        for note in summary.skipped:
            self.stdout.write(f"not imported: {note}")
        self.stdout.write(f"done in {elapsed:.1f} s")
