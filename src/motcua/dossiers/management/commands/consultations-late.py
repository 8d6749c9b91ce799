"""``motcua consultations-late``: notify late consultations now (the scheduler runs it too)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.services.consultation import notify_late_consultations


class Command(BaseCommand):
    help = (
        "Write one notice to the head of the one-stop office for each consultation whose deadline "
        "passed unanswered (T21; idempotent: a task is notified once). The scheduler runs this "
        "every --consultation-seconds; this command runs it on demand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", default=None, help="the instant to check against, ISO 8601 (default: now)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["now"]:
            try:
                now = dt.datetime.fromisoformat(options["now"])
            except ValueError:
                raise CommandError(f"--now: not an ISO 8601 instant: {options['now']}") from None
            if now.tzinfo is None:
                raise CommandError("--now: give the time zone, e.g. 2026-03-04T10:00+07:00")
        count = notify_late_consultations(now)
        self.stdout.write(f"late consultations notified: {count}")
