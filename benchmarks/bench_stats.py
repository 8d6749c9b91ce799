"""Statistics at scale, side by side in one run (PostgreSQL).

1. The synthetic generator's own rate (dossiers with full histories per second, COPY).
2. The dashboard query through the rollups (``reports.selectors.dashboard``: totals, months,
   channels, units, procedures of the last 12 months for the whole province) vs the naive way:
   one GROUP BY scanning the dossier table for the same figures. Median of repeated warm runs.
3. Looking a dossier up by its code under 32 concurrent clients (processes, one connection each;
   the query of ``dossiers.selectors.dossier_by_code``: one indexed row, no join): p50 / p99.
4. Database bytes per dossier with its history: pg_total_relation_size of the dossier,
   transition, pause, rollup and cursor tables ÷ dossiers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_stats \\
        python benchmarks/bench_stats.py [--dossiers 1000000] [--quick] [--reuse] [--verify]

``--quick`` (``make bench``): 20,000 dossiers. ``--reuse`` keeps an existing database of the right
size instead of regenerating. Final line: one JSON object (``dossiers``, ``rollup_ms``,
``naive_ms``, ``lookup_p50_ms``, ``lookup_p99_ms``, ``generator_per_s``, ``bytes_per_dossier``…).
Targets: rollups ≤ 100 ms at 1M and ≥ 50× the naive scan; lookup p99 ≤ 20 ms; generator ≥ 20,000
dossiers/s; ≤ 4 KB per dossier.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from generate_dossiers import (  # type: ignore[import-not-found]
    DEFAULT_PG,
    postgres_unreachable,
    setup_django,
)

NAIVE_SQL = """
SELECT d.competent_agency_id, d.receiving_office_id, d.channel,
       date_trunc('month', d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh') AS month,
       count(*) FILTER (WHERE d.received_at >= %(start)s AND d.received_at < %(end)s) AS received,
       count(*) FILTER (WHERE d.received_at < %(start)s
                        AND (d.ended_at IS NULL OR d.ended_at >= %(start)s)) AS carried_over,
       count(*) FILTER (WHERE d.resolved_at >= %(start)s AND d.resolved_at < %(end)s) AS resolved,
       count(*) FILTER (WHERE d.resolved_at >= %(start)s AND d.resolved_at < %(end)s
                        AND (d.resolved_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
                            < (d.due_legal AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) AS early,
       count(*) FILTER (WHERE d.resolved_at >= %(start)s AND d.resolved_at < %(end)s
                        AND d.resolved_at <= d.due_legal) AS on_time_or_early,
       count(*) FILTER (WHERE d.resolved_at >= %(start)s AND d.resolved_at < %(end)s
                        AND d.resolved_at > d.due_legal
                        AND d.resolved_at <= d.due_current) AS late_apology,
       count(*) FILTER (WHERE d.status = 'stopped' AND d.ended_at >= %(start)s
                        AND d.ended_at < %(end)s) AS stopped,
       count(*) FILTER (WHERE d.status = 'withdrawn' AND d.ended_at >= %(start)s
                        AND d.ended_at < %(end)s) AS withdrawn,
       count(*) FILTER (WHERE d.returned_at >= %(start)s AND d.returned_at < %(end)s) AS returned,
       count(*) FILTER (WHERE d.received_at < %(end)s
                        AND (d.ended_at IS NULL OR d.ended_at >= %(end)s)) AS in_progress,
       count(*) FILTER (WHERE d.received_at < %(end)s
                        AND (d.ended_at IS NULL OR d.ended_at >= %(end)s)
                        AND d.due_current < %(end)s) AS overdue,
       sum(extract(epoch FROM d.resolved_at - d.received_at))
           FILTER (WHERE d.resolved_at >= %(start)s AND d.resolved_at < %(end)s) AS seconds
FROM dossiers_dossier d
GROUP BY 1, 2, 3, 4
"""


#: Fixed parameters of the lookup query (inherited by the forked client processes).
LOOKUP_FIXED: dict[str, object] = {}


def _lookup_client(conn_params, sql, codes, count, seed, barrier, results):  # type: ignore[no-untyped-def]
    """One client process: its own connection, ``count`` lookups of random codes."""
    import psycopg

    rng = random.Random(seed)
    mine = []
    with psycopg.connect(**conn_params) as conn, conn.cursor() as cur:
        cur.execute(sql, {**LOOKUP_FIXED, "code": codes[0]})
        cur.fetchall()
        barrier.wait()
        for _ in range(count):
            started = time.perf_counter()
            cur.execute(sql, {**LOOKUP_FIXED, "code": rng.choice(codes)})
            cur.fetchall()
            mine.append((time.perf_counter() - started) * 1000)
    results.put(mine)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(run, repeat: int) -> float:  # type: ignore[no-untyped-def]
    run()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 dossiers")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--verify", action="store_true", help="also time a full verify")
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    size = 20_000 if args.quick else args.dossiers
    url = os.environ.get("DATABASE_URL") or DEFAULT_PG
    if not url.startswith("postgres"):
        raise SystemExit("bench_stats needs PostgreSQL (DATABASE_URL=postgres://…)")
    if reason := postgres_unreachable(url):
        print(f"bench_stats: PostgreSQL is not reachable ({reason}); skipped")
        print(json.dumps({"stats_database": "unavailable"}))
        return
    existing = 0
    if args.reuse:
        setup_django(url, fresh=False)
        from motcua.dossiers.models import Dossier

        existing = Dossier.objects.count()
    else:
        setup_django(url, fresh=True)
    from django.db import connection

    from motcua.core.clock import today
    from motcua.core.models import User
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.selectors import lookup_by_code
    from motcua.reports import rollups
    from motcua.reports.periods import preset
    from motcua.reports.selectors import coverage_for, dashboard, procedure_rows
    from motcua.reports.synthetic import generate, stderr_progress

    generator_per_s = None
    rebuild_s = None
    if existing < size:
        made = generate(size - existing, progress=stderr_progress)
        generator_per_s = round(made.per_second)
        print(
            f"generator: {made.dossiers:,} dossiers, {made.transitions:,} transitions in "
            f"{made.seconds:.1f} s = {made.per_second:,.0f} dossiers/s (target >= 20,000)"
        )
        started = time.perf_counter()
        rollups.rebuild()
        rebuild_s = round(time.perf_counter() - started, 1)
        print(f"rollups recounted from the log in {rebuild_s} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    dossiers = Dossier.objects.count()

    supervisor = User.objects.get(username="giamsat.tinh")
    on = today()
    period = preset("last_12_months", today=on)
    coverage = coverage_for(supervisor, on, None)
    repeat = 5 if size <= 100_000 else 3
    # The figures the naive query computes too (totals, months, channels, units); the procedure
    # table is timed apart.
    rollup_ms = timed(lambda: dashboard(period, coverage, procedures=0), repeat * 2)
    procedures_ms = timed(lambda: procedure_rows(period, coverage.ids, 15), repeat)
    params = {"start": period.start, "end": period.end}

    def naive() -> None:
        with connection.cursor() as cursor:
            cursor.execute(NAIVE_SQL, params)
            cursor.fetchall()

    naive_ms = timed(naive, repeat)
    figures = dashboard(period, coverage).totals
    print(
        f"dashboard (12 months, province): rollups {rollup_ms:.1f} ms, naive scan "
        f"{naive_ms:.1f} ms → {naive_ms / rollup_ms:.0f}× (targets <= 100 ms at 1M, >= 50×); "
        f"received {figures.received:,}, resolved {figures.resolved:,}; procedure table "
        f"{procedures_ms:.1f} ms"
    )

    # Lookup by code, 32 client processes with their own connections.
    codes = list(Dossier.objects.order_by("?").values_list("code", flat=True)[:5000])
    lookup = lookup_by_code(supervisor).filter(code="X")[:1]
    query, _params = lookup.query.sql_with_params()
    # The selector's own SQL, its fixed parameters kept, the code as the one that varies.
    parts = query.split("%s")
    sql, fixed = parts[0], {}
    for index, (value, part) in enumerate(zip(_params, parts[1:], strict=True)):
        name = "code" if value == "X" else f"p{index}"
        if name != "code":
            fixed[name] = str(value) if isinstance(value, str) else value
        sql += f"%({name})s" + part
    if "%(code)s" not in sql:
        raise SystemExit(f"unexpected lookup query parameters {_params}")
    LOOKUP_FIXED.update(fixed)
    conn_params = {
        k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"
    }
    per_client = 300 if size > 100_000 else 100
    connection.close()  # no shared socket across fork
    context = multiprocessing.get_context("fork")

    def run_clients(query: str) -> tuple[list[float], float]:
        barrier = context.Barrier(args.clients)
        results = context.Queue()
        workers = [
            context.Process(
                target=_lookup_client,
                args=(conn_params, query, codes, per_client, i, barrier, results),
            )
            for i in range(args.clients)
        ]
        wall = time.perf_counter()
        for worker in workers:
            worker.start()
        samples: list[float] = []
        for _ in workers:
            samples.extend(results.get())
        for worker in workers:
            worker.join()
        return samples, time.perf_counter() - wall

    # A discarded warm-up round first (same clients, same 5,000 dossiers): the first round after
    # start-up pays for cold pages, new processes and plans — measured, it doubled the p99 of
    # whichever query ran first. The figures are for rows in memory, as a lookup of a recent
    # dossier usually is; a cold read costs what the disk costs.
    run_clients(sql)
    latencies, wall = run_clients(sql)
    light, light_wall = run_clients(
        "SELECT id, code, status, received_at, due_current FROM dossiers_dossier "
        "WHERE code = %(code)s"
    )
    light_p50, light_p99 = statistics.median(light), percentile(light, 0.99)
    p50, p99 = statistics.median(latencies), percentile(latencies, 0.99)
    print(
        f"lookup by code, {args.clients} clients: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
        f"{len(latencies) / wall:,.0f} lookups/s (target p99 <= 20 ms; the query of "
        "dossiers.selectors.dossier_by_code: scope filter, one indexed row; names from the "
        "per-process reference memo)"
    )
    print(
        f"lookup by code, dossier row only: p50 {light_p50:.2f} ms, p99 {light_p99:.2f} ms, "
        f"{len(light) / light_wall:,.0f} lookups/s"
    )

    tables = [
        "dossiers_dossier",
        "dossiers_dossiertransition",
        "dossiers_dossierpause",
        "reports_dailyrollup",
        "reports_dailyagencyrollup",
        "reports_monthlyrollup",
        "reports_monthlyagencyrollup",
        "reports_rollupcursor",
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_total_relation_size(t::regclass)) FROM unnest(%s::text[]) AS t",
            [tables],
        )
        total = int(cursor.fetchone()[0])
        cursor.execute(
            "SELECT pg_total_relation_size('dossiers_dossier'), "
            "pg_total_relation_size('dossiers_dossiertransition')"
        )
        d_bytes, t_bytes = cursor.fetchone()
    bytes_per_dossier = total / dossiers
    print(
        f"database: {total / 2**20:,.0f} MiB for {dossiers:,} dossiers = "
        f"{bytes_per_dossier:,.0f} bytes per dossier (dossiers {d_bytes / dossiers:,.0f}, "
        f"history {t_bytes / dossiers:,.0f}; target <= 4,096)"
    )
    verify_s = None
    if args.verify:
        started = time.perf_counter()
        result = rollups.verify()
        verify_s = round(time.perf_counter() - started, 1)
        print(f"verify: {'ok' if result.ok else 'MISMATCH'} in {verify_s} s")
    print(
        json.dumps(
            {
                "dossiers": dossiers,
                "rollup_ms": round(rollup_ms, 2),
                "naive_ms": round(naive_ms, 1),
                "rollup_speedup": round(naive_ms / rollup_ms, 1),
                "procedures_ms": round(procedures_ms, 1),
                "lookup_p50_ms": round(p50, 2),
                "lookup_p99_ms": round(p99, 2),
                "lookup_row_p50_ms": round(light_p50, 2),
                "lookup_row_p99_ms": round(light_p99, 2),
                "generator_per_s": generator_per_s,
                "bytes_per_dossier": round(bytes_per_dossier),
                "rollup_rebuild_s": rebuild_s,
                "rollup_verify_s": verify_s,
            }
        )
    )


if __name__ == "__main__":
    main()
