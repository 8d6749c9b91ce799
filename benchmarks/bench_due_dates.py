"""Benchmark: due dates per second of the compiled working-time engine vs a naive day-by-day loop.

All paths run in one process on the same random cases (receipts 2025–2027 at whole minutes,
random amounts and units), on one core:

- vectorised: ``CompiledCalendar.add_array`` (NumPy) on all cases in one call (the median of
  three calls; the slowest is reported too). Its inputs are
  int64 epoch seconds, float amounts and small-int unit codes — how a recompute job reads open
  dossiers from the database (§9.4) — and its output is int64 epoch seconds; no Python datetime
  is built. This is the headline figure ``due_dates_per_s``.
- scalar: ``add`` once per case, aware datetimes in and out (the single-call API).
- batch: ``add_many`` over the same datetimes (the scalar loop with its look-ups hoisted).
- naive: a day-by-day, period-by-period walk checking ``date in holidays.VN(...)`` and the
  weekday, as a straightforward implementation would; timed on a subset (``--naive-cases``).

Inputs are generated as arrays outside the timings; the Python datetimes of the scalar paths are
made from them chunk by chunk, also outside the timings. Agreement is checked on every case: the
vectorised results must equal the scalar ones (and ``add_many`` the scalar ones); the naive loop
over the engine's own day set (same days off and make-up days) must give the same instants as
the engine on the naive subset. Agreement with the raw ``holidays.VN`` model is printed for
information (it misses the decreed swaps and Tết blocks, which is why MotCua keeps an override
table).

The last line of output is one JSON object with all figures.

    python benchmarks/bench_due_dates.py                 # 1,000,000 cases
    python benchmarks/bench_due_dates.py --quick         # 100,000 cases (make bench)
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import sys
import time as clock
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

import holidays
import numpy as np
from numpy.typing import NDArray

from motcua.calendars.engine import (
    UNIT_CODES,
    VN_TZ,
    CompiledCalendar,
    Unit,
    compile_calendar,
)
from motcua.calendars.schedule_vn import national_calendar_spec

type Case = tuple[datetime, int | float, str]

BASE = datetime(2025, 1, 1, tzinfo=VN_TZ)
SPAN_MINUTES = (date(2028, 1, 1) - date(2025, 1, 1)).days * 1440
UNIT_WEIGHTS = (
    (Unit.WORKING_DAYS, 50, (0.5, 1, 2, 3, 5, 7, 10, 15, 20, 30)),
    (Unit.WORKING_HOURS, 20, (1, 2, 4, 8, 16, 24, 40)),
    (Unit.CALENDAR_DAYS, 15, (5, 7, 10, 15, 20, 30, 45, 60)),
    (Unit.MONTHS, 5, (1, 2, 3, 6)),
    (Unit.SAME_DAY, 10, (0,)),
)
PERIODS = ((time(7), time(11, 30)), (time(13, 30), time(17)))
CUTOFF = time(15)
UNITS_BY_CODE = {code: unit for unit, code in UNIT_CODES.items()}


class Cases:
    """Random cases as arrays: epoch seconds (UTC), amounts (float64), unit codes (int8)."""

    def __init__(self, seed: int, n: int) -> None:
        rng = np.random.default_rng(seed)
        weights = np.array([w for _, w, _ in UNIT_WEIGHTS], dtype=np.float64)
        which = rng.choice(len(UNIT_WEIGHTS), size=n, p=weights / weights.sum())
        self.amounts = np.zeros(n, dtype=np.float64)
        self.units = np.zeros(n, dtype=np.int8)
        for k, (unit, _, amounts) in enumerate(UNIT_WEIGHTS):
            chosen = which == k
            self.units[chosen] = UNIT_CODES[unit]
            self.amounts[chosen] = rng.choice(np.array(amounts), size=int(chosen.sum()))
        minutes = rng.integers(0, SPAN_MINUTES, size=n, dtype=np.int64)
        self.received = int(BASE.timestamp()) + minutes * 60

    def __len__(self) -> int:
        return len(self.received)

    def python(self, start: int, stop: int) -> list[Case]:
        """Cases ``start:stop`` as (aware datetime, int or float, unit) for the scalar paths."""
        out: list[Case] = []
        for seconds, amount, code in zip(
            self.received[start:stop].tolist(),
            self.amounts[start:stop].tolist(),
            self.units[start:stop].tolist(),
            strict=True,
        ):
            received = BASE + timedelta(seconds=seconds - int(BASE.timestamp()))
            value = int(amount) if amount.is_integer() else amount
            out.append((received, value, UNITS_BY_CODE[code].value))
        return out

    def chunks(self, size: int = 100_000) -> Iterator[tuple[int, list[Case]]]:
        for start in range(0, len(self), size):
            yield start, self.python(start, min(start + size, len(self)))


def epoch_seconds(dues: list[datetime]) -> NDArray[np.int64]:
    return np.array([int(d.timestamp()) for d in dues], dtype=np.int64)


# --- the naive baseline ----------------------------------------------------------------------


def naive_walk(is_working: Callable[[date], bool], start: datetime, minutes: int) -> datetime:
    """Walk period by period, day by day, consuming ``minutes`` of office time."""
    t = start
    day = t.date()
    remaining = minutes
    while True:
        if is_working(day):
            for s, e in PERIODS:
                ps = datetime.combine(day, s, VN_TZ)
                pe = datetime.combine(day, e, VN_TZ)
                if pe <= t:
                    continue
                cur = max(t, ps)
                available = int((pe - cur).total_seconds()) // 60
                if remaining <= available:
                    return cur + timedelta(minutes=remaining)
                remaining -= available
                t = pe
        day += timedelta(days=1)
        t = datetime.combine(day, time(0), VN_TZ)


def naive_clamp(clock_time: time) -> time:
    if clock_time < PERIODS[0][0]:
        return PERIODS[0][0]
    if PERIODS[0][1] <= clock_time < PERIODS[1][0]:
        return PERIODS[0][1]
    return min(clock_time, PERIODS[1][1])


def naive_due(
    is_working: Callable[[date], bool], start: datetime, amount: float, unit: str
) -> datetime:
    if unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS):
        per = 60 if unit == Unit.WORKING_HOURS else 480
        return naive_walk(is_working, start, round(amount * per))
    if unit == Unit.SAME_DAY:
        t = start
        if is_working(t.date()) and t.time() >= CUTOFF:
            t = datetime.combine(t.date() + timedelta(days=1), time(0), VN_TZ)
        opened = naive_walk(is_working, t, 0)
        return datetime.combine(opened.date(), PERIODS[-1][1], VN_TZ)
    if unit == Unit.CALENDAR_DAYS:
        day = start.date() + timedelta(days=int(amount))
    else:
        months = start.month - 1 + int(amount)
        year, month = start.year + months // 12, months % 12 + 1
        last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        day = date(year, month, min(start.day, last))
    while not is_working(day):
        day += timedelta(days=1)
    return datetime.combine(day, naive_clamp(start.time()), VN_TZ)


def holidays_vn_predicate() -> Callable[[date], bool]:
    """The straightforward model: weekday and ``date in holidays.VN(...)``."""
    vn = holidays.country_holidays("VN", years=range(2024, 2032))

    def is_working(day: date) -> bool:
        return day.weekday() < 5 and day not in vn

    return is_working


def engine_day_set_predicate(cal: CompiledCalendar) -> Callable[[date], bool]:
    """The naive loop over the engine's own day set (same days off and make-up days)."""
    spec = cal.spec

    def is_working(day: date) -> bool:
        if day in spec.make_up_days:
            return True
        return day.weekday() < 5 and day not in spec.days_off

    return is_working


