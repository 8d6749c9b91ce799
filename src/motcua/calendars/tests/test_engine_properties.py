"""Property tests (hypothesis) of the working-time engine, including a day-by-day oracle."""

import dataclasses
from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from motcua.calendars.engine import (
    VN_TZ,
    CalendarSpec,
    Counting,
    DaysOffSkipped,
    DueOptions,
    Reason,
    Unit,
    WeeklyRestSkipped,
    compile_calendar,
    render_explanation,
    resume_after_supplement,
    shift_due,
)
from motcua.calendars.schedule_vn import national_calendar_spec

SPEC = national_calendar_spec()
CAL = compile_calendar(SPEC)
SMALL_SPEC = national_calendar_spec(2025, 2030)  # cheap to recompile with one more entry

BASE = datetime(2025, 1, 1, tzinfo=VN_TZ)
MINUTES_2025_2027 = 3 * 365 * 1440

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

instants = st.integers(0, MINUTES_2025_2027 - 1).map(lambda m: BASE + timedelta(minutes=m))
options = st.builds(
    DueOptions,
    counting=st.sampled_from(list(Counting)),
    cutoff_shifts_clock_start=st.booleans(),
    calendar_days_skip_holidays=st.booleans(),
)
working_amounts = st.one_of(st.integers(0, 60), st.sampled_from([0.25, 0.5, 1.5, 2.5, 7.75]))


@st.composite
def limits(draw):
    """(amount, unit, options) that are valid together."""
    unit = draw(st.sampled_from(list(Unit)))
    opts = draw(options)
    if unit is Unit.WORKING_HOURS:
        amount = draw(st.one_of(st.integers(0, 400), st.sampled_from([0.5, 1.25, 3.75])))
    elif unit is Unit.WORKING_DAYS:
        whole = opts.counting == "day_count"
        amount = draw(st.integers(0, 60) if whole else working_amounts)
    elif unit is Unit.CALENDAR_DAYS:
        amount = draw(st.integers(0, 120))
    elif unit is Unit.MONTHS:
        amount = draw(st.integers(0, 24))
    else:
        amount = 0
    return amount, unit, opts


def is_working(spec: CalendarSpec, day: date) -> bool:
    if day in spec.make_up_days:
        return True
    return bool(spec.weekly_periods[day.weekday()]) and day not in spec.days_off


