"""The batch API ``CompiledCalendar.add_array`` (NumPy) gives exactly what ``add`` gives.

Property tests draw batches of cases across 1990–2100 with instants clustered on the interesting
places (Tết blocks and other days off, make-up days, the cut-off, lunch, closing times, the ends
of the compiled range), every unit, both counting conventions and all options, in every accepted
input form, and compare with a loop over ``add`` — including which error is raised first.
"""

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from motcua.calendars.engine import (
    UNIT_CODES,
    VN_TZ,
    CalendarError,
    CompiledCalendar,
    Counting,
    DueOptions,
    Reason,
    Unit,
    compile_calendar,
)
from motcua.calendars.schedule_vn import national_calendar_spec

type Row = tuple[datetime, Any, Unit]

SPEC = national_calendar_spec()
CAL = compile_calendar(SPEC)
FIRST = datetime(1990, 1, 1, tzinfo=VN_TZ)
LAST = datetime(2101, 1, 1, tzinfo=VN_TZ)
SPECIAL_DAYS = sorted({*SPEC.days_off, *SPEC.make_up_days})
REASON = Reason("Nghỉ", "Off", "test", "test")

# A second calendar with several day patterns: seasons, a make-up day with its own hours, a
# 7-hour working day and a 16:00 cut-off (exercises the per-pattern rows of the minute tables).
SUMMER = ((time(6, 30), time(11, 0)), (time(14, 0), time(17, 30)))
WINTER = ((time(7, 30), time(12, 0)), (time(13, 0), time(16, 30)))
OTHER_SPEC = dataclasses.replace(
    national_calendar_spec(2024, 2028),  # ends on a Sunday
    seasons=(
        (date(2025, 4, 15), (SUMMER,) * 5 + (((time(8), time(11)),), ())),
        (date(2025, 10, 15), (WINTER,) * 5 + ((), ())),
    ),
    make_up_periods={date(2025, 4, 26): ((time(8), time(12)),)},
    working_day_minutes=420,
    cutoff=time(16),
)
OTHER = compile_calendar(OTHER_SPEC)

CLOCKS = [
    time(0, 0),
    time(6, 59, 59),
    time(7, 0),
    time(7, 0, 1),
    time(11, 29),
    time(11, 30),
    time(11, 30, 30),
    time(13, 29, 59),
    time(13, 30),
    time(14, 59, 59),
    time(15, 0),
    time(15, 0, 1),
    time(16, 59),
    time(17, 0),
    time(17, 0, 30),
    time(23, 59, 30),
]

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def uniform_instants(cal: CompiledCalendar) -> st.SearchStrategy[datetime]:
    first = datetime(cal.first_date.year, 1, 1, tzinfo=VN_TZ)
    seconds = int((datetime(cal.last_date.year + 1, 1, 1, tzinfo=VN_TZ) - first).total_seconds())
    return st.integers(0, seconds - 1).map(lambda s: first + timedelta(seconds=s))


@st.composite
def special_instants(draw: st.DrawFn) -> datetime:
    """Near days off (Tết blocks …) and make-up days, at boundary clock times."""
    day = draw(st.sampled_from(SPECIAL_DAYS)) + timedelta(days=draw(st.integers(-3, 3)))
    clock = draw(st.sampled_from(CLOCKS))
    t = datetime.combine(day, clock, VN_TZ)
    return min(max(t, FIRST), LAST - timedelta(seconds=1))


range_ends = st.sampled_from(
    [
        FIRST,
        FIRST + timedelta(hours=15),
        LAST - timedelta(days=40),
        LAST - timedelta(days=3, hours=7),
        LAST - timedelta(hours=9),
        LAST - timedelta(seconds=30),
    ]
)
instants = st.one_of(uniform_instants(CAL), special_instants())
edge_instants = st.one_of(uniform_instants(CAL), special_instants(), range_ends)
options = st.builds(
    DueOptions,
    counting=st.sampled_from(list(Counting)),
    cutoff_shifts_clock_start=st.booleans(),
    calendar_days_skip_holidays=st.booleans(),
)


