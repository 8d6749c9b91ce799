"""Server time of the main pages on the demo province (embedded SQLite, real middleware).

Measures, in one process, the time Django takes to answer the portal home, the staff sign-in page
and the staff inbox (signed in), over ``--requests`` requests each after a warm-up; prints p50/p95
in milliseconds, and a final JSON line.

    python benchmarks/bench_pages.py [--requests 300] [--quick]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="100 requests per page")
    args = parser.parse_args()
    count = 100 if args.quick else args.requests

    data_dir = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ["MOTCUA_DATA_DIR"] = data_dir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from motcua.config.demo.loader import load_demo
    from motcua.core.models import User

    call_command("migrate", verbosity=0)
    load_demo()
    anonymous = Client()
    officer = Client()
    officer.force_login(User.objects.get(username="tiepnhan.tinh"))

    pages = {
        "home": (anonymous, "/"),
        "login": (anonymous, "/can-bo/dang-nhap/"),
        "inbox": (officer, "/can-bo/"),
    }
    figures: dict[str, float | int | str] = {"pages_requests": count, "pages_database": "sqlite"}
    for name, (client, url) in pages.items():
        for _ in range(10):
            assert client.get(url).status_code == 200
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        p50, p95 = statistics.median(samples), percentile(samples, 0.95)
        print(f"{name:<6} {url:<22} p50 {p50:6.2f} ms   p95 {p95:6.2f} ms")
        figures[f"{name}_p50_ms"] = round(p50, 2)
        figures[f"{name}_p95_ms"] = round(p95, 2)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
