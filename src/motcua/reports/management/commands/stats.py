"""``motcua stats verify | rebuild | generate``: statistics rollups against the transition log.

- ``verify``: recount every rollup from the log and compare; exit 1 listing the differences.
- ``rebuild``: replace the rollups with the recount (one transaction).
- ``--workers N`` (verify, rebuild): recount with N processes (ADR 0021).
- ``generate --dossiers N``: write N synthetic dossiers with histories (PostgreSQL, COPY), then
  rebuild the rollups (benchmarks, scale tests; never on a production database).
"""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.reports import rollups

#: ``--indexes`` → ``generate(rebuild_indexes=…)``.
INDEX_MODES: dict[str, bool | None] = {"auto": None, "rebuild": True, "keep": False}


class Command(BaseCommand):
    help = "Statistics rollups: verify (exit 1 on mismatch), rebuild, generate --dossiers N."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="prove the rollups equal a full recount of the log")
        verify.add_argument("--limit", type=int, default=50, help="differences to list")
        verify.add_argument("--json", action="store_true", help="print one JSON object")
        rebuild = sub.add_parser(
            "rebuild", help="recount the rollups from the log and replace them"
        )
        generate = sub.add_parser("generate", help="synthetic dossiers with histories (PostgreSQL)")
        generate.add_argument("--dossiers", type=int, required=True)
        generate.add_argument("--seed", type=int, default=766)
        generate.add_argument("--days", type=int, default=365)
        generate.add_argument("--communes", type=int, default=100)
        generate.add_argument("--no-rebuild", action="store_true", help="leave the rollups alone")
        generate.add_argument(
            "--indexes",
            choices=list(INDEX_MODES),
            default="auto",
            help="rebuild: drop the secondary indexes and build them after the load; keep: "
            "maintain them row by row; auto: rebuild when the load at least doubles the table",
        )
        for command in (verify, rebuild, generate):
            command.add_argument(
                "--workers",
                type=int,
                default=None,
                help="processes that recount ranges of dossiers at once (default: one per CPU, "
                f"at most 8, on PostgreSQL from {rollups.PARALLEL_FROM:,} dossiers; else 1)",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(options)
        elif action == "rebuild":
            started = time.perf_counter()
            result = rollups.rebuild(workers=options["workers"])
            seconds = time.perf_counter() - started
            self.stdout.write(
                f"Rebuilt from {result.dossiers:,} dossiers in {seconds:.1f} s: "
                + ", ".join(f"{k} {v:,} rows" for k, v in result.rows.items())
            )
        elif action == "generate":
            self._generate(options)

    def _verify(self, options: dict[str, Any]) -> None:
        result = rollups.verify(limit=options["limit"], workers=options["workers"])
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "ok": result.ok,
                        "dossiers": result.dossiers,
                        "rows": result.rows,
                        "lagging": result.lagging,
                        "differences": result.differences,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            for line in result.differences:
                self.stdout.write(line)
            self.stdout.write(
                f"{result.dossiers:,} dossiers, {result.rows:,} rollup rows, "
                f"{len(result.differences)} difference(s), {result.lagging} dossier(s) with "
                "transitions not yet applied (outbox pending)"
            )
        if not result.ok:
            raise CommandError("The rollups differ from a recount of the log.", returncode=1)

    def _generate(self, options: dict[str, Any]) -> None:
        from motcua.reports.synthetic import generate, stderr_progress

        try:
            made = generate(
                options["dossiers"],
                seed=options["seed"],
                days=options["days"],
                communes=options["communes"],
                rebuild_indexes=INDEX_MODES[options["indexes"]],
                progress=stderr_progress,
            )
        except RuntimeError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"Generated {made.dossiers:,} dossiers and {made.transitions:,} transitions in "
            f"{made.seconds:.1f} s ({made.per_second:,.0f} dossiers/s)"
        )
        if not options["no_rebuild"]:
            started = time.perf_counter()
            result = rollups.rebuild(workers=options["workers"])
            self.stdout.write(
                f"Rollups rebuilt in {time.perf_counter() - started:.1f} s "
                f"({sum(result.rows.values()):,} rows)"
            )