def amounts_for(unit: Unit, whole: bool, bad_rate: int) -> st.SearchStrategy[Any]:
    """Valid amounts, and a bad one (negative, too large, fractional) once in ``bad_rate``."""
    if unit is Unit.WORKING_HOURS:
        odd = [0.5, 1.25, 0.1, 0.29, 0.01, 0.1 + 0.2, 2.3, 7.75]
        good = st.one_of(st.integers(0, 400), st.sampled_from(odd))
    elif unit is Unit.WORKING_DAYS and not whole:
        odd = [0.5, 0.25, 0.1, 0.001, 1.3, 1 / 3, 2.5, 7.75]
        good = st.one_of(st.integers(0, 60), st.sampled_from(odd))
    elif unit is Unit.MONTHS:
        good = st.integers(0, 24)
    elif unit is Unit.SAME_DAY:
        good = st.sampled_from([0, 0.5, 1])
    else:
        good = st.integers(0, 120)
    if not bad_rate:
        return good
    bad = st.sampled_from([-1, 5000, 1.5])
    return st.integers(1, bad_rate).flatmap(lambda k: bad if k == 1 else good)


@st.composite
def cases(
    draw: st.DrawFn,
    instants: st.SearchStrategy[datetime] = instants,
    max_size: int = 30,
    bad_rate: int = 0,
) -> tuple[list[Row], DueOptions]:
    opts = draw(options)
    whole = opts.counting is Counting.DAY_COUNT
    n = draw(st.integers(0, max_size))
    rows = []
    for _ in range(n):
        unit = draw(st.sampled_from(list(Unit)))
        rows.append((draw(instants), draw(amounts_for(unit, whole, bad_rate)), unit))
    return rows, opts


def scalar(
    cal: CompiledCalendar, rows: list[Row], opts: DueOptions
) -> tuple[list[int], tuple[int, CalendarError] | None]:
    """``add`` over every case: (epoch seconds, or ``None`` past the first error; first error)."""
    out = []
    for i, (received, amount, unit) in enumerate(rows):
        try:
            out.append(int(cal.add(received, amount, unit, opts).timestamp()))
        except CalendarError as exc:
            return out, (i, exc)
    return out, None


def check(
    cal: CompiledCalendar,
    rows: list[Row],
    opts: DueOptions,
    received: Any,
    amounts: Any,
    units: Any,
) -> None:
    expected, error = scalar(cal, rows, opts)
    if error is None:
        got = cal.add_array(received, amounts, units, opts)
        assert got.dtype == np.int64
        assert got.tolist() == expected
    else:
        index, exc = error
        with pytest.raises(CalendarError) as raised:
            cal.add_array(received, amounts, units, opts)
        assert raised.value.code == exc.code
        assert raised.value.params == {**exc.params, "index": index}
        assert raised.value.message == f"Case {index}: {exc.message}"


def floats(rows: list[Row]) -> list[Row]:
    """The rows with float amounts, as a float array holds them (errors quote the amount)."""
    return [(r, float(a), u) for r, a, u in rows]


def as_float_array(rows: list[Row]) -> NDArray[np.float64]:
    return np.array([a for _, a, _ in rows], dtype=np.float64)


@FAST
@given(cases())
def test_epoch_seconds_agree_with_add(drawn):
    rows, opts = drawn
    rows = floats(rows)
    seconds = np.array([int(r.timestamp()) for r, _, _ in rows], dtype=np.int64)
    units = np.array([u.value for _, _, u in rows], dtype=str)
    check(CAL, rows, opts, seconds, as_float_array(rows), units)


@FAST
@given(cases())
def test_unit_codes_and_integer_amounts_agree_with_add(drawn):
    rows, opts = drawn
    rows = [(r, a if isinstance(a, int) else round(a), u) for r, a, u in rows]
    seconds = np.array([int(r.timestamp()) for r, _, _ in rows], dtype=np.int64)
    codes = np.array([UNIT_CODES[u] for _, _, u in rows], dtype=np.int8)
    check(CAL, rows, opts, seconds, np.array([a for _, a, _ in rows], dtype=np.int64), codes)


@FAST
@given(
    cases(
        instants=st.one_of(special_instants(), uniform_instants(CAL)).map(
            lambda t: t + timedelta(microseconds=t.day % 3 * 250_000)
        )
    )
)
def test_datetime64_and_aware_datetimes_agree_with_add(drawn):
    rows, opts = drawn
    rows = floats(rows)
    micro = np.array(
        [r.astimezone(UTC).replace(tzinfo=None) for r, _, _ in rows], dtype="datetime64[us]"
    )
    amounts = as_float_array(rows)
    units = [u for _, _, u in rows]
    check(CAL, rows, opts, micro, amounts, units)
    utc = np.array([r.astimezone(UTC) for r, _, _ in rows] + [None], dtype=object)[:-1]
    check(CAL, rows, opts, utc, amounts, units)


