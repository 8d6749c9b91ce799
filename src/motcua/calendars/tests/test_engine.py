"""Table-driven tests of the working-time engine: every worked example of the domain notes §11
(each sub-case), plus our own rows across Tết 2025/2026/2027, year ends, make-up Saturdays,
the cut-off minute, lunch boundaries and exactly-at-closing."""

import dataclasses
import pickle
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from motcua.calendars.engine import (
    ERROR_CODES,
    VN_TZ,
    CalendarError,
    CalendarSpec,
    Counting,
    DaysOffSkipped,
    DueOptions,
    MakeUpDayUsed,
    Outcome,
    ProvisionalCalendar,
    Reason,
    Unit,
    check_extension,
    check_supplement_window,
    classify_finished,
    classify_open,
    compile_calendar,
    render_explanation,
    resume_after_supplement,
    shift_due,
    step_due,
    transfer_due,
    working_lateness,
)
from motcua.calendars.schedule_vn import national_calendar_spec

SPEC = national_calendar_spec()
CAL = compile_calendar(SPEC)

WH, WD, CD, MO, SD = (
    Unit.WORKING_HOURS,
    Unit.WORKING_DAYS,
    Unit.CALENDAR_DAYS,
    Unit.MONTHS,
    Unit.SAME_DAY,
)
DEFAULT = DueOptions()
CUTOFF = DueOptions(cutoff_shifts_clock_start=True)
DAYCOUNT = DueOptions(counting=Counting.DAY_COUNT)
SKIP = DueOptions(calendar_days_skip_holidays=True)


def T(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=VN_TZ)


def without(
    spec: CalendarSpec, days_off: Collection[date] = (), make_up: Collection[date] = ()
) -> CalendarSpec:
    """The spec as it was before a notice: some days off / make-up days removed."""
    return dataclasses.replace(
        spec,
        days_off={d: r for d, r in spec.days_off.items() if d not in days_off},
        make_up_days={d: r for d, r in spec.make_up_days.items() if d not in make_up},
    )


# (id, received, amount, unit, options, expected due) — domain notes §11, every sub-case.
WORKED_EXAMPLES = [
    ("ex1_3wd_across_tet_2026", T(2026, 2, 12, 10), 3, WD, DEFAULT, T(2026, 2, 24, 10)),
    ("ex1_day_count", T(2026, 2, 12, 10), 3, WD, DAYCOUNT, T(2026, 2, 24, 17)),
    ("ex2_cutoff_on_hung_kings_and_30_4", T(2026, 4, 24, 16), 3, WD, CUTOFF, T(2026, 5, 4, 17)),
    ("ex2_cutoff_off", T(2026, 4, 24, 16), 3, WD, DEFAULT, T(2026, 5, 4, 16)),
    ("ex2_day_count", T(2026, 4, 24, 16), 3, WD, DAYCOUNT, T(2026, 5, 4, 17)),
    ("ex3_make_up_saturday_10_01_2026", T(2026, 1, 9, 14), 2, WD, DEFAULT, T(2026, 1, 12, 14)),
    ("ex3_day_count", T(2026, 1, 9, 14), 2, WD, DAYCOUNT, T(2026, 1, 12, 17)),
    ("ex4a_year_end_cutoff_on", T(2025, 12, 31, 16), 1, WD, CUTOFF, T(2026, 1, 5, 17)),
    ("ex4a_year_end_cutoff_off", T(2025, 12, 31, 16), 1, WD, DEFAULT, T(2026, 1, 5, 16)),
    ("ex4b_after_the_new_year_notice", T(2025, 12, 24, 10), 7, WD, DEFAULT, T(2026, 1, 6, 10)),
    ("ex5_same_day_before_cutoff", T(2026, 8, 28, 14, 50), 0, SD, DEFAULT, T(2026, 8, 28, 17)),
    ("ex5_same_day_after_cutoff", T(2026, 8, 28, 15, 20), 0, SD, DEFAULT, T(2026, 9, 3, 17)),
    ("ex5_same_day_make_up_saturday", T(2026, 8, 22, 10), 0, SD, DEFAULT, T(2026, 8, 22, 17)),
    ("ex6a_4wh_across_lunch", T(2026, 3, 3, 10, 30), 4, WH, DEFAULT, T(2026, 3, 3, 16, 30)),
    ("ex6b_8wh_across_30_4", T(2026, 4, 29, 15, 30), 8, WH, DEFAULT, T(2026, 5, 4, 15, 30)),
    ("ex6b_cutoff_on", T(2026, 4, 29, 15, 30), 8, WH, CUTOFF, T(2026, 5, 4, 17)),
    ("ex7_15_days_into_tet_2025", T(2025, 1, 16, 10), 15, CD, DEFAULT, T(2025, 2, 3, 10)),
    ("ex7_day_count", T(2025, 1, 16, 10), 15, CD, DAYCOUNT, T(2025, 2, 3, 17)),
    ("ex7_skip_holidays", T(2025, 1, 16, 10), 15, CD, SKIP, T(2025, 2, 5, 10)),
    ("ex8_one_month_from_30_01", T(2026, 1, 30, 10), 1, MO, DEFAULT, T(2026, 3, 2, 10)),
    ("ex8_day_count", T(2026, 1, 30, 10), 1, MO, DAYCOUNT, T(2026, 3, 2, 17)),
    ("ex9_accepted_after_tet", T(2026, 2, 23, 8, 15), 5, WD, DEFAULT, T(2026, 3, 2, 8, 15)),
    ("ex9_submission_normalised", T(2026, 2, 23, 7), 5, WD, DEFAULT, T(2026, 2, 27, 17)),
    ("ex9_day_count", T(2026, 2, 23, 8, 15), 5, WD, DAYCOUNT, T(2026, 3, 2, 17)),
    ("ex10_original_due", T(2026, 3, 2, 9), 10, WD, DEFAULT, T(2026, 3, 16, 9)),
    ("ex11_original_due", T(2026, 4, 6, 10), 5, WD, DEFAULT, T(2026, 4, 13, 10)),
    ("ex12_dossier_due", T(2026, 5, 11, 8), 10, WD, DEFAULT, T(2026, 5, 25, 8)),
]

