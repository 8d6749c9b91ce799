"""Server time of the back-office inbox with 100,000 dossiers in the officer's scope.

Creates a fresh database (a temporary SQLite file, and PostgreSQL when reachable: DATABASE_URL or
postgres://postgres@127.0.0.1:5432/motcua_bench_inbox, dropped and re-created), loads the demo
province without its procedures, then inserts ``--dossiers`` dossiers at phường Rạch Giá's desk
with bulk SQL (``executemany``): most of them returned long ago, a realistic few in every open
state, some overdue, some due soon. It then signs in the desk's officer and the ward's leader and
times pages through the Django test client (the whole request: middleware, session, scope,
counts, listing, template), after a warm-up:

- the officer's inbox (``/can-bo/``: every queue count plus the first page of the default queue);
- the overdue queue sorted by appointment, and the same with a procedure filter;
- the leader's inbox; a search by applicant name without diacritics.

Final line: JSON with ``inbox_ms`` (p95 of the officer's inbox at the measured size, the worst of
the databases measured), ``inbox_dossiers`` and per-database details.

    python benchmarks/bench_inbox.py [--dossiers 100000] [--requests 40] [--quick]

``MOTCUA_BENCH_DEBUG=1`` also prints each page's queries with their times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/motcua_bench_inbox"
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Thu Hà", "Võ Quốc Bảo"]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _postgres_ready(url: str) -> bool:
    try:
        import psycopg
    except ImportError:
        return False
    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return False
    return True


def _plan(rng: random.Random, now: dt.datetime) -> dict[str, Any]:
    """One dossier's state and dates (most returned; open ones around now)."""
    roll = rng.random()
    received = now - dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 700))
    limit = dt.timedelta(days=7)
    if roll < 0.86:
        status, received = "returned", now - dt.timedelta(days=rng.randrange(20, 700))
    elif roll < 0.88:
        status = "submitted"
    elif roll < 0.90:
        status, received = "received", now - dt.timedelta(hours=rng.randrange(1, 30))
    elif roll < 0.95:
        status, received = "in_process", now - dt.timedelta(hours=rng.randrange(1, 24 * 10))
    elif roll < 0.96:
        status, received = "awaiting_supplement", now - dt.timedelta(days=rng.randrange(1, 5))
    elif roll < 0.97:
        status, received = "awaiting_payment", now - dt.timedelta(days=rng.randrange(1, 6))
    elif roll < 0.99:
        status, received = "resolved", now - dt.timedelta(days=rng.randrange(1, 7))
    else:
        status = rng.choice(["stopped", "withdrawn", "not_received"])
    return {"status": status, "received": received, "due": received + limit}


