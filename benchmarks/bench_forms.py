"""Render time of the official forms (WeasyPrint, shipped fonts) on the demo province.

Receives one dossier at phường Rạch Giá through the real services, then renders its receipt
(Mẫu 01, A5) ``--renders`` times after one warm-up render (the first render of a process loads
the fonts; it is reported apart as ``receipt_pdf_cold_ms``). Also times building the HTML alone
and one dossier register of ``--register-rows`` rows (A4 landscape). Prints p50/p95 in
milliseconds and, last, one JSON line.

    python benchmarks/bench_forms.py [--renders 50] [--register-rows 500] [--quick]
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
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--register-rows", type=int, default=500)
    parser.add_argument("--quick", action="store_true", help="20 renders, a 100-row register")
    args = parser.parse_args()
    renders = 20 if args.quick else args.renders
    register_rows = 100 if args.quick else args.register_rows

    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command

    from motcua.calendars.engine import VN_TZ
    from motcua.config.demo.loader import load_demo
    from motcua.core.models import User
    from motcua.documents import forms
    from motcua.dossiers import printing, services
    from motcua.dossiers.models import Channel, Dossier
    from motcua.dossiers.tests.factories import PROCEDURE, ensure_procedure
    from motcua.organizations.models import Agency

    call_command("migrate", verbosity=0)
    load_demo(procedures=False)
    ensure_procedure()
    officer = User.objects.get(username="tiepnhan.rachgia")
    office = Agency.objects.get(code="000.01.31.H01")
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=VN_TZ)

    def receive(i: int) -> Dossier:
        return services.receive_dossier(
            services.DossierInput(
                procedure_code=PROCEDURE,
                receiving_office=office,
                channel=Channel.COUNTER,
                applicant_name=f"Nguyễn Văn Thử {i}",
                applicant_id_number="091186001234",
                applicant_phone="0901000001",
                applicant_address="Số 12 đường Nguyễn Trung Trực, phường Rạch Giá, tỉnh An Giang",
                subject="Đăng ký thử nghiệm",
            ),
            officer,
            at=start + dt.timedelta(minutes=i % 480),
        )

    dossier = receive(0)
    printed = printing.printed_form(dossier, printing.FormKind.RECEIPT)

    cold_start = time.perf_counter()
    first = forms.render_form(printed)
    cold = (time.perf_counter() - cold_start) * 1000
    assert first.startswith(b"%PDF")

    html_samples, pdf_samples = [], []
    for _ in range(renders):
        t0 = time.perf_counter()
        html = forms.form_html(printed)
        t1 = time.perf_counter()
        pdf = forms.html_to_pdf(html)
        t2 = time.perf_counter()
        assert pdf.startswith(b"%PDF")
        html_samples.append((t1 - t0) * 1000)
        pdf_samples.append((t2 - t0) * 1000)

    for i in range(1, register_rows):
        receive(i)
    t0 = time.perf_counter()
    _name, register = printing.register_pdf(
        officer, office, dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    )
    register_ms = (time.perf_counter() - t0) * 1000
    assert register.startswith(b"%PDF")

    p50, p95 = statistics.median(pdf_samples), percentile(pdf_samples, 0.95)
    html_p50 = statistics.median(html_samples)
    print(f"receipt PDF (A5)   cold {cold:7.1f} ms")
    print(f"receipt PDF (A5)   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({renders} renders)")
    print(f"receipt HTML only  p50 {html_p50:7.1f} ms")
    print(f"register, {register_rows} rows  {register_ms:9.1f} ms  ({len(register):,} bytes)")
    print(
        json.dumps(
            {
                "receipt_pdf_ms": round(p50, 1),
                "receipt_pdf_p95_ms": round(p95, 1),
                "receipt_pdf_cold_ms": round(cold, 1),
                "receipt_html_ms": round(html_p50, 2),
                "register_rows": register_rows,
                "register_pdf_ms": round(register_ms, 1),
                "form_renders": renders,
            }
        )
    )


if __name__ == "__main__":
    main()
