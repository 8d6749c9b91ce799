"""``motcua restructure PLAN.json [--apply]``: preview (default) or apply a restructuring.

PLAN.json: {"name", "kind" (merge|split|rename|move|abolish), "effective_date" (YYYY-MM-DD),
"legal_basis", "moves": [{"from": "<agency code>", "to": "<agency code>"} or
{"from": "<agency code>", "new": {"code", "name", "kind", "level", "parent_code", "unit_code"}}]}.
Closing agencies are looked up on the day before the effective date, successors on that date.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from motcua.core.errors import DomainError
from motcua.dossiers.services.handover import preview_handover, restructure
from motcua.organizations.restructuring import NewAgency, plan_restructuring, preview_restructuring
from motcua.organizations.selectors import agency_by_code


class Command(BaseCommand):
    help = "Preview (default) or --apply a restructuring plan: agencies, staff and open dossiers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan", help="JSON plan file")
        parser.add_argument("--apply", action="store_true", help="apply it (one transaction)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(Path(options["plan"]).read_text(encoding="utf-8"))
            effective = dt.date.fromisoformat(data["effective_date"])
            before = effective - dt.timedelta(days=1)
            moves = []
            for move in data["moves"]:
                old = agency_by_code(move["from"], before)
                target = (
                    NewAgency(**move["new"])
                    if "new" in move
                    else agency_by_code(move["to"], effective)
                )
                moves.append((old, target))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(
                f"{options['plan']}: not a valid plan ({error})", returncode=2
            ) from None
        except DomainError as error:
            raise CommandError(str(error), returncode=2) from None
        with transaction.atomic():
            restructuring = plan_restructuring(
                name=data.get("name", "Sắp xếp tổ chức"),
                kind=data.get("kind", "merge"),
                effective_date=effective,
                legal_basis=data.get("legal_basis", ""),
                moves=moves,
            )
            preview = preview_restructuring(restructuring)
            dossiers = preview_handover(restructuring)
            for item in preview.successions:
                self.stdout.write(f"  {item['from']}  →  {item['to']}")
            self.stdout.write(
                f"staff to move: {len(preview.staff)}; open dossiers to hand over: {dossiers.total}"
            )
            for problem in preview.problems:
                self.stdout.write(f"PROBLEM: {problem}")
            if not options["apply"]:
                transaction.set_rollback(True)  # a preview leaves no trace
                self.stdout.write("preview only (use --apply to apply)")
                return
            try:
                moved = restructure(restructuring.pk, actor=None)
            except DomainError as error:
                raise CommandError(str(error), returncode=2) from None
            self.stdout.write(f"applied: {moved} open dossiers handed over")
