"""Benchmark: due dates per second of the compiled working-time engine vs a naive day-by-day loop.

Both run in one process on the same random cases (receipts 2025–2027, random amounts and units).
The naive baseline walks day by day and office period by office period, checking
``date in holidays.VN(...)`` and the weekday, as a straightforward implementation would. It is
timed on a subset (``--naive-cases``). Agreement is checked by running the same naive loop over the
engine's own day set (same days off and make-up days), where both models must give the same
instant; agreement with the raw ``holidays.VN`` model is printed for information (it misses the
decreed swaps and Tết blocks, which is why MotCua keeps an override table).

The last line of output is one JSON object with all figures.

    python benchmarks/bench_due_dates.py                 # 1,000,000 cases
    python benchmarks/bench_due_dates.py --small         # 100,000 cases (make bench)
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import sys
import time as clock
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta

import holidays

from motcua.calendars.engine import VN_TZ, CompiledCalendar, Unit, compile_calendar
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


def random_cases(rng: random.Random, n: int) -> list[Case]:
    units = [u for u, w, _ in UNIT_WEIGHTS for _ in range(w)]
    amounts = {u: a for u, _, a in UNIT_WEIGHTS}
    cases: list[Case] = []
    for _ in range(n):
        unit = rng.choice(units)
        received = BASE + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        cases.append((received, rng.choice(amounts[unit]), unit.value))
    return cases


def chunks(rng: random.Random, total: int, size: int = 100_000) -> Iterator[list[Case]]:
    while total > 0:
        yield random_cases(rng, min(size, total))
        total -= size


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

    # Engine: the fast path (``add``) over all cases, generated in chunks outside the timing.
    rng = random.Random(args.seed)
    engine_s = batch_s = 0.0
    add = cal.add
    done = 0
    for cases in chunks(rng, args.cases):
        gc.collect()
        started = clock.perf_counter()
        for received, amount, unit in cases:
            add(received, amount, unit)
        engine_s += clock.perf_counter() - started
        gc.collect()
        started = clock.perf_counter()
        cal.add_many(cases)
        batch_s += clock.perf_counter() - started
        done += len(cases)
    engine_rate = done / engine_s
    batch_rate = done / batch_s

    # The same first cases for the naive loop and the explained path.
    sample = random_cases(random.Random(args.seed), args.naive_cases)
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

    figures = {
        "cases": done,
        "naive_cases": len(sample),
        "due_dates_per_s": round(engine_rate),
        "batch_due_dates_per_s": round(batch_rate),
        "explained_due_dates_per_s": round(explained_rate),
        "naive_per_s": round(naive_rate),
        "speedup_vs_naive": round(engine_rate / naive_rate, 1),
        "speedup_vs_naive_batch": round(batch_rate / naive_rate, 1),
        "compiled_calendar_bytes": compiled_bytes,
        "compile_tracemalloc_bytes": traced_bytes,
        "compile_s": round(compile_s, 4),
        "calendar_years": f"{cal.first_date.year}-{cal.last_date.year}",
        "agreement_same_day_set": agree_same,
        "agreement_holidays_vn": agree_vn,
        "python": platform.python_version(),
    }
    print(f"Compiled calendar {figures['calendar_years']}: {compiled_bytes:,} bytes in arrays")
    print(
        f"  compile time {compile_s * 1000:.1f} ms; tracemalloc of one compile {traced_bytes:,} B"
    )
    print(f"Engine (add, fast path): {done:,} cases in {engine_s:.2f} s")
    print(f"  {engine_rate:,.0f} due dates/s on one core")
    print(f"  batch (add_many): {batch_rate:,.0f} due dates/s")
    print(f"  with explanation (due_date): {explained_rate:,.0f}/s on {len(sample):,} cases")
    print(f"Naive day-by-day loop over holidays.VN: {naive_rate:,.0f} due dates/s")
    print(
        f"  speed-up of the engine: {engine_rate / naive_rate:,.1f}x (single calls),"
        f" {batch_rate / naive_rate:,.1f}x (batch)"
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
    return 0 if agree_same == len(sample) else 1


if __name__ == "__main__":
    sys.exit(main())