# Our own rows: Tết 2025 and 2027, year ends, make-up Saturdays, cut-off minute, lunch, closing.
OWN_ROWS = [
    ("tet_2025_1wd_from_friday_before", T(2025, 1, 24, 10), 1, WD, DEFAULT, T(2025, 2, 3, 10)),
    ("tet_2025_same_day_on_mung_1", T(2025, 1, 29, 9), 0, SD, DEFAULT, T(2025, 2, 3, 17)),
    ("tet_2026_received_on_mung_1", T(2026, 2, 17, 9), 1, WD, DEFAULT, T(2026, 2, 23, 17)),
    ("tet_2027_provisional_3wd", T(2027, 2, 3, 10), 3, WD, DEFAULT, T(2027, 2, 15, 10)),
    ("year_end_2025_2wd", T(2025, 12, 31, 10), 2, WD, DEFAULT, T(2026, 1, 6, 10)),
    (
        "year_end_2024_1wh_over_new_year",
        T(2024, 12, 31, 16, 30),
        1,
        WH,
        DEFAULT,
        T(2025, 1, 2, 7, 30),
    ),
    ("make_up_sat_26_04_2025_counts", T(2025, 4, 25, 15), 1, WD, DEFAULT, T(2025, 4, 26, 15)),
    ("make_up_sat_22_08_2026_from_closing", T(2026, 8, 21, 17), 1, WD, DEFAULT, T(2026, 8, 22, 17)),
    ("same_day_on_make_up_sat_2025", T(2025, 4, 26, 14), 0, SD, DEFAULT, T(2025, 4, 26, 17)),
    ("same_day_on_sunday", T(2026, 3, 8, 9), 0, SD, DEFAULT, T(2026, 3, 9, 17)),
    ("same_day_before_opening", T(2026, 3, 3, 6), 0, SD, DEFAULT, T(2026, 3, 3, 17)),
    ("same_day_after_closing", T(2026, 3, 3, 17), 0, SD, DEFAULT, T(2026, 3, 4, 17)),
    ("cutoff_14_59_same_day", T(2026, 3, 3, 14, 59), 0, SD, DEFAULT, T(2026, 3, 3, 17)),
    ("cutoff_14_59_59_same_day", T(2026, 3, 3, 14, 59, 59), 0, SD, DEFAULT, T(2026, 3, 3, 17)),
    ("cutoff_15_00_next_day", T(2026, 3, 3, 15), 0, SD, DEFAULT, T(2026, 3, 4, 17)),
    ("cutoff_15_01_next_day", T(2026, 3, 3, 15, 1), 0, SD, DEFAULT, T(2026, 3, 4, 17)),
    ("cutoff_on_14_59_keeps_clock", T(2026, 3, 3, 14, 59), 1, WD, CUTOFF, T(2026, 3, 4, 14, 59)),
    ("cutoff_on_15_00_next_opening", T(2026, 3, 3, 15), 1, WD, CUTOFF, T(2026, 3, 4, 17)),
    ("cutoff_on_15_01_next_opening", T(2026, 3, 3, 15, 1), 1, WD, CUTOFF, T(2026, 3, 4, 17)),
    ("cutoff_off_15_01_counts_today", T(2026, 3, 3, 15, 1), 1, WD, DEFAULT, T(2026, 3, 4, 15, 1)),
    ("lunch_received_at_11_30", T(2026, 3, 3, 11, 30), 1, WH, DEFAULT, T(2026, 3, 3, 14, 30)),
    ("lunch_received_at_12_00", T(2026, 3, 3, 12), 1, WH, DEFAULT, T(2026, 3, 3, 14, 30)),
    ("lunch_received_at_13_29", T(2026, 3, 3, 13, 29), 1, WH, DEFAULT, T(2026, 3, 3, 14, 30)),
    ("lunch_one_minute_before", T(2026, 3, 3, 11, 29), 1, WH, DEFAULT, T(2026, 3, 3, 14, 29)),
    ("runs_out_at_lunch_closing", T(2026, 3, 3, 11), 0.5, WH, DEFAULT, T(2026, 3, 3, 11, 30)),
    ("half_day_from_opening", T(2026, 3, 3, 7), 0.5, WD, DEFAULT, T(2026, 3, 3, 11)),
    ("exactly_at_closing_not_next_morning", T(2026, 3, 2, 7), 1, WD, DEFAULT, T(2026, 3, 2, 17)),
    ("friday_full_day_ends_friday_17", T(2026, 3, 6, 7), 1, WD, DEFAULT, T(2026, 3, 6, 17)),
    ("received_at_closing_starts_next_day", T(2026, 3, 2, 17), 1, WD, DEFAULT, T(2026, 3, 3, 17)),
    ("before_opening_counts_that_day", T(2026, 3, 3, 6), 1, WD, DEFAULT, T(2026, 3, 3, 17)),
    ("before_opening_day_count_differs", T(2026, 3, 3, 6), 1, WD, DAYCOUNT, T(2026, 3, 4, 17)),
    ("after_closing_both_conventions_agree", T(2026, 3, 3, 18), 2, WD, DAYCOUNT, T(2026, 3, 5, 17)),
    ("after_closing_working_time", T(2026, 3, 3, 18), 2, WD, DEFAULT, T(2026, 3, 5, 17)),
    (
        "seconds_round_up_to_the_minute",
        T(2026, 3, 3, 10, 0, 30),
        1,
        WH,
        DEFAULT,
        T(2026, 3, 3, 11, 1),
    ),
    ("zero_hours_is_the_normalised_start", T(2026, 3, 7, 9), 0, WH, DEFAULT, T(2026, 3, 9, 7)),
    ("fraction_of_an_hour", T(2026, 3, 3, 7), Fraction(1, 3), WH, DEFAULT, T(2026, 3, 3, 7, 20)),
    ("decimal_amount", T(2026, 3, 3, 7), Decimal("1.5"), WH, DEFAULT, T(2026, 3, 3, 8, 30)),
    ("float_tenth_is_exact", T(2026, 3, 3, 7), 0.1, WH, DEFAULT, T(2026, 3, 3, 7, 6)),
    ("calendar_days_clock_clamped", T(2026, 3, 5, 20), 3, CD, DEFAULT, T(2026, 3, 9, 17)),
    ("calendar_days_lunch_clamped", T(2026, 3, 5, 12), 1, CD, DEFAULT, T(2026, 3, 6, 11, 30)),
    ("calendar_days_before_opening", T(2026, 3, 5, 5), 1, CD, DEFAULT, T(2026, 3, 6, 7)),
    ("calendar_days_zero_rolls_forward", T(2026, 3, 7, 10), 0, CD, DEFAULT, T(2026, 3, 9, 10)),
    ("calendar_days_onto_make_up_sat", T(2026, 1, 3, 10), 7, CD, DEFAULT, T(2026, 1, 10, 10)),
    ("month_end_31_03_to_30_04_holiday", T(2026, 3, 31, 9), 1, MO, DEFAULT, T(2026, 5, 4, 9)),
    ("months_across_year_end", T(2025, 11, 30, 9), 3, MO, DEFAULT, T(2026, 3, 2, 9)),
    ("leap_year_month_end", T(2028, 1, 31, 9), 1, MO, DEFAULT, T(2028, 2, 29, 9)),
    ("calendar_days_cutoff_shifts_anchor", T(2026, 3, 5, 16), 1, CD, CUTOFF, T(2026, 3, 9, 7)),
]


