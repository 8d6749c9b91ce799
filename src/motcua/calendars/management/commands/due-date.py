"""``motcua due-date``: when is a result due? Prints the due instant and how it was reached."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from motcua.calendars.engine import VN_TZ
from motcua.calendars.presenters import due_date_dict, spoken
from motcua.calendars.selectors import compute_due_date, parse_amount
from motcua.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Compute a due date: motcua due-date --received 2026-02-12T10:00 --amount 3 "
        "--unit working_days [--calendar CODE] [--json]. A time without offset is Vietnam time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--received", required=True, help="reception instant (ISO 8601)")
        parser.add_argument("--amount", required=True, help="time limit amount, e.g. 3 or 0.5")
        parser.add_argument(
            "--unit",
            required=True,
            help="working_hours | working_days | calendar_days | months | same_day",
        )
        parser.add_argument("--calendar", default=None, help="calendar code (default: vn)")
        parser.add_argument(
            "--counting", default="working_time", help="working_time (default) | day_count"
        )
        parser.add_argument(
            "--cutoff-shifts-start",
            action="store_true",
            help="a receipt at/after the cut-off (15:00) counts from the next working day",
        )
        parser.add_argument(
            "--skip-holidays",
            action="store_true",
            help="calendar days: do not count days off falling on weekdays",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--language", default="vi", choices=["vi", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(options["language"])
        try:
            received = dt.datetime.fromisoformat(options["received"])
        except ValueError:
            raise CommandError(
                f"--received: {options['received']!r} is not an ISO 8601 time "
                "(e.g. 2026-02-12T10:00 or 2026-02-12T10:00+07:00)",
                returncode=2,
            ) from None
        if received.tzinfo is None:
            received = received.replace(tzinfo=VN_TZ)  # people at a Vietnamese desk mean local time
        try:
            due = compute_due_date(
                received,
                parse_amount(options["amount"]),
                options["unit"],
                calendar=options["calendar"],
                counting=options["counting"],
                cutoff_shifts_clock_start=options["cutoff_shifts_start"],
                calendar_days_skip_holidays=options["skip_holidays"],
            )
        except DomainError as error:
            raise CommandError(str(error), returncode=2) from None
        data = due_date_dict(
            due, calendar=options["calendar"] or "vn", language=options["language"]
        )
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        language = options["language"]
        labels = (
            ("Received", "Counting starts", "Due", "How")
            if language == "en"
            else ("Tiếp nhận", "Bắt đầu tính", "Hạn trả kết quả", "Cách tính")
        )
        self.stdout.write(f"{labels[0]:<16} {spoken(due.received_at, language)}")
        self.stdout.write(f"{labels[1]:<16} {spoken(due.counting_starts_at, language)}")
        self.stdout.write(f"{labels[2]:<16} {spoken(due.due_at, language)}")
        self.stdout.write(f"{labels[3]}:")
        for line in data["explanation"]:
            self.stdout.write(f"  - {line}")
