"""Digital signatures of results: PAdES signing and checking per second (pyHanko, RSA-2048).

Signs a result PDF for one agency with the demo CA (the installation's ``configured_signer``, in a
temporary data folder, no database) ``--signs`` times, then checks the signed file ``--verifies``
times (integrity, chain to the trusted root, coverage — what the portal and the public check page
do). The first signature of a process also generates the demo CA and the agency's key; it is
reported apart as ``sign_cold_ms``. Prints p50/p95 in milliseconds, operations per second and, last,
one JSON line.

    python benchmarks/bench_signing.py [--signs 200] [--verifies 200] [--pages 2] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
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
    parser.add_argument("--signs", type=int, default=200)
    parser.add_argument("--verifies", type=int, default=200)
    parser.add_argument("--pages", type=int, default=2, help="pages of the result PDF")
    parser.add_argument("--quick", action="store_true", help="20 signatures, 20 checks")
    args = parser.parse_args()
    signs = 20 if args.quick else args.signs
    verifies = 20 if args.quick else args.verifies

    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("MOTCUA_ENV", None)  # development: the demo CA signs
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()

    from motcua.documents.models import SignatureStatus
    from motcua.documents.signing import configured_signer
    from motcua.documents.tests.pdfs import simple_pdf
    from motcua.organizations.models import Agency, AgencyKind, AgencyLevel

    agency = Agency(
        code="000.00.12.H01",
        name="Sở Tư pháp tỉnh An Giang",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.PROVINCE,
        valid_from=dt.date(2025, 7, 1),
    )
    signer = configured_signer()
    original = simple_pdf(pages=args.pages)
    reason = "Kết quả giải quyết thủ tục hành chính, mã BENCH-KQ1"

    t0 = time.perf_counter()
    signed = signer.sign_pdf(original, agency=agency, reason=reason)
    cold = (time.perf_counter() - t0) * 1000

    sign_samples = []
    for _ in range(signs):
        t0 = time.perf_counter()
        signed = signer.sign_pdf(original, agency=agency, reason=reason)
        sign_samples.append((time.perf_counter() - t0) * 1000)

    verify_samples = []
    for _ in range(verifies):
        t0 = time.perf_counter()
        report = signer.verify_pdf(signed)
        verify_samples.append((time.perf_counter() - t0) * 1000)
        assert report.status == SignatureStatus.VALID, report

    sign_p50, sign_p95 = statistics.median(sign_samples), percentile(sign_samples, 0.95)
    verify_p50, verify_p95 = statistics.median(verify_samples), percentile(verify_samples, 0.95)
    sign_rate = len(sign_samples) / (sum(sign_samples) / 1000)
    verify_rate = len(verify_samples) / (sum(verify_samples) / 1000)
    overhead = len(signed) - len(original)
    print(f"first signature (demo CA + agency key generated)  {cold:8.1f} ms")
    print(
        f"sign    p50 {sign_p50:6.1f} ms  p95 {sign_p95:6.1f} ms  {sign_rate:6.1f}/s  "
        f"({signs} signatures)"
    )
    print(
        f"verify  p50 {verify_p50:6.1f} ms  p95 {verify_p95:6.1f} ms  {verify_rate:6.1f}/s  "
        f"({verifies} checks)"
    )
    print(f"PDF {len(original):,} bytes, {args.pages} pages; the signature adds {overhead:,} bytes")
    print(
        json.dumps(
            {
                "sign_ms": round(sign_p50, 1),
                "sign_p95_ms": round(sign_p95, 1),
                "sign_per_s": round(sign_rate, 1),
                "sign_cold_ms": round(cold, 1),
                "verify_ms": round(verify_p50, 1),
                "verify_p95_ms": round(verify_p95, 1),
                "verify_per_s": round(verify_rate, 1),
                "signature_bytes": overhead,
                "signs": signs,
                "verifies": verifies,
            }
        )
    )


if __name__ == "__main__":
    main()
