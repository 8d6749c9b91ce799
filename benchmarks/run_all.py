"""Run every benchmark under benchmarks/ at its quick size; print one merged JSON line last.

Each ``bench_*.py`` is a standalone script that prints readable figures and, as its final line,
one JSON object of its figures; sizes are flags. ``make bench`` runs them all with ``--quick``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    merged: dict[str, object] = {}
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name} --quick", flush=True)
        proc = subprocess.run(  # noqa: S603 - our own scripts
            [sys.executable, str(script), "--quick"],
            capture_output=True,
            text=True,
            check=False,
        )
        sys.stdout.write(proc.stdout)
        sys.stderr.write(proc.stderr)
        lines = [line for line in proc.stdout.splitlines() if line.strip()]
        if proc.returncode != 0 or not lines:
            failed.append(script.name)
            continue
        figures = json.loads(lines[-1])
        clash = set(figures) & set(merged)
        if clash:
            raise SystemExit(f"{script.name} repeats figure names {sorted(clash)}")
        merged.update(figures)
    if failed:
        merged["failed"] = failed
    print(json.dumps(merged, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
