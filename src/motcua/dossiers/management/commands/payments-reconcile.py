"""``motcua payments-reconcile``: ask the payment gateway about pending payments now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.dossiers.payments import reconcile_payments


class Command(BaseCommand):
    help = (
        "Ask the payment gateway (VNPay querydr, or the simulator) where pending payments stand "
        "and record the answers as the IPN would: those between 15 minutes and an hour old, or "
        "with --all-day every pending payment of the last day. Paid ones get their fee receipt; "
        "failed or unknown expired ones are closed. The scheduler runs this every 15 minutes and "
        "the full pass daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--all-day", action="store_true", help="check every pending payment of the last day"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = reconcile_payments(full_day=options["all_day"])
        self.stdout.write(" ".join(f"{key}={value}" for key, value in summary.as_dict().items()))