@pytest.mark.parametrize(
    ("received", "amount", "unit", "options", "expected"),
    [row[1:] for row in WORKED_EXAMPLES + OWN_ROWS],
    ids=[row[0] for row in WORKED_EXAMPLES + OWN_ROWS],
)
def test_due_dates_match_the_table(received, amount, unit, options, expected):
    result = CAL.due_date(received, amount, unit, options)
    assert result.due_at == expected
    assert CAL.add(received, amount, unit, options) == expected
    assert result.due_at.tzinfo is VN_TZ
    assert render_explanation(result.explanation, "vi")
    assert render_explanation(result.explanation, "en")


def test_three_working_days_across_tet_2026_is_explained_in_vietnamese():
    lines = CAL.due_date(T(2026, 2, 12, 10), 3, WD).render()
    assert "Thứ Bảy 14/02/2026 – Chủ Nhật 22/02/2026: nghỉ Tết Nguyên Đán (TB 9441/TB-BNV)" in lines
    assert lines[-1] == "Hạn: 10:00 Thứ Ba 24/02/2026"


def test_three_working_days_across_tet_2026_without_tet_rows_lands_on_mung_1():
    plain = compile_calendar(CalendarSpec(first_year=2026, last_year=2026))
    assert plain.add(T(2026, 2, 12, 10), 3, WD) == T(2026, 2, 17, 10)