@FAST
@given(cases(instants=uniform_instants(OTHER), max_size=20))
def test_a_calendar_with_seasons_and_own_make_up_hours_agrees_with_add(drawn):
    rows, opts = drawn
    rows = floats(rows)
    seconds = np.array([int(r.timestamp()) for r, _, _ in rows], dtype=np.int64)
    units = np.array([u.value for _, _, u in rows], dtype=str)
    check(OTHER, rows, opts, seconds, as_float_array(rows), units)


@FAST
@given(cases(instants=edge_instants, max_size=8, bad_rate=4))
def test_bad_cases_raise_what_a_loop_over_add_raises_first(drawn):
    rows, opts = drawn
    rows = floats(rows)
    seconds = np.array([int(r.timestamp()) for r, _, _ in rows], dtype=np.int64)
    units = np.array([u.value for _, _, u in rows], dtype=str)
    check(CAL, rows, opts, seconds, as_float_array(rows), units)


@settings(max_examples=40, deadline=None)
@given(cases(instants=edge_instants, max_size=10), st.sampled_from(list(Unit)), st.integers(0, 20))
def test_one_unit_and_amount_for_all_cases(drawn, unit, amount):
    rows, opts = drawn
    rows = [(r, amount, unit) for r, _, _ in rows]
    seconds = np.array([int(r.timestamp()) for r, _, _ in rows], dtype=np.int64)
    check(CAL, rows, opts, seconds, amount, unit)
    check(CAL, rows, opts, seconds, amount, UNIT_CODES[unit])


def test_exact_fractions_like_add():
    received = datetime(2026, 2, 12, 10, tzinfo=VN_TZ)
    amounts: list[Any] = [Fraction(1, 3), 0.1, Fraction(7, 2)]
    units = [Unit.WORKING_HOURS, Unit.WORKING_HOURS, Unit.WORKING_DAYS]
    expected = [
        int(CAL.add(received, a, u).timestamp()) for a, u in zip(amounts, units, strict=True)
    ]
    seconds = np.full(3, int(received.timestamp()))
    assert CAL.add_array(seconds, np.array(amounts, dtype=object), units).tolist() == expected
    # 0.1 working hours is 6 minutes, not 7 (the float 0.1 × 60 is 6.000000000000001).
    assert CAL.add_array(seconds[:1], [0.1], "working_hours")[0] == int(received.timestamp()) + 360


def test_worked_example_1_and_datetime64_view():
    received = np.array(["2026-02-12T03:00"], dtype="datetime64[s]")  # 10:00 in Vietnam
    due = CAL.add_array(received, [3], ["working_days"])
    assert due.view("datetime64[s]")[0] == np.datetime64("2026-02-24T03:00")


def test_empty_batches():
    empty = np.zeros(0, dtype=np.int64)
    for result in (
        CAL.add_array(empty, empty, empty),
        CAL.add_array(np.zeros(0, dtype="datetime64[s]"), [], []),
        CAL.add_array([], 3, "working_days"),
        CAL.add_array(empty, np.zeros(0, dtype=object), np.zeros(0, dtype=str)),
    ):
        assert result.dtype == np.int64
        assert result.shape == (0,)


RECEIVED = int(datetime(2026, 2, 12, 10, tzinfo=VN_TZ).timestamp())


