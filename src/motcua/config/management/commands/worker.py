"""``motcua worker``: run the background task worker for the configured task backend."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Run background tasks: database queue (embedded) or Redis queue (MOTCUA_BROKER_URL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue", default="default", help="Queue to consume.")
        parser.add_argument(
            "--batch", action="store_true", help="Process what is queued, then exit."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = settings.TASKS["default"]["BACKEND"]
        verbosity = options["verbosity"]
        if backend == "django_tasks_db.DatabaseBackend":
            extra = ["--batch"] if options["batch"] else []
            call_command("db_worker", "--queue-name", options["queue"], *extra, verbosity=verbosity)
        elif backend == "django_tasks_rq.RQBackend":
            extra = ["--burst"] if options["batch"] else []
            call_command(
                "rqworker",
                options["queue"],
                "--job-class",
                "django_tasks_rq.Job",
                *extra,
                verbosity=verbosity,
            )
        else:
            raise CommandError(
                f"The task backend {backend} runs tasks inline; no worker is needed."
            )
