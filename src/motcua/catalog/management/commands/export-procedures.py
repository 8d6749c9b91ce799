"""``motcua export-procedures --format json|xlsx FILE``: write the catalogue (docs/catalog.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.services import export_procedures
from motcua.catalog.spreadsheet import SpreadsheetError


class Command(BaseCommand):
    help = (
        "Export the newest version of every procedure as JSON (national record format) or as an "
        ".xlsx workbook; importing the file back changes nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="where to write")
        parser.add_argument(
            "--format",
            choices=["json", "xlsx"],
            help="default: from the file name's extension",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        fmt = options["format"] or path.suffix.lower().lstrip(".")
        if fmt not in ("json", "xlsx"):
            raise CommandError("give --format json or --format xlsx")
        try:
            count = export_procedures(path, "xlsx" if fmt == "xlsx" else "json")
        except (OSError, SpreadsheetError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"{count} procedures written to {path}")