def measure(database: str, url: str, size: int, requests: int) -> dict[str, Any]:
    """Build the database, insert ``size`` dossiers, time the pages; returns the figures."""
    os.environ["DATABASE_URL"] = url
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    from motcua.calendars.engine import VN_TZ
    from motcua.catalog.models import ProcedureVersion
    from motcua.config.demo.loader import load_demo
    from motcua.core import clock
    from motcua.core.models import User
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.tests.factories import PROCEDURE, ensure_procedure, office

    call_command("migrate", verbosity=0)
    load_demo(procedures=False)
    ensure_procedure()
    desk = office()
    assert desk.parent is not None
    version = ProcedureVersion.objects.get(procedure__code=PROCEDURE)
    handler = User.objects.get(username="chuyenvien.rachgia")
    now = clock.now()
    rng = random.Random(2026)

    fields = [f for f in Dossier._meta.concrete_fields if f.column != "id"]
    columns = [str(f.column) for f in fields]
    template = Dossier(
        procedure_version=version,
        receiving_office=desk,
        competent_agency=desk.parent,
        channel="counter",
        applicant_name="",
        status="returned",
        time_limit_amount=5,
        time_limit_unit="working_days",
        due_explanation={},
    )
    template.created_at = template.updated_at = now

    def row(index: int) -> list[Any]:
        plan = _plan(rng, now)
        d = template
        d.status = plan["status"]
        d.applicant_name = f"{rng.choice(NAMES)} {index}"
        d.applicant_phone = f"09{index:08d}"
        d.applicant_id_number = f"0792{index:08d}"
        d.channel = rng.choice(["counter", "counter", "post", "portal"])
        submitted = d.status == "submitted"
        local = plan["received"].astimezone(VN_TZ)
        d.code = None if submitted else f"{desk.code}-{local:%y%m%d}-B{index:06d}"
        d.submission_ref = f"HS-B{index:07d}" if submitted or d.channel == "portal" else None
        d.submitted_at = plan["received"] if d.submission_ref else None
        d.received_at = None if submitted else plan["received"]
        d.counting_started_at = d.received_at
        due = None if submitted else plan["due"]
        d.due_original = d.due_legal = d.due_current = due
        d.handler_id = handler.pk if d.status == "in_process" and index % 3 else None
        d.version = 1
        prepared = []
        for field in fields:
            prepared.append(field.get_db_prep_save(getattr(d, field.attname), connection))
        return prepared

    started = time.perf_counter()
    sql = (
        f"INSERT INTO {Dossier._meta.db_table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    batch = 5000
    with connection.cursor() as cursor:
        for first in range(0, size, batch):
            rows = [row(i) for i in range(first, min(size, first + batch))]
            with transaction.atomic():
                cursor.executemany(sql, rows)
        cursor.execute("ANALYZE")
    insert_seconds = time.perf_counter() - started
    print(f"[{database}] inserted {size:,} dossiers in {insert_seconds:.1f} s (then ANALYZE)")

    officer = Client()
    officer.force_login(User.objects.get(username="tiepnhan.rachgia"))
    leader = Client()
    leader.force_login(User.objects.get(username="lanhdao.rachgia"))
    pages = {
        "inbox": (officer, "/can-bo/"),
        "overdue": (officer, "/can-bo/?queue=overdue&sort=due"),
        "filtered": (officer, "/can-bo/?queue=to_return&procedure=thu+nghiem&channel=counter"),
        "leader": (leader, "/can-bo/"),
        "search": (officer, "/can-bo/tim-kiem/?name=nguyen+van+an+777"),
    }
    figures: dict[str, Any] = {"insert_s": round(insert_seconds, 1)}
    for name, (client, path) in pages.items():
        for _ in range(5):
            assert client.get(path).status_code == 200
        samples = []
        count = requests if name != "search" else max(5, requests // 4)
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(path)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, path
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        if os.environ.get("MOTCUA_BENCH_DEBUG"):
            for query in queries.captured_queries:
                print(f"    {float(query['time']) * 1000:7.2f} ms  {query['sql'][:300]}")
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(
            f"[{database}] {name:<9} {path:<62} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  "
            f"{len(queries.captured_queries)} queries"
        )
        figures[name] = {
            "p50_ms": round(p50, 2),
            "p95_ms": round(p95, 2),
            "queries": len(queries.captured_queries),
        }
    in_scope = Dossier.objects.filter(receiving_office=desk).count()
    figures["in_scope"] = in_scope
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--quick", action="store_true", help="5,000 dossiers, 15 requests")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    size = 5_000 if args.quick else args.dossiers
    requests = 15 if args.quick else args.requests

    if args.only:  # a child process: one database per process (Django is set up once)
        if args.only == "sqlite":
            url = f"sqlite:///{tempfile.mkdtemp(prefix='motcua-bench-')}/bench.sqlite3"
        else:
            url = os.environ.get("MOTCUA_BENCH_PG", DEFAULT_PG)
        print(json.dumps(measure(args.only, url, size, requests)))
        return

    pg_url = os.environ.get("DATABASE_URL", "")
    if not pg_url.startswith("postgres"):
        pg_url = DEFAULT_PG
    databases = ["sqlite"] + (["postgresql"] if _postgres_ready(pg_url) else [])
    results: dict[str, dict[str, Any]] = {}
    for database in databases:
        env = {**os.environ, "MOTCUA_BENCH_PG": pg_url}
        env.pop("DATABASE_URL", None)
        proc = subprocess.run(  # noqa: S603 - this very script
            [
                sys.executable,
                __file__,
                "--only",
                database,
                "--dossiers",
                str(size),
                "--requests",
                str(requests),
            ],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        for line in lines[:-1]:
            print(line)
        if proc.returncode != 0 or not lines:
            sys.stderr.write(proc.stderr[-3000:])
            raise SystemExit(f"{database}: benchmark failed")
        results[database] = json.loads(lines[-1])
    if "postgresql" not in results:
        print("PostgreSQL not reachable: measured SQLite only")
    worst = max(r["inbox"]["p95_ms"] for r in results.values())
    figures: dict[str, Any] = {
        "inbox_ms": worst,
        "inbox_dossiers": results["sqlite"]["in_scope"],
        "inbox_databases": ",".join(results),
    }
    for database, result in results.items():
        short = "pg" if database == "postgresql" else "sqlite"
        for page in ("inbox", "overdue", "filtered", "leader", "search"):
            figures[f"inbox_{short}_{page}_p95_ms"] = result[page]["p95_ms"]
        figures[f"inbox_{short}_median_ms"] = result["inbox"]["p50_ms"]
        figures[f"inbox_{short}_queries"] = result["inbox"]["queries"]
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
