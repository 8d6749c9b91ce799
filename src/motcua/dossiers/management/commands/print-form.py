"""``motcua print-form``: print an official form of a dossier to a PDF file (operators)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core.errors import DomainError
from motcua.dossiers.printing import FormKind, operator_form_pdf


class Command(BaseCommand):
    help = (
        "Print an official form of a dossier: motcua print-form --dossier CODE "
        "--form receipt [-o file.pdf]. Forms: " + ", ".join(k.value for k in FormKind) + "."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dossier", required=True, help="dossier code (mã hồ sơ)")
        parser.add_argument(
            "--form", required=True, choices=[k.value for k in FormKind], help="which form"
        )
        parser.add_argument(
            "-o", "--output", default=None, help="PDF file to write (default: the form's name)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            name, pdf = operator_form_pdf(options["dossier"], options["form"])
        except DomainError as error:
            raise CommandError(str(error), returncode=2) from None
        target = Path(options["output"] or name)
        try:
            target.write_bytes(pdf)
        except OSError as error:
            raise CommandError(f"cannot write {target}: {error.strerror}", returncode=2) from None
        self.stdout.write(f"{target} ({len(pdf):,} bytes)")
