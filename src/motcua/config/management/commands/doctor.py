"""``motcua doctor``: check database, cache, file storage and the task worker end to end."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.doctor import check_cache, check_database, check_storage, check_tasks


class Command(BaseCommand):
    help = "Check that the configured database, cache, storage and task worker all work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--run-worker",
            action="store_true",
            help="Process the test task in this process instead of waiting for `motcua worker`.",
        )
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args: Any, **options: Any) -> None:
        runner = (
            (lambda: call_command("worker", "--batch", verbosity=0))
            if options["run_worker"]
            else None
        )
        results = [
            check_database(),
            check_cache(),
            check_storage(),
            check_tasks(run_worker=runner, timeout=options["timeout"]),
        ]
        for result in results:
            mark = "ok  " if result.ok else "FAIL"
            self.stdout.write(f"{mark} {result.name:<9} {result.detail}")
        if not all(r.ok for r in results):
            sys.exit(1)