def test_cutoff_start_and_transfer_for_example_2():
    result = CAL.due_date(T(2026, 4, 24, 16), 3, WD, CUTOFF)
    assert result.counting_starts_at == T(2026, 4, 28, 7)
    kinds = [item.kind for item in result.explanation]
    assert "cutoff_applied" in kinds
    skipped = [i for i in result.explanation if isinstance(i, DaysOffSkipped)]
    assert (skipped[0].first, skipped[0].last) == (date(2026, 4, 25), date(2026, 4, 27))
    transfer = transfer_due(CAL, T(2026, 4, 24, 16))
    assert transfer.next_day
    assert transfer.due_at == T(2026, 4, 28, 8)  # opening + 1 working hour of grace (design)
    assert transfer_due(CAL, T(2026, 4, 24, 10)).due_at == T(2026, 4, 24, 17)


def test_make_up_saturday_is_explained_and_missing_it_is_one_day_too_lenient():
    result = CAL.due_date(T(2026, 1, 9, 14), 2, WD)
    used = [i for i in result.explanation if isinstance(i, MakeUpDayUsed)]
    assert [u.day for u in used] == [date(2026, 1, 10)]
    assert "Thứ Bảy 10/01/2026: ngày làm bù (CV 12729/VPCP-KGVX)" in result.render()
    before = compile_calendar(without(SPEC, make_up={date(2026, 1, 10)}))
    assert before.add(T(2026, 1, 9, 14), 2, WD) == T(2026, 1, 13, 14)


def test_late_new_year_notice_moves_an_open_dossier_by_one_day():
    before = compile_calendar(
        without(SPEC, days_off={date(2026, 1, 2)}, make_up={date(2026, 1, 10)})
    )
    assert before.add(T(2025, 12, 24, 10), 7, WD) == T(2026, 1, 5, 10)
    assert CAL.add(T(2025, 12, 24, 10), 7, WD) == T(2026, 1, 6, 10)


def test_year_end_receipt_keeps_its_reception_date_while_counting_starts_in_january():
    result = CAL.due_date(T(2025, 12, 31, 16), 1, WD, CUTOFF)
    assert result.received_at.date() == date(2025, 12, 31)
    assert result.counting_starts_at == T(2026, 1, 5, 7)


def test_online_submission_during_tet_intake_check():
    submitted = T(2026, 2, 17, 20)
    normalised = CAL.next_working_instant(submitted)
    assert normalised == T(2026, 2, 23, 7)
    intake_limit = CAL.add_working_time(normalised, 8 * 60)
    assert intake_limit == T(2026, 2, 23, 17)
    assert T(2026, 2, 23, 8, 15) <= intake_limit


def test_calendar_days_explain_the_roll_forward_out_of_tet_2025():
    lines = CAL.due_date(T(2025, 1, 16, 10), 15, CD).render("en")
    assert "Friday 31/01/2025 is not a working day: moved to Monday 03/02/2025" in lines


def test_one_month_from_30_january_explains_the_month_end_clamp():
    lines = CAL.due_date(T(2026, 1, 30, 10), 1, MO).render()
    assert "Không có ngày 30/02/2026: lấy ngày cuối tháng, Thứ Bảy 28/02/2026" in lines


def test_2027_due_dates_are_flagged_provisional():
    result = CAL.due_date(T(2027, 2, 3, 10), 3, WD)
    assert result.provisional_years == (2027,)
    assert any(isinstance(i, ProvisionalCalendar) for i in result.explanation)
    assert CAL.due_date(T(2026, 2, 12, 10), 3, WD).provisional_years == ()


# --- §11 example 10: supplementation --------------------------------------------------------

RECEIVED_10 = T(2026, 3, 2, 9)
DUE_10 = T(2026, 3, 16, 9)
ASKED_10 = T(2026, 3, 4, 10)
RESUMED_10 = T(2026, 3, 10, 15)


def test_supplement_window_is_three_working_days_from_reception():
    check = check_supplement_window(CAL, received_at=RECEIVED_10, requested_at=ASKED_10)
    assert check.allowed
    assert check.window_ends_at == T(2026, 3, 5, 9)
    late = check_supplement_window(CAL, received_at=RECEIVED_10, requested_at=T(2026, 3, 5, 9, 1))
    assert not late.allowed
    assert late.problems == ("request_after_window",)