# --- measurement -----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--cases", type=int, default=1_000_000, help="engine cases (1,000,000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (2026)")
    parser.add_argument(
        "--naive-cases", type=int, default=20_000, help="cases timed with the naive loop (20,000)"
    )
    parser.add_argument(
        "--quick",
        "--small",
        action="store_true",
        dest="small",
        help="100,000 engine cases and 5,000 naive (make bench)",
    )
    args = parser.parse_args(argv)
    if args.small:
        args.cases, args.naive_cases = 100_000, 5_000

    spec = national_calendar_spec()
    started = clock.perf_counter()
    cal = compile_calendar(spec, cache=False)
    compile_s = clock.perf_counter() - started
    tracemalloc.start()
    kept = compile_calendar(spec, cache=False)  # keep it alive while measuring
    traced_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    compiled_bytes = cal.memory_bytes()

    cases = Cases(args.seed, args.cases)
    done = len(cases)

    # Vectorised (``add_array``): one call on all cases, arrays in and out. The first call on a
    # calendar derives its NumPy tables; it is timed separately on a few cases.
    started = clock.perf_counter()
    cal.add_array(cases.received[:1000], cases.amounts[:1000], cases.units[:1000])
    first_call_s = clock.perf_counter() - started
    numpy_bytes = cal.numpy_bytes()
    vector_runs = []
    vector_results = np.zeros(0, dtype=np.int64)
    for _ in range(3):
        gc.collect()
        started = clock.perf_counter()
        vector_results = cal.add_array(cases.received, cases.amounts, cases.units)
        vector_runs.append(clock.perf_counter() - started)
    vector_rate = done / statistics.median(vector_runs)
    vector_slowest_rate = done / max(vector_runs)

    # Scalar (``add``) and batch (``add_many``) over the same cases as aware datetimes, made
    # chunk by chunk outside the timings.
    engine_s = batch_s = 0.0
    add = cal.add
    agree_vector = agree_batch = 0
    for start, chunk in cases.chunks():
        gc.collect()
        started = clock.perf_counter()
        scalar_dues = [add(received, amount, unit) for received, amount, unit in chunk]
        engine_s += clock.perf_counter() - started
        gc.collect()
        started = clock.perf_counter()
        batch_dues = cal.add_many(chunk)
        batch_s += clock.perf_counter() - started
        scalar = epoch_seconds(scalar_dues)
        agree_vector += int((vector_results[start : start + len(chunk)] == scalar).sum())
        agree_batch += int((epoch_seconds(batch_dues) == scalar).sum())
    engine_rate = done / engine_s
    batch_rate = done / batch_s

    # The same first cases for the naive loop and the explained path.
    sample = cases.python(0, min(args.naive_cases, done))
    started = clock.perf_counter()
    for received, amount, unit in sample:
        cal.due_date(received, amount, unit)
    explained_rate = len(sample) / (clock.perf_counter() - started)

    naive_vn = holidays_vn_predicate()
    started = clock.perf_counter()
    naive_results = [naive_due(naive_vn, r, a, u) for r, a, u in sample]
    naive_rate = len(sample) / (clock.perf_counter() - started)

    engine_results = [cal.add(r, a, u) for r, a, u in sample]
    same_days = engine_day_set_predicate(cal)
    agree_same = sum(
        naive_due(same_days, r, a, u) == e
        for (r, a, u), e in zip(sample, engine_results, strict=True)
    )
    agree_vn = sum(n == e for n, e in zip(naive_results, engine_results, strict=True))
    in_2028_plus = sum(e.year >= 2028 for e in engine_results)

    path = "add_array (NumPy): int64 epoch seconds in and out, one call on all cases"
    figures = {
        "cases": done,
        "naive_cases": len(sample),
        "due_dates_per_s": round(vector_rate),
        "due_dates_path": path,
        "vectorised_slowest_due_dates_per_s": round(vector_slowest_rate),
        "scalar_due_dates_per_s": round(engine_rate),
        "batch_due_dates_per_s": round(batch_rate),
        "explained_due_dates_per_s": round(explained_rate),
        "naive_per_s": round(naive_rate),
        "speedup_vs_naive": round(vector_rate / naive_rate, 1),
        "scalar_speedup_vs_naive": round(engine_rate / naive_rate, 1),
        "speedup_vs_naive_batch": round(batch_rate / naive_rate, 1),
        "compiled_calendar_bytes": compiled_bytes,
        "numpy_tables_bytes": numpy_bytes,
        "compile_tracemalloc_bytes": traced_bytes,
        "compile_s": round(compile_s, 4),
        "numpy_first_call_s": round(first_call_s, 4),
        "calendar_years": f"{cal.first_date.year}-{cal.last_date.year}",
        "agreement_vectorised_scalar": agree_vector,
        "agreement_batch_scalar": agree_batch,
        "agreement_same_day_set": agree_same,
        "agreement_holidays_vn": agree_vn,
        "numpy": np.__version__,
        "python": platform.python_version(),
    }
    print(f"Compiled calendar {figures['calendar_years']}: {compiled_bytes:,} bytes in arrays")
    print(
        f"  compile time {compile_s * 1000:.1f} ms; tracemalloc of one compile {traced_bytes:,} B"
    )
    print(
        f"  NumPy tables for add_array, derived on first use: {numpy_bytes:,} bytes more"
        f" (first call, 1,000 cases: {first_call_s * 1000:.1f} ms)"
    )
    print(f"{done:,} random cases (receipts 2025-2027), one core:")
    print(
        f"  vectorised (add_array, inputs as int64 epoch seconds as read from the database,"
        f" results as epoch seconds): {vector_rate:,.0f} due dates/s"
    )
    print(
        f"    median of 3 calls on all cases; the calls took"
        f" {', '.join(f'{s:.3f}' for s in vector_runs)} s"
        f" (slowest: {vector_slowest_rate:,.0f}/s)"
    )
    print(
        f"  scalar (add, aware datetimes in and out): {engine_rate:,.0f} due dates/s"
        f" ({engine_s:.2f} s)"
    )
    print(f"  batch (add_many, aware datetimes in and out): {batch_rate:,.0f} due dates/s")
    print(f"  with explanation (due_date): {explained_rate:,.0f}/s on {len(sample):,} cases")
    print(f"Naive day-by-day loop over holidays.VN: {naive_rate:,.0f} due dates/s")
    print(
        f"  speed-up: {vector_rate / naive_rate:,.1f}x (vectorised),"
        f" {engine_rate / naive_rate:,.1f}x (scalar), {batch_rate / naive_rate:,.1f}x (add_many)"
    )
    print(
        f"Agreement, vectorised vs scalar add: {agree_vector:,}/{done:,} (must be all);"
        f" add_many vs add: {agree_batch:,}/{done:,} (must be all)"
    )
    print(
        f"Agreement, naive loop over the engine's day set: {agree_same:,}/{len(sample):,}"
        f" (must be all)"
    )
    print(
        f"Agreement, naive loop over raw holidays.VN: {agree_vn:,}/{len(sample):,}"
        f" (differences: decreed swaps and Tết blocks 2025/2026, the 2027+ Tết rule;"
        f" {in_2028_plus:,} dues fall in 2028+)"
    )
    print(json.dumps(figures))
    all_agree = agree_vector == done and agree_batch == done and agree_same == len(sample)
    return 0 if all_agree else 1


if __name__ == "__main__":
    sys.exit(main())
