"""The TT 01/2018 evaluation of the whole province for one quarter (PostgreSQL).

Prints the dossiers evaluated, the time of ``reports.evaluation.evaluate_agency`` and the
process's peak memory; last line JSON. ``--reuse`` reads an existing database made by
``bench_stats.py`` (e.g. the 10M-dossier one) and writes nothing; otherwise the database named in
``DATABASE_URL`` (default ``motcua_evaluation``) is recreated with ``--dossiers`` synthetic
dossiers (``--quick``: 20,000, what ``make bench`` runs).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_stats10m \\
        python benchmarks/bench_evaluation.py --reuse [--year 2026] [--quarter 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from generate_dossiers import synthetic_database  # type: ignore[import-not-found]

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/motcua_evaluation"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--year", type=int, help="default: the last complete quarter's")
    parser.add_argument("--quarter", type=int, help="default: the last complete quarter")
    parser.add_argument("--reuse", action="store_true", help="read an existing database")
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="20,000 dossiers")
    args = parser.parse_args()
    size = 20_000 if args.quick else args.dossiers
    if not synthetic_database("evaluation", DEFAULT_PG, reuse=args.reuse, dossiers=size):
        return
    from motcua.core.clock import today
    from motcua.core.models import User
    from motcua.reports.evaluation import evaluate_agency, evaluated_dossiers, evaluation_period
    from motcua.reports.selectors import coverage_for

    supervisor = User.objects.get(username="giamsat.tinh")
    on = today()
    last = (on.year * 4 + (on.month - 1) // 3) - 1  # the last complete quarter, counted from 0
    year, quarter = args.year or last // 4, args.quarter or last % 4 + 1
    coverage = coverage_for(supervisor, on, None)
    period = evaluation_period(year, quarter, today=on)
    dossiers = evaluated_dossiers(period, coverage).count()
    started = time.perf_counter()
    report = evaluate_agency(period, coverage)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"TT 01/2018 evaluation, province, {year} Q{quarter}: {dossiers:,} dossiers in "
        f"{seconds:.1f} s, peak memory {peak_mb} MB"
    )
    print(
        json.dumps(
            {
                "evaluation_dossiers": dossiers,
                "evaluation_s": round(seconds, 1),
                "evaluation_peak_mb": peak_mb,
                "evaluation_total": str(report.evaluation.total),
            }
        )
    )


if __name__ == "__main__":
    main()