def test_supplement_restarts_the_clock_per_decree():
    result = resume_after_supplement(
        CAL,
        due_legal=DUE_10,
        asked_at=ASKED_10,
        resumed_at=RESUMED_10,
        amount=10,
        unit=WD,
    )
    assert result.due_at == T(2026, 3, 24, 15)
    assert result.paused_working_minutes == 35 * 60
    assert result.explanation[1].kind == "restarted"


def test_supplement_shift_adds_working_time_never_wall_clock():
    result = resume_after_supplement(
        CAL,
        due_legal=DUE_10,
        asked_at=ASKED_10,
        resumed_at=RESUMED_10,
        amount=10,
        unit=WD,
        policy="shift",
    )
    assert result.due_at == T(2026, 3, 20, 14)
    assert result.paused_working_minutes == 35 * 60
    remaining = CAL.working_minutes_between(ASKED_10, DUE_10)
    assert remaining == 63 * 60
    assert CAL.add_working_time(RESUMED_10, remaining) == result.due_at
    wall_clock = DUE_10 + (RESUMED_10 - ASKED_10)
    assert wall_clock == T(2026, 3, 22, 14)
    assert not CAL.is_working_day(wall_clock.date())
    first_line = render_explanation(result.explanation)[0]
    assert first_line.startswith("Tạm dừng chờ bổ sung 35 giờ làm việc")


def test_pause_of_whole_working_days_renders_in_days():
    result = shift_due(
        CAL,
        due=DUE_10,
        paused_at=T(2026, 3, 3, 7),
        resumed_at=T(2026, 3, 5, 17),
        cause="supplement",
    )
    assert result.paused_working_minutes == 3 * 480
    assert render_explanation(result.explanation)[0].startswith(
        "Tạm dừng chờ bổ sung 3 ngày làm việc"
    )


def test_payment_pause_shifts_by_working_time():
    result = shift_due(CAL, due=DUE_10, paused_at=T(2026, 3, 6, 16), resumed_at=T(2026, 3, 9, 8))
    assert result.paused_working_minutes == 120
    assert result.due_at == T(2026, 3, 16, 11)


def test_a_zero_pause_keeps_a_due_at_closing():
    due = T(2026, 3, 6, 17)
    assert shift_due(CAL, due=due, paused_at=due, resumed_at=due).due_at == due


# --- §11 example 11: apology and the one extension -------------------------------------------

DUE_11 = T(2026, 4, 13, 10)


@pytest.mark.parametrize(
    ("apology_at", "mode", "allowed"),
    [
        (T(2026, 4, 10, 9), "date", True),
        (T(2026, 4, 10, 16), "date", True),  # date mode: any time on Fri 10/04
        (T(2026, 4, 11, 9), "date", False),  # Sat 11/04
        (T(2026, 4, 13, 8), "date", False),  # Mon 13/04 08:00
        (T(2026, 4, 10, 9), "instant", True),
        (T(2026, 4, 10, 10), "instant", True),
        (T(2026, 4, 10, 10, 1), "instant", False),
    ],
)
def test_apology_must_come_at_least_one_day_before_the_due(apology_at, mode, allowed):
    check = check_extension(
        CAL, due_current=DUE_11, new_due=T(2026, 4, 16, 10), apology_at=apology_at, mode=mode
    )
    assert check.allowed is allowed
    assert check.problems == (() if allowed else ("apology_too_late",))


def test_latest_apology_in_each_mode():
    by_date = check_extension(
        CAL, due_current=DUE_11, new_due=T(2026, 4, 16, 10), apology_at=T(2026, 4, 10, 9)
    )
    assert by_date.latest_apology_date == date(2026, 4, 10)
    by_instant = check_extension(
        CAL,
        due_current=DUE_11,
        new_due=T(2026, 4, 16, 10),
        apology_at=T(2026, 4, 10, 9),
        mode="instant",
    )
    assert by_instant.latest_apology_at == T(2026, 4, 10, 10)
    assert CAL.add(DUE_11, 3, WD) == T(2026, 4, 16, 10)


def test_only_one_extension_and_it_must_be_later():
    second = check_extension(
        CAL,
        due_current=T(2026, 4, 16, 10),
        new_due=T(2026, 4, 20, 10),
        apology_at=T(2026, 4, 15, 9),
        previous_extensions=1,
    )
    assert second.problems == ("already_extended",)
    earlier = check_extension(
        CAL, due_current=DUE_11, new_due=T(2026, 4, 13, 9), apology_at=T(2026, 4, 9, 9)
    )
    assert earlier.problems == ("not_later",)
    assert "Ngày hẹn mới phải sau ngày hẹn hiện tại" in render_explanation(earlier.explanation)


