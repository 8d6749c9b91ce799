"""Receiving a dossier through the API, side by side with the raw inserts it makes, in one run.

The API path is the whole stack in one process: middleware, token authentication, ninja, the
idempotency record, the ``receive_dossier`` service (procedure lookup, scope check, gap-free code
counter, due date with explanation), the history row and the outbox row, one transaction per
request. The raw path replays the *same* rows (counter upsert + dossier + history + outbox +
idempotency record) with plain SQL through psycopg, one transaction per dossier, no Django.

Runs on PostgreSQL (``DATABASE_URL=postgres://…``; default postgres://postgres@127.0.0.1:5432/
motcua_bench, created and migrated here). Without a reachable PostgreSQL it measures SQLite and
says so. Final line: JSON with ``receive_per_s``, ``raw_insert_per_s``, ``receive_p50_ms``, …

    python benchmarks/bench_receive.py [--requests 2000] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/motcua_bench"


def _postgres_ready(url: str) -> bool:
    """Create the benchmark database afresh if PostgreSQL answers."""
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


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--quick", action="store_true", help="300 requests")
    args = parser.parse_args()
    count = 300 if args.quick else args.requests

    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    database = "postgresql"
    if not url.startswith("postgres") or not _postgres_ready(url):
        database = "sqlite"
        url = f"sqlite:///{tempfile.mkdtemp(prefix='motcua-bench-')}/bench.sqlite3"
    os.environ["DATABASE_URL"] = url
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from motcua.api.models import ApiToken, Scope
    from motcua.config.demo.loader import load_demo
    from motcua.core.models import User
    from motcua.dossiers.models import Dossier, DossierTransition, IdempotencyRecord
    from motcua.dossiers.tests.factories import PROCEDURE, ensure_procedure
    from motcua.notifications.models import OutboxMessage

    call_command("migrate", verbosity=0)
    load_demo(procedures=False)
    ensure_procedure()
    officer = User.objects.get(username="tiepnhan.rachgia")
    _token, secret = ApiToken.issue(officer, "bench", [Scope.DOSSIERS_WRITE, Scope.DOSSIERS_READ])
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    body = {
        "mode": "receive",
        "procedure_code": PROCEDURE,
        "receiving_office": "000.01.31.H01",
        "channel": "counter",
        "applicant": {"name": "Nguyễn Thị Lan", "phone": "0901000001"},
    }

    def post() -> float:
        started = time.perf_counter()
        response = client.post(
            "/api/v1/dossiers",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.content[:300]
        return elapsed

    for _ in range(20):
        post()
    samples = []
    started = time.perf_counter()
    for _ in range(count):
        samples.append(post())
    api_seconds = time.perf_counter() - started
    receive_per_s = count / api_seconds

    # The same rows, raw: take a real reception's rows as the template.
    dossier = Dossier.objects.order_by("-id").first()
    assert dossier is not None
    history = DossierTransition.objects.get(dossier=dossier)
    outbox = OutboxMessage.objects.filter(key__startswith=f"dossier:{dossier.pk}:").get()
    tables = {
        "dossier": Dossier._meta.db_table,
        "history": DossierTransition._meta.db_table,
        "outbox": OutboxMessage._meta.db_table,
        "idem": IdempotencyRecord._meta.db_table,
    }
    dossier_columns = [str(f.column) for f in Dossier._meta.concrete_fields if f.column != "id"]
    history_columns = [
        str(f.column)
        for f in DossierTransition._meta.concrete_fields
        if f.column not in {"id", "dossier_id"}
    ]
    outbox_columns = [
        str(f.column) for f in OutboxMessage._meta.concrete_fields if f.column != "id"
    ]

    def values(obj: Any, columns: list[str]) -> list[Any]:
        row = []
        for column in columns:
            field = next(f for f in obj._meta.concrete_fields if f.column == column)
            value = field.get_db_prep_save(getattr(obj, field.attname), connection)
            row.append(value)
        return row

    base_dossier = values(dossier, dossier_columns)
    base_history = values(history, history_columns)
    base_outbox = values(outbox, outbox_columns)
    code_index = dossier_columns.index("code")
    key_index = outbox_columns.index("key")

    def placeholders(n: int) -> str:
        return ", ".join(["%s"] * n)

    raw_count = count
    with connection.cursor() as cursor:
        raw_started = time.perf_counter()
        for i in range(raw_count):
            with django.db.transaction.atomic():
                cursor.execute(
                    "INSERT INTO dossiers_codecounter (unit_code, day, last) VALUES (%s, %s, 1) "
                    "ON CONFLICT (unit_code, day) "
                    "DO UPDATE SET last = dossiers_codecounter.last + 1 RETURNING last",
                    ["RAW.BENCH", "2026-01-01"],
                )
                cursor.fetchone()
                row = list(base_dossier)
                row[code_index] = f"RAW-{i}"
                cursor.execute(
                    f"INSERT INTO {tables['dossier']} ({', '.join(dossier_columns)}) "
                    f"VALUES ({placeholders(len(row))}) RETURNING id",
                    row,
                )
                (new_id,) = cursor.fetchone()
                cursor.execute(
                    f"INSERT INTO {tables['idem']} (client, key, fingerprint, dossier_id, "
                    "created_at) VALUES (%s, %s, %s, %s, now())",
                    ["raw", f"raw-{i}", "x" * 64, new_id],
                )
                cursor.execute(
                    f"INSERT INTO {tables['history']} (dossier_id, {', '.join(history_columns)}) "
                    f"VALUES (%s, {placeholders(len(base_history))})",
                    [new_id, *base_history],
                )
                row = list(base_outbox)
                row[key_index] = f"raw:{i}"
                cursor.execute(
                    f"INSERT INTO {tables['outbox']} ({', '.join(outbox_columns)}) "
                    f"VALUES ({placeholders(len(row))})",
                    row,
                )
        raw_seconds = time.perf_counter() - raw_started
    raw_per_s = raw_count / raw_seconds

    p50 = statistics.median(samples) * 1000
    p95 = percentile(samples, 0.95) * 1000
    ratio = receive_per_s / raw_per_s
    print(f"database: {database}; {count} receptions through POST /api/v1/dossiers, one client")
    print(f"API receive:   {receive_per_s:8.1f} dossiers/s   p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
    print(f"raw inserts:   {raw_per_s:8.1f} dossiers/s   (same rows, plain SQL, one commit each)")
    print(f"API / raw:     {ratio:8.1%}   (target >= 30%; p50 target <= 30 ms)")
    print(
        json.dumps(
            {
                "receive_database": database,
                "receive_requests": count,
                "receive_per_s": round(receive_per_s, 1),
                "raw_insert_per_s": round(raw_per_s, 1),
                "receive_vs_raw": round(ratio, 3),
                "receive_p50_ms": round(p50, 2),
                "receive_p95_ms": round(p95, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
