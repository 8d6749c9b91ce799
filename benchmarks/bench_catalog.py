"""Procedure catalogue: import rate and search latency (embedded SQLite, or DATABASE_URL).

Imports the national sample (``../shared/data/procedures-sample.json``; the bundled demo catalogue
when the sample is absent), cloned with new codes up to ``--procedures`` records, publishing every
version; then imports the same records again (all "unchanged"). Then times the search selector
(server side, no HTTP) over a mix of real queries — with and without diacritics, code prefixes,
unfinished words — and the catalogue page (ranked list + count). Prints readable figures and, as
the last line, one JSON object.

    python benchmarks/bench_catalog.py [--procedures 5000] [--queries 400] [--quick]
    DATABASE_URL=postgres://… python benchmarks/bench_catalog.py --keep-database   # PostgreSQL
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SAMPLE = ROOT.parent / "shared" / "data" / "procedures-sample.json"

QUERIES = [
    "dang ky khai sinh",
    "Đăng ký khai sinh",
    "khai tu",
    "đăng ký kết hôn",
    "xac nhan tinh trang hon nhan",
    "thuong tru",
    "tạm trú",
    "ho kinh doanh",
    "ly lich tu phap",
    "chung thuc ban sao",
    "cap ban sao trich luc",
    "giay phep lai xe",
    "giấy phép xây dựng",
    "dat dai",
    "cấp giấy chứng nhận quyền sử dụng đất",
    "can cuoc",
    "thue",
    "hai quan",
    "1.001193",
    "1.0011",
    "2.000",
    "dang ky doanh nghiep",
    "giay phep",
    "cap lai",
    "dang ky khai si",
    "thu tuc",
    "nuoi con nuoi",
    "phong chay chua chay",
    "zzz khong co",
    "bao hiem xa hoi",
    "thủ tục đăng ký thành lập hộ kinh doanh",
    "Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV",
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def load_records(count: int) -> tuple[list[dict[str, Any]], str]:
    if SAMPLE.is_file():
        source, name = SAMPLE, "shared sample"
    else:
        source, name = ROOT / "src/motcua/catalog/fixtures/procedures-demo.json", "demo fixture"
    base = json.loads(source.read_text(encoding="utf-8"))["procedures"]
    records = [copy.deepcopy(r) for r in base[:count]]
    clone = 0
    while len(records) < count:
        record = copy.deepcopy(base[clone % len(base)])
        # Clones get codes no real procedure uses (leading digit 8), keeping text and structure.
        record["code"] = f"8.{clone:06d}"
        records.append(record)
        clone += 1
    return records, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--procedures", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--quick", action="store_true", help="600 procedures, 150 queries")
    parser.add_argument(
        "--keep-database",
        action="store_true",
        help="use DATABASE_URL as given (PostgreSQL); default: a temporary SQLite file",
    )
    args = parser.parse_args()
    count, queries = (600, 150) if args.quick else (args.procedures, args.queries)

    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-")
    if not args.keep_database:
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from motcua.catalog.models import Procedure
    from motcua.catalog.selectors import catalogue_page, search_procedures
    from motcua.catalog.services import import_records

    call_command("migrate", verbosity=0)
    if args.keep_database and Procedure.objects.exists():
        raise SystemExit("the database already holds procedures; give an empty one")
    database = connection.vendor
    records, source = load_records(count)
    rows = [(f"record {n}", r) for n, r in enumerate(records, start=1)]

    start = time.perf_counter()
    report = import_records(rows, publish_from=dt.date(2025, 7, 1))
    import_seconds = time.perf_counter() - start
    assert not report.rejected, report.rejected[:3]
    start = time.perf_counter()
    again = import_records(rows, publish_from=dt.date(2025, 7, 1))
    reimport_seconds = time.perf_counter() - start
    assert again.unchanged == count, again.summary()
    print(f"{count} procedures ({source}) on {database}")
    print(f"import     {import_seconds:6.2f} s  = {count / import_seconds:7.0f} procedures/s")
    print(f"re-import  {reimport_seconds:6.2f} s  = {count / reimport_seconds:7.0f} procedures/s")

    for q in QUERIES:  # warm-up: caches, prepared plans
        search_procedures(q)
    samples: list[float] = []
    for n in range(queries):
        q = QUERIES[n % len(QUERIES)]
        start = time.perf_counter()
        search_procedures(q, limit=20)
        samples.append((time.perf_counter() - start) * 1000)
    pages: list[float] = []
    for n in range(queries // 3):
        q = QUERIES[n % len(QUERIES)]
        start = time.perf_counter()
        catalogue_page(q, page=1 + n % 3)
        pages.append((time.perf_counter() - start) * 1000)
    p50, p95, worst = statistics.median(samples), percentile(samples, 0.95), max(samples)
    print(f"search     p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   max {worst:6.2f} ms", end="")
    print(f"   ({queries} queries)")
    page_p50, page_p95 = statistics.median(pages), percentile(pages, 0.95)
    print(f"page       p50 {page_p50:6.2f} ms   p95 {page_p95:6.2f} ms (ranked list + count)")
    figures = {
        "procedures": count,
        "catalog_database": database,
        "import_per_s": round(count / import_seconds, 1),
        "reimport_per_s": round(count / reimport_seconds, 1),
        "search_p50_ms": round(p50, 2),
        "search_p95_ms": round(p95, 2),
        "catalog_page_p95_ms": round(page_p95, 2),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