def test_apology_deadline_skips_a_holiday_before_the_due():
    # Due Mon 04/05/2026: the working day before is Wed 29/04 (30/04–03/05 off).
    check = check_extension(
        CAL, due_current=T(2026, 5, 4, 9), new_due=T(2026, 5, 6, 9), apology_at=T(2026, 4, 30, 9)
    )
    assert check.latest_apology_date == date(2026, 4, 29)
    assert not check.allowed


def test_resolved_after_legal_due_but_within_extension_is_late_with_apology():
    result = classify_finished(T(2026, 4, 15, 10), DUE_11, T(2026, 4, 16, 10))
    assert result.outcome is Outcome.LATE_WITH_APOLOGY
    assert render_explanation(result.explanation) == ["Kết quả: quá hạn có xin lỗi"]


# --- §10 mini-example and open dossiers -------------------------------------------------------

DUE_MINI = T(2026, 2, 24, 10)


@pytest.mark.parametrize(
    ("end", "granularity", "expected"),
    [
        (T(2026, 2, 23, 16), "instant", Outcome.EARLY),
        (T(2026, 2, 23, 16), "day", Outcome.EARLY),
        (T(2026, 2, 24, 9, 30), "instant", Outcome.ON_TIME),
        (T(2026, 2, 24, 9, 30), "day", Outcome.ON_TIME),
        (T(2026, 2, 24, 15), "instant", Outcome.LATE),
        (T(2026, 2, 24, 15), "day", Outcome.ON_TIME),
        (T(2026, 2, 24, 10), "instant", Outcome.ON_TIME),
        (T(2026, 2, 25, 8), "day", Outcome.LATE),
    ],
)
def test_classification_of_finished_dossiers(end, granularity, expected):
    assert classify_finished(end, DUE_MINI, granularity=granularity).outcome is expected


def test_late_beyond_the_extension_is_plain_late():
    result = classify_finished(T(2026, 4, 17, 10), DUE_11, T(2026, 4, 16, 10))
    assert result.outcome is Outcome.LATE


def test_open_dossier_is_monitored_against_the_appointment_held():
    within = classify_open(T(2026, 4, 14, 9), T(2026, 4, 16, 10), DUE_11)
    assert within.outcome is Outcome.WITHIN_TIME
    assert within.past_legal
    overdue = classify_open(T(2026, 4, 16, 10, 1), T(2026, 4, 16, 10))
    assert overdue.outcome is Outcome.OVERDUE


# --- §11 example 12: step budgets ------------------------------------------------------------


def test_step_budgets_chain_to_the_dossier_due():
    dossier_due = CAL.add(T(2026, 5, 11, 8), 10, WD)
    assert dossier_due == T(2026, 5, 25, 8)
    expected = [
        (4, T(2026, 5, 11, 14)),
        (48, T(2026, 5, 19, 14)),
        (12, T(2026, 5, 21, 8)),
        (8, T(2026, 5, 22, 8)),
        (4, T(2026, 5, 22, 14)),
        (4, T(2026, 5, 25, 8)),
    ]
    start = T(2026, 5, 11, 8)
    for hours, due in expected:
        step = step_due(CAL, started_at=start, amount=hours, dossier_due=dossier_due)
        assert step.due_at == due
        assert not step.capped
        start = step.due_at


def test_late_step_is_flagged_and_the_next_step_keeps_its_budget():
    handler_due = T(2026, 5, 19, 14)
    finished = T(2026, 5, 20, 10)
    assert working_lateness(CAL, due=handler_due, finished_at=finished) == 6 * 60
    assert working_lateness(CAL, due=handler_due, finished_at=T(2026, 5, 19, 9)) == 0
    head = step_due(CAL, started_at=finished, amount=12, dossier_due=T(2026, 5, 25, 8))
    assert head.due_at == T(2026, 5, 21, 16)


def test_step_due_never_exceeds_the_dossier_due():
    step = step_due(CAL, started_at=T(2026, 5, 22, 14), amount=8, dossier_due=T(2026, 5, 25, 8))
    assert step.capped
    assert step.due_at == T(2026, 5, 25, 8)
    assert step.explanation[-2].kind == "capped_at_dossier_due"


# --- working-time primitives -----------------------------------------------------------------