def naive_add_working(spec: CalendarSpec, start: datetime, minutes: int) -> datetime:
    """Reference: walk period by period, day by day, over the spec's plain data."""
    t = start.replace(second=0, microsecond=0)
    if t != start:
        t += timedelta(minutes=1)
    day = t.date()
    remaining = minutes
    while True:
        if is_working(spec, day):
            periods = spec.weekly_periods[day.weekday()] or spec.weekly_periods[0]
            for s, e in periods:
                ps = datetime.combine(day, s, VN_TZ)
                pe = datetime.combine(day, e, VN_TZ)
                if pe <= t:
                    continue
                cur = max(t, ps)
                available = int((pe - cur).total_seconds() // 60)
                if remaining <= available:
                    return cur + timedelta(minutes=remaining)
                remaining -= available
                t = pe
        day += timedelta(days=1)
        t = datetime.combine(day, datetime.min.time(), VN_TZ)


@PROPERTY
@given(instants, limits())
def test_due_is_a_working_instant_or_exactly_a_closing(received, limit):
    amount, unit, opts = limit
    due = CAL.add(received, amount, unit, opts)
    assert CAL.is_working_instant(due) or CAL.is_closing_instant(due)


@PROPERTY
@given(instants, limits(), st.integers(0, 50))
def test_a_larger_amount_never_gives_an_earlier_due(received, limit, extra):
    amount, unit, opts = limit
    if unit is Unit.SAME_DAY:
        extra = 0
    assert CAL.add(received, amount, unit, opts) <= CAL.add(received, amount + extra, unit, opts)


@PROPERTY
@given(instants, limits())
def test_fast_path_agrees_with_the_explained_due_date(received, limit):
    amount, unit, opts = limit
    result = CAL.due_date(received, amount, unit, opts)
    assert result.due_at == CAL.add(received, amount, unit, opts)
    assert result.due_at >= result.counting_starts_at
    assert result.counting_starts_at >= received - timedelta(minutes=1) or unit in (
        Unit.CALENDAR_DAYS,
        Unit.MONTHS,
    )
    for item in result.explanation:
        if isinstance(item, DaysOffSkipped):
            day = item.first
            while day <= item.last:
                assert CAL.day_kind(day) == "day_off"
                day += timedelta(days=1)
        if isinstance(item, WeeklyRestSkipped):
            assert all(CAL.day_kind(day) == "weekly_rest" for day in item.days)
    assert len(render_explanation(result.explanation, "vi")) == len(result.explanation)
    assert len(render_explanation(result.explanation, "en")) == len(result.explanation)


@PROPERTY
@given(
    instants,
    limits(),
    st.integers(0, 3 * 365 - 1).map(lambda d: date(2025, 1, 1) + timedelta(days=d)),
)
def test_adding_a_make_up_day_never_delays_a_due_date(received, limit, day):
    amount, unit, opts = limit
    assume(not is_working(SMALL_SPEC, day))
    before = compile_calendar(SMALL_SPEC)
    extra = Reason("Làm bù", "Make-up", "test", "test")
    after = compile_calendar(
        dataclasses.replace(SMALL_SPEC, make_up_days={**SMALL_SPEC.make_up_days, day: extra}),
        cache=False,
    )
    assert after.add(received, amount, unit, opts) <= before.add(received, amount, unit, opts)


@PROPERTY
@given(
    instants,
    limits(),
    st.integers(0, 3 * 365 - 1).map(lambda d: date(2025, 1, 1) + timedelta(days=d)),
)
def test_adding_a_day_off_never_advances_a_due_date(received, limit, day):
    amount, unit, opts = limit
    assume(is_working(SMALL_SPEC, day) and day not in SMALL_SPEC.make_up_days)
    before = compile_calendar(SMALL_SPEC)
    extra = Reason("Nghỉ", "Off", "test", "test")
    after = compile_calendar(
        dataclasses.replace(SMALL_SPEC, days_off={**SMALL_SPEC.days_off, day: extra}),
        cache=False,
    )
    assert after.add(received, amount, unit, opts) >= before.add(received, amount, unit, opts)


@PROPERTY
@given(instants, st.integers(0, 20_000))
def test_working_minutes_between_inverts_add_working_time(received, minutes):
    start = CAL.next_working_instant(received)
    assert CAL.working_minutes_between(start, CAL.add_working_time(start, minutes)) == minutes
    assert CAL.working_minutes_between(received, CAL.add_working_time(received, minutes)) == minutes


@PROPERTY
@given(instants, st.integers(0, 5_000))
def test_add_working_time_matches_a_day_by_day_walk(received, minutes):
    assert CAL.add_working_time(received, minutes) == naive_add_working(SPEC, received, minutes)


@PROPERTY
@given(instants, st.integers(1, 20_000))
def test_subtract_working_time_undoes_add(received, minutes):
    start = CAL.next_working_instant(received)
    due = CAL.add_working_time(start, minutes)
    back = CAL.subtract_working_time(due, minutes)
    assert CAL.working_minutes_between(back, due) == minutes
    assert back >= start


@PROPERTY
@given(
    instants,
    st.integers(1, 30),
    st.integers(0, 30 * 480),
    st.integers(0, 30 * 480),
)
def test_restart_is_never_earlier_than_shift(received, days, ask_after, pause):
    due = CAL.add(received, days, Unit.WORKING_DAYS)
    start = CAL.next_working_instant(received)
    asked = CAL.add_working_time(start, min(ask_after, days * 480))
    resumed = CAL.add_working_time(asked, pause)
    common = {"due_legal": due, "asked_at": asked, "resumed_at": resumed, "amount": days}
    restart = resume_after_supplement(CAL, unit=Unit.WORKING_DAYS, **common)
    shift = resume_after_supplement(CAL, unit=Unit.WORKING_DAYS, policy="shift", **common)
    assert restart.due_at >= shift.due_at
    assert shift.due_at >= due
    assert CAL.working_minutes_between(due, shift.due_at) == shift.paused_working_minutes


@PROPERTY
@given(instants, st.integers(0, 3000), instants, st.integers(0, 3000))
def test_shift_preserves_the_pause_length_in_working_time(due_seed, due_after, paused, pause):
    due = CAL.add_working_time(due_seed, due_after)
    resumed = CAL.add_working_time(paused, pause)
    result = shift_due(CAL, due=due, paused_at=paused, resumed_at=resumed)
    assert CAL.working_minutes_between(due, result.due_at) == result.paused_working_minutes


@PROPERTY
@given(instants, st.integers(1, 60))
def test_day_count_is_never_earlier_than_working_time(received, days):
    working_time = CAL.add(received, days, Unit.WORKING_DAYS)
    day_count = CAL.add(received, days, Unit.WORKING_DAYS, DueOptions(counting=Counting.DAY_COUNT))
    assert day_count >= working_time
    assert (day_count.date() - working_time.date()).days <= 10  # at most one working day apart


@PROPERTY
@given(instants, st.integers(0, 120), st.booleans())
def test_calendar_days_land_on_the_first_working_day_not_before_the_end(received, days, cutoff):
    opts = DueOptions(cutoff_shifts_clock_start=cutoff)
    due = CAL.add(received, days, Unit.CALENDAR_DAYS, opts)
    assert due.date() >= received.date() + timedelta(days=days)
    assert CAL.is_working_day(due.date())
    day = received.date() + timedelta(days=days)
    while day < due.date():
        assert not CAL.is_working_day(day) or cutoff or days == 0  # 0 days after closing
        day += timedelta(days=1)


@PROPERTY
@given(st.lists(st.tuples(instants, limits()), min_size=1, max_size=20), options)
def test_batch_add_many_agrees_with_single_calls(cases, opts):
    triples = [(received, amount, unit) for received, (amount, unit, _) in cases]
    triples = [
        (r, a, u)
        for r, a, u in triples
        if not (opts.counting is Counting.DAY_COUNT and isinstance(a, float))
    ]
    assert CAL.add_many(triples, opts) == [CAL.add(r, a, u, opts) for r, a, u in triples]