@pytest.mark.parametrize(
    ("received", "amounts", "units", "code", "index"),
    [
        ([RECEIVED, 10**12], [1, 1], 1, "out_of_range", 1),
        ([RECEIVED, -(10**18)], [1, 1], 1, "out_of_range", 1),
        (
            [RECEIVED, int(datetime(1989, 12, 31, 23, 59, tzinfo=VN_TZ).timestamp())],
            1,
            1,
            "out_of_range",
            1,
        ),
        ([RECEIVED, int(LAST.timestamp()) - 3600], 1, 1, "out_of_range", 1),
        (np.array(["2026-02-12T03:00", "NaT"], dtype="datetime64[s]"), 1, 1, "naive_datetime", 1),
        (
            np.array([datetime(2026, 2, 12, 10, tzinfo=VN_TZ), datetime(2026, 2, 12, 10)]),
            1,
            1,
            "naive_datetime",
            1,
        ),
        (np.array([1.5e9, 1.5e9]), 1, 1, "naive_datetime", 0),
        ([RECEIVED, RECEIVED], [1, 1], ["working_days", "weeks"], "unknown_unit", 1),
        ([RECEIVED, RECEIVED], [1, 1], [1, 7], "unknown_unit", 1),
        ([RECEIVED, RECEIVED], [1, 1], [1, -1], "unknown_unit", 1),
        ([RECEIVED, RECEIVED], [1, 1], np.array([b"months", b"months"]), "unknown_unit", 0),
        ([RECEIVED, RECEIVED], [1, -1], 1, "negative_amount", 1),
        ([RECEIVED, RECEIVED], [1, -0.5], 1, "negative_amount", 1),
        ([RECEIVED, RECEIVED], [1, 2611], 1, "amount_too_large", 1),
        ([RECEIVED, RECEIVED], [1, 120.5], 3, "amount_too_large", 1),
        ([RECEIVED, RECEIVED], [1, float("nan")], 1, "invalid_amount", 1),
        ([RECEIVED, RECEIVED], [1, float("inf")], 0, "invalid_amount", 1),
        ([RECEIVED, RECEIVED], [True, False], 1, "invalid_amount", 0),
        ([RECEIVED, RECEIVED], ["1", "2"], 1, "invalid_amount", 0),
        ([RECEIVED, RECEIVED], [1, 2.5], 3, "fractional_amount", 1),
        ([RECEIVED, RECEIVED], [1, Fraction(1, 2)], 2, "fractional_amount", 1),
        ([RECEIVED, RECEIVED], [1, Fraction(-1, 2)], 0, "negative_amount", 1),
    ],
)
def test_bad_input_raises_the_error_of_add_for_the_first_failing_case(
    received, amounts, units, code, index
):
    with pytest.raises(CalendarError) as raised:
        CAL.add_array(received, amounts, units)
    assert raised.value.code == code
    assert raised.value.params["index"] == index
    assert raised.value.message.startswith(f"Case {index}: ")


def test_the_first_failing_case_wins_whatever_its_error():
    late = int(datetime(2100, 12, 30, 10, tzinfo=VN_TZ).timestamp())
    with pytest.raises(CalendarError) as raised:
        CAL.add_array([RECEIVED, late, RECEIVED], [1, 5, -1], [1, 1, 1])
    assert (raised.value.code, raised.value.params["index"]) == ("out_of_range", 1)
    with pytest.raises(CalendarError) as raised:
        CAL.add_array([RECEIVED, late, RECEIVED], [1, 5, -1], [1, 9, 1])
    assert (raised.value.code, raised.value.params["index"]) == ("unknown_unit", 1)


def test_day_count_refuses_fractional_working_days():
    options = DueOptions(counting=Counting.DAY_COUNT)
    with pytest.raises(CalendarError) as raised:
        CAL.add_array([RECEIVED], [0.5], "working_days", options)
    assert raised.value.code == "fractional_amount"
    assert CAL.add_array([RECEIVED], [0.5], "working_hours", options).shape == (1,)


def test_mismatched_lengths_are_a_programming_error():
    with pytest.raises(ValueError, match="amounts"):
        CAL.add_array([RECEIVED, RECEIVED], [1, 2, 3], 1)
    with pytest.raises(ValueError, match="units"):
        CAL.add_array([RECEIVED, RECEIVED], 1, [1, 2, 3])
    with pytest.raises(ValueError, match="one-dimensional"):
        CAL.add_array([[RECEIVED]], 1, 1)


def test_numpy_tables_are_derived_lazily_and_stay_small():
    fresh = compile_calendar(SPEC, cache=False)
    assert fresh.memory_bytes() < 1024 * 1024
    assert fresh.numpy_bytes() == 0
    fresh.add_array([RECEIVED], [1], [1])
    assert 0 < fresh.numpy_bytes() < 1024 * 1024


