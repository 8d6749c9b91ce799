"""``motcua scheduler``: enqueue periodic background work (outbox delivery, …) on a fixed beat."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.tasks import notify_late_consultations_task, reconcile_payments_task
from motcua.notifications.tasks import deliver_outbox


class Command(BaseCommand):
    help = (
        "Enqueue periodic tasks: outbox delivery every --outbox-seconds (default 5), the late "
        "consultations sweep every --consultation-seconds (default 300), the payment "
        "reconciliation every --payments-seconds (default 900) and its full pass every "
        "--payments-full-seconds (default 86400)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--outbox-seconds", type=float, default=5.0)
        parser.add_argument("--consultation-seconds", type=float, default=300.0)
        parser.add_argument("--payments-seconds", type=float, default=900.0)
        parser.add_argument("--payments-full-seconds", type=float, default=86400.0)
        parser.add_argument("--once", action="store_true", help="Enqueue each task once, exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        next_sweep = 0.0
        next_payments = next_full = 0.0
        while True:
            deliver_outbox.enqueue()
            if time.monotonic() >= next_sweep:
                notify_late_consultations_task.enqueue()
                next_sweep = time.monotonic() + options["consultation_seconds"]
            if time.monotonic() >= next_full:
                reconcile_payments_task.enqueue(full_day=True)
                next_full = time.monotonic() + options["payments_full_seconds"]
                next_payments = time.monotonic() + options["payments_seconds"]
            elif time.monotonic() >= next_payments:
                reconcile_payments_task.enqueue()
                next_payments = time.monotonic() + options["payments_seconds"]
            if options["once"]:
                return
            time.sleep(options["outbox_seconds"])
