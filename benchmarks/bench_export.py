"""Exporting the dossiers behind a figure, CSV and Excel, for the whole province (PostgreSQL).

Runs what ``/can-bo/thong-ke/ho-so.csv`` and ``ho-so.xlsx`` run — ``reports.selectors.
every_dossier_behind`` (keyset pages of candidates, each history replayed with the statistics'
rules) into ``reports.exports.dossiers_csv_lines`` / ``dossiers_xlsx_chunks`` — as the province
supervisor, and reads the stream to the end like a browser would. Prints rows, bytes, rows/s, the
time to the first bytes and the process's peak memory before and after each export (resident set,
``getrusage``); ``--tracemalloc`` runs each export once more under ``tracemalloc`` (slower) for the
peak of Python allocations. Last line JSON.

``--reuse`` reads an existing database (made by ``generate_dossiers.py`` or ``bench_stats.py``)
and writes nothing; otherwise the database named in ``DATABASE_URL`` (default
``motcua_export``) is recreated with ``--dossiers`` synthetic dossiers (``--quick``: 20,000).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_export \\
        python benchmarks/bench_export.py --reuse [--metric received] [--preset last_12_months]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from generate_dossiers import synthetic_database  # type: ignore[import-not-found]

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/motcua_export"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def consume(chunks: Iterator[str] | Iterator[bytes]) -> tuple[int, float]:
    """Read a stream to its end: (bytes, seconds to the first non-empty piece after the BOM)."""
    started = time.perf_counter()
    first: float | None = None
    size = 0
    for piece in chunks:
        data = piece.encode() if isinstance(piece, str) else piece
        size += len(data)
        if first is None and size > 4096:
            first = time.perf_counter() - started
    return size, first if first is not None else time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reuse", action="store_true", help="read an existing database")
    parser.add_argument("--dossiers", type=int, default=20_000)
    parser.add_argument("--quick", action="store_true", help="20,000 dossiers")
    parser.add_argument("--metric", default="received", help="figures, comma-separated")
    parser.add_argument("--preset", default="last_12_months", help="a period preset")
    parser.add_argument("--first", help="YYYY-MM-DD (with --last, instead of --preset)")
    parser.add_argument("--last", help="YYYY-MM-DD")
    parser.add_argument("--tracemalloc", action="store_true", help="also the Python heap peak")
    args = parser.parse_args()
    size = 20_000 if args.quick else args.dossiers
    if not synthetic_database("export", DEFAULT_PG, reuse=args.reuse, dossiers=size):
        return
    from django.db.models import Count
    from django.utils import translation

    from motcua.core.clock import today
    from motcua.core.models import User
    from motcua.dossiers.models import Dossier
    from motcua.reports import exports
    from motcua.reports.periods import make_period, preset
    from motcua.reports.selectors import (
        _drill_candidates,
        coverage_for,
        every_dossier_behind,
        figure_count,
    )

    translation.activate("vi")
    supervisor = User.objects.get(username="giamsat.tinh")
    on = today()
    if args.first and args.last:
        first, last = dt.date.fromisoformat(args.first), dt.date.fromisoformat(args.last)
        period = make_period(first, last, today=on)
    else:
        period = preset(args.preset, today=on)
    coverage = coverage_for(supervisor, on, None)
    metrics = args.metric.split(",")
    total = Dossier.objects.aggregate(n=Count("pk"))["n"]
    candidates = _drill_candidates(supervisor, period, coverage).count()
    figure = figure_count(period, coverage, metrics)
    listing = exports.dossier_list(period, coverage, metrics)
    print(
        f"{total:,} dossiers in the database; {coverage.agency.name}, {period.first:%d/%m/%Y}–"
        f"{period.last:%d/%m/%Y}, figure {args.metric} = {figure:,}; {candidates:,} candidates"
    )
    result: dict[str, object] = {
        "export_dossiers_in_db": total,
        "export_candidates": candidates,
        "export_figure": figure,
    }
    baseline = peak_mb()
    for kind in ("csv", "xlsx"):
        counted: list[int] = []

        def rows(counted: list[int] = counted) -> Iterator[object]:
            for row in every_dossier_behind(supervisor, period, coverage, metrics):
                counted.append(1)
                yield row

        make = exports.dossiers_csv_lines if kind == "csv" else exports.dossiers_xlsx_chunks
        started = time.perf_counter()
        size, first_bytes = consume(make(listing, rows()))  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
        n = len(counted)
        print(
            f"{kind}: {n:,} rows, {size / 1e6:.1f} MB in {seconds:.1f} s = {n / seconds:,.0f} "
            f"rows/s ({candidates / seconds:,.0f} candidates replayed/s), first bytes after "
            f"{first_bytes:.2f} s; peak RSS {baseline:.0f} → {peak_mb():.0f} MB"
        )
        result |= {
            f"{kind}_rows": n,
            f"{kind}_mb": round(size / 1e6, 1),
            f"{kind}_s": round(seconds, 1),
            f"{kind}_rows_per_s": round(n / seconds),
            f"{kind}_candidates_per_s": round(candidates / seconds),
            f"{kind}_first_bytes_s": round(first_bytes, 2),
            f"{kind}_peak_rss_mb": round(peak_mb()),
        }
    result["rss_before_mb"] = round(baseline)
    if args.tracemalloc:
        for kind in ("csv", "xlsx"):
            make = exports.dossiers_csv_lines if kind == "csv" else exports.dossiers_xlsx_chunks
            tracemalloc.start()
            consume(make(listing, every_dossier_behind(supervisor, period, coverage, metrics)))
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"{kind}: peak of Python allocations during the export {peak / 2**20:.1f} MiB")
            result[f"{kind}_tracemalloc_peak_mib"] = round(peak / 2**20, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