def test_a_calendar_edit_changes_the_batch_like_the_single_calls():
    """§9.4: a late notice adds a day off; the recomputation moves exactly the affected dues."""
    small = national_calendar_spec(2025, 2027)
    before = compile_calendar(small)
    after = compile_calendar(
        dataclasses.replace(small, days_off={**small.days_off, date(2026, 3, 2): REASON})
    )
    rng = np.random.default_rng(7)
    start = int(datetime(2026, 2, 1, tzinfo=VN_TZ).timestamp())
    seconds = start + rng.integers(0, 40 * 1440, 500) * 60
    old = before.add_array(seconds, 3, "working_days")
    new = after.add_array(seconds, 3, "working_days")
    moved = old != new
    assert moved.any()
    assert (new >= old).all()
    for s, due in zip(seconds[moved].tolist(), new[moved].tolist(), strict=True):
        received = datetime.fromtimestamp(s, VN_TZ)
        assert after.add(received, 3, "working_days") == datetime.fromtimestamp(due, VN_TZ)


def test_the_same_instant_in_every_accepted_form():
    received = datetime(2026, 4, 24, 16, tzinfo=VN_TZ)
    expected = int(CAL.add(received, 2, "working_days").timestamp())
    seconds = int(received.timestamp())
    forms: list[Any] = [
        np.array([seconds], dtype=np.int64),
        np.array([seconds], dtype=np.uint32),
        np.array([seconds], dtype="datetime64[s]"),
        np.array([seconds * 1000], dtype="datetime64[ms]"),
        np.array([seconds // 60], dtype="datetime64[m]"),
        [received],
        [received.astimezone(UTC)],
    ]
    for form in forms:
        assert CAL.add_array(form, [2], ["working_days"]).tolist() == [expected]


def test_batches_of_several_chunks_agree_and_name_the_first_failing_case():
    rng = np.random.default_rng(2026)
    n = 70_000  # several internal chunks (16,384 cases each)
    start = int(datetime(2025, 1, 1, tzinfo=VN_TZ).timestamp())
    seconds = start + rng.integers(0, 3 * 365 * 86_400, n)
    codes = rng.integers(0, 5, n)
    amounts = rng.integers(0, 30, n)
    expected = [
        int(CAL.add(datetime.fromtimestamp(s, VN_TZ), a, Unit(list(UNIT_CODES)[c])).timestamp())
        for s, a, c in zip(seconds.tolist(), amounts.tolist(), codes.tolist(), strict=True)
    ]
    assert CAL.add_array(seconds, amounts, codes).tolist() == expected
    amounts[68_000] = -1
    with pytest.raises(CalendarError) as raised:
        CAL.add_array(seconds, amounts, codes)
    assert raised.value.params["index"] == 68_000
    amounts[1_000] = 100_000
    with pytest.raises(CalendarError) as raised:
        CAL.add_array(seconds, amounts, codes)
    assert (raised.value.code, raised.value.params["index"]) == ("amount_too_large", 1_000)


OLD = compile_calendar(national_calendar_spec(1970, 1980))


@settings(max_examples=30, deadline=None)
@given(cases(instants=uniform_instants(OLD), max_size=10))
def test_a_calendar_from_before_1976_is_computed_case_by_case(drawn):
    """Asia/Ho_Chi_Minh was UTC+8 in 1960–1975: such calendars use ``add`` for each case."""
    rows, opts = drawn
    rows = floats(rows)
    seconds = np.array([int(r.timestamp()) for r, _, _ in rows], dtype=np.int64)
    units = np.array([u.value for _, _, u in rows], dtype=str)
    check(OLD, rows, opts, seconds, as_float_array(rows), units)


@pytest.mark.parametrize("unit", list(Unit))
@pytest.mark.parametrize("cal", [CAL, OTHER], ids=["national", "seasons"])
def test_the_ends_of_the_compiled_range_like_add(cal, unit):
    """Receipts in the first and last days of the range (ending on a Friday or a Sunday), every
    option, small amounts of each unit."""
    first = datetime(cal.first_date.year, 1, 1, tzinfo=VN_TZ)
    last = datetime(cal.last_date.year + 1, 1, 1, tzinfo=VN_TZ)
    ends = [
        first,
        first + timedelta(hours=15),
        last - timedelta(days=3, hours=2),
        last - timedelta(days=2, hours=2),
        last - timedelta(hours=9, seconds=1),
        last - timedelta(hours=9),
        last - timedelta(hours=7, minutes=14),
        last - timedelta(hours=7),
        last - timedelta(seconds=30),
    ]
    for counting in Counting:
        for cutoff in (False, True):
            for skip in (False, True):
                opts = DueOptions(counting, cutoff, skip)
                for received in ends:
                    for amount in (0, 0.25, 1, 2):
                        rows = [(received, amount, unit)]
                        check(cal, rows, opts, [int(received.timestamp())], [amount], [unit])
