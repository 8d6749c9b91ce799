"""``motcua serve``: the one launcher — web server (gunicorn) plus the background worker.

Collects static files, starts gunicorn on MOTCUA_BIND and, unless MOTCUA_SERVE_WORKER is off, a
``motcua worker`` child process; prints where to go and the demo accounts. If either child dies
the launcher stops the other and exits non-zero, so a supervisor (systemd) restarts both.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.config.demo.loader import demo_accounts
from motcua.config.env import read_bool, read_int, read_str
from motcua.config.management.commands.demo import format_accounts
from motcua.documents.forms import pdf_available


def _pending_migrations() -> int:
    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "Serve MotCua: gunicorn web server plus the background worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=None, help="host:port (default: MOTCUA_BIND)")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn worker processes")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the worker.")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Static files are already collected."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind = options["bind"] or read_str("MOTCUA_BIND")
        workers = options["workers"] or read_int("MOTCUA_WEB_WORKERS")
        with_worker = read_bool("MOTCUA_SERVE_WORKER") and not options["no_worker"]
        pending = _pending_migrations()
        if pending:
            self.stderr.write(
                f"motcua: {pending} database migration(s) not applied; run `motcua migrate` first."
            )
            sys.exit(2)
        if not pdf_available():  # WeasyPrint needs Pango (ADR 0012); the rest still works
            self.stderr.write(
                "motcua: PDF rendering is not available on this server (install Pango, e.g. "
                "`apt-get install libpango-1.0-0 libpangoft2-1.0-0`); printed forms will refuse."
            )
        if settings.PRODUCTION and not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)

        children: list[tuple[str, subprocess.Popen[bytes]]] = []
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "motcua.config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "20",
            "--timeout",
            "120",
        ]
        children.append(("web server", subprocess.Popen(web)))  # noqa: S603 - fixed arguments
        if with_worker and settings.TASKS["default"]["BACKEND"] != (
            "django.tasks.backends.immediate.ImmediateBackend"
        ):
            worker = [sys.executable, "-m", "motcua.config.cli", "worker"]
            children.append(("worker", subprocess.Popen(worker)))  # noqa: S603 - fixed arguments
            scheduler = [sys.executable, "-m", "motcua.config.cli", "scheduler"]
            children.append(("scheduler", subprocess.Popen(scheduler)))  # noqa: S603

        self._banner(bind, with_worker)

        def stop(signum: int, _frame: FrameType | None) -> None:
            for _name, child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            raise SystemExit(0 if signum in (signal.SIGINT, signal.SIGTERM) else 1)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while True:
            for name, child in children:
                code = child.poll()
                if code is not None:
                    self.stderr.write(f"motcua: the {name} exited ({code}); stopping.")
                    for _other_name, other in children:
                        if other.poll() is None:
                            other.terminate()
                    for _other_name, other in children:
                        other.wait(timeout=30)
                    sys.exit(code or 1)
            time.sleep(0.5)

    def _banner(self, bind: str, with_worker: bool) -> None:
        host, _, port = bind.rpartition(":")
        base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '') else host}:{port}"  # noqa: S104
        lines = [
            "",
            "MotCua đang chạy / MotCua is running",
            f"  Cổng dịch vụ công (citizen portal):   {base}/",
            f"  Một cửa điện tử (staff back office):  {base}/can-bo/",
            f"  Quản trị cấu hình (admin):            {base}/quan-tri/",
            f"  API v1 (OpenAPI docs):                {base}/api/v1/docs",
            f"  Background worker: {'on' if with_worker else 'off'}; database: "
            f"{connection.vendor}; stop with Ctrl+C.",
        ]
        accounts = demo_accounts()
        if accounts:
            lines += ["", format_accounts(accounts)]
        self.stdout.write("\n".join(lines) + "\n")