def test_working_minutes_between_skips_lunch_nights_and_holidays():
    assert CAL.working_minutes_between(T(2026, 3, 3, 10, 30), T(2026, 3, 3, 16, 30)) == 240
    assert CAL.working_minutes_between(T(2026, 2, 13, 7), T(2026, 2, 23, 17)) == 960
    assert CAL.working_minutes_between(T(2026, 3, 3, 16, 30), T(2026, 3, 3, 10, 30)) == -240


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (T(2026, 3, 3, 6), T(2026, 3, 3, 7)),  # before opening
        (T(2026, 3, 3, 7), T(2026, 3, 3, 7)),
        (T(2026, 3, 3, 11, 30), T(2026, 3, 3, 13, 30)),  # lunch starts at 11:30
        (T(2026, 3, 3, 12, 15), T(2026, 3, 3, 13, 30)),
        (T(2026, 3, 3, 16, 59), T(2026, 3, 3, 16, 59)),
        (T(2026, 3, 3, 17), T(2026, 3, 4, 7)),  # at closing → next opening
        (T(2026, 2, 13, 18), T(2026, 2, 23, 7)),  # Fri before Tết → after Tết
        (T(2026, 1, 9, 17, 30), T(2026, 1, 10, 7)),  # make-up Saturday next
    ],
)
def test_next_working_instant_normalises_per_section_9_2_step_1(at, expected):
    assert CAL.next_working_instant(at) == expected


def test_next_working_instant_with_cutoff():
    assert CAL.next_working_instant(T(2026, 3, 3, 15), apply_cutoff=True) == T(2026, 3, 4, 7)
    assert CAL.next_working_instant(T(2026, 3, 3, 14, 59), apply_cutoff=True) == T(
        2026, 3, 3, 14, 59
    )


def test_subtract_working_time_is_the_inverse_of_add():
    assert CAL.subtract_working_time(T(2026, 3, 3, 17), 480) == T(2026, 3, 3, 7)
    assert CAL.subtract_working_time(T(2026, 2, 23, 10), 480) == T(2026, 2, 13, 10)


def test_other_time_zones_are_converted_to_vietnam_time():
    utc = datetime(2026, 2, 12, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
    assert CAL.add(utc, 3, WD) == T(2026, 2, 24, 10)
    assert CAL.add(utc, 3, WD).tzinfo is VN_TZ


def test_day_queries():
    assert CAL.is_working_day(date(2026, 1, 10))
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.day_reason(date(2026, 3, 3)) is None
    assert CAL.office_periods(date(2026, 3, 7)) == ()
    assert CAL.office_periods(date(2026, 3, 6)) == (
        (time(7), time(11, 30)),
        (time(13, 30), time(17)),
    )
    assert CAL.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert CAL.previous_working_day(date(2026, 2, 23)) == date(2026, 2, 13)
    assert CAL.closing_instant(date(2026, 3, 3)) == T(2026, 3, 3, 17)
    assert CAL.is_closing_instant(T(2026, 3, 3, 11, 30))
    assert not CAL.is_working_instant(T(2026, 3, 3, 11, 30))


def test_saturday_morning_reception_does_not_make_saturday_count():
    week = SPEC.weekly_periods
    reception = (*week[:5], ((time(7), time(11, 30)),), ())
    cal = compile_calendar(dataclasses.replace(SPEC, reception_periods=reception))
    saturday = T(2026, 3, 7, 9)
    assert cal.is_reception_open(saturday)
    assert not cal.is_reception_open(T(2026, 3, 7, 14))
    assert not cal.is_reception_open(T(2026, 2, 17, 9))  # Tết
    assert not cal.is_working_day(saturday.date())
    assert cal.due_date(saturday, 1, WD).counting_starts_at == T(2026, 3, 9, 7)
    assert CAL.is_reception_open(T(2026, 3, 6, 9))
    assert not CAL.is_reception_open(saturday)


def test_make_up_day_with_its_own_periods_and_seasonal_hours():
    spec = CalendarSpec(
        first_year=2026,
        last_year=2026,
        make_up_days={date(2026, 3, 7): Reason("Làm bù", "Make-up", "TB 1", "test")},
        make_up_periods={date(2026, 3, 7): ((time(7, 30), time(11, 30)),)},
        seasons=(
            (
                date(2026, 5, 1),
                (((time(7, 30), time(11, 30)), (time(13), time(17))),) * 5 + ((), ()),
            ),
        ),
    )
    cal = compile_calendar(spec)
    assert cal.add(T(2026, 3, 6, 16), 2, WH) == T(2026, 3, 7, 8, 30)
    assert cal.add(T(2026, 3, 7, 11), 0, SD) == T(2026, 3, 7, 11, 30)
    assert cal.add(T(2026, 5, 4, 7), 1, WH) == T(2026, 5, 4, 8, 30)
    assert cal.next_working_instant(T(2026, 5, 4, 12, 30)) == T(2026, 5, 4, 13)


def test_compiled_calendars_are_cached_by_fingerprint_and_small():
    again = compile_calendar(national_calendar_spec())
    assert again is CAL
    assert hash(SPEC) == hash(national_calendar_spec())
    assert CAL.memory_bytes() < 1024 * 1024
    with pytest.raises(TypeError):
        CAL.spec.days_off[date(2030, 1, 2)] = Reason("x", "x")
    with pytest.raises(TypeError):
        CAL._cum[0] = 1  # read-only buffers


def test_explanation_items_are_plain_dataclasses():
    result = CAL.due_date(T(2026, 2, 12, 10), 3, WD)
    rows = [dataclasses.asdict(item) for item in result.explanation]
    assert [row["kind"] for row in rows] == [
        "limit",
        "received",
        "counting_starts",
        "days_off_skipped",
        "due",
    ]
    assert rows[3]["reason"]["source"] == "TB 9441/TB-BNV"


def test_weekends_are_summarised_in_one_line():
    lines = CAL.due_date(T(2026, 3, 2, 9), 10, WD).render()
    assert "Nghỉ hằng tuần (Thứ Bảy, Chủ Nhật): 07/03, 08/03, 14/03, 15/03/2026" in lines


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: CAL.add(datetime(2026, 3, 3, 10), 1, WD), "naive_datetime"),
        (lambda: CAL.due_date(datetime(2026, 3, 3, 10), 1, WD), "naive_datetime"),
        (lambda: CAL.add(date(2026, 3, 3), 1, WD), "naive_datetime"),
        (lambda: CAL.add_working_time(datetime(2026, 3, 3, 10), 60), "naive_datetime"),
        (lambda: CAL.next_working_instant(datetime(2026, 3, 3)), "naive_datetime"),
        (
            lambda: CAL.working_minutes_between(T(2026, 3, 3), datetime(2026, 3, 4)),
            "naive_datetime",
        ),
        (lambda: classify_finished(datetime(2026, 3, 3), DUE_MINI), "naive_datetime"),
        (lambda: CAL.add(T(1989, 12, 31, 10), 1, WD), "out_of_range"),
        (lambda: CAL.add(T(2101, 1, 1, 10), 1, WD), "out_of_range"),
        (lambda: CAL.add(T(2100, 12, 28, 10), 10, WD), "out_of_range"),
        (lambda: CAL.add(T(2100, 12, 28, 10), 10, CD), "out_of_range"),
        (lambda: CAL.add(T(2100, 12, 28, 10), 2, MO), "out_of_range"),
        (lambda: CAL.is_working_day(date(2101, 1, 1)), "out_of_range"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 1, "weeks"), "unknown_unit"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 1, None), "unknown_unit"),
        (lambda: CAL.due_date(T(2026, 3, 3, 10), 1, "ngày"), "unknown_unit"),
        (lambda: CAL.add(T(2026, 3, 3, 10), -1, WD), "negative_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), -0.5, WH), "negative_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), Decimal("-1"), CD), "negative_amount"),
        (lambda: CAL.add_working_time(T(2026, 3, 3, 10), -5), "negative_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 10**6, WD), "amount_too_large"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 20_881, WH), "amount_too_large"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 3661, CD), "amount_too_large"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 121, MO), "amount_too_large"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 1.5, MO), "fractional_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), 2.5, WD, DAYCOUNT), "fractional_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), "3", WD), "invalid_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), True, WD), "invalid_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), float("nan"), WD), "invalid_amount"),
        (lambda: CAL.add(T(2026, 3, 3, 10), float("inf"), WD), "invalid_amount"),
        (lambda: DueOptions(counting="weekly"), "invalid_option"),
        (lambda: render_explanation([], "fr"), "invalid_option"),
        (
            lambda: CalendarSpec(weekly_periods=(((time(8), time(12)), (time(11), time(17))),) * 7),
            "invalid_spec",
        ),
        (lambda: CalendarSpec(weekly_periods=(((time(17), time(8)),),) * 7), "invalid_spec"),
        (lambda: CalendarSpec(first_year=2100, last_year=1990), "invalid_spec"),
        (
            lambda: shift_due(CAL, due=DUE_10, paused_at=T(2026, 3, 5), resumed_at=T(2026, 3, 4)),
            "invalid_interval",
        ),
        (
            lambda: resume_after_supplement(
                CAL,
                due_legal=DUE_10,
                asked_at=ASKED_10,
                resumed_at=RESUMED_10,
                amount=10,
                unit=WD,
                policy="pause",
            ),
            "invalid_option",
        ),
        (lambda: classify_finished(DUE_MINI, DUE_MINI, granularity="week"), "invalid_option"),
    ],
)
def test_bad_input_raises_a_calendar_error_with_a_stable_code(call, code):
    with pytest.raises(CalendarError) as caught:
        call()
    assert caught.value.code == code
    assert code in ERROR_CODES
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)  # a plain-English message


def test_calendar_errors_survive_pickling():
    with pytest.raises(CalendarError) as caught:
        CAL.add(T(2026, 3, 3, 10), 1, "weeks")
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes
    assert copy.code == "unknown_unit"
    assert str(copy) == str(caught.value)
    assert copy.params == caught.value.params


def test_timedelta_amounts_are_refused():
    with pytest.raises(CalendarError) as caught:
        CAL.add(T(2026, 3, 3, 10), timedelta(hours=1), WH)
    assert caught.value.code == "invalid_amount"
