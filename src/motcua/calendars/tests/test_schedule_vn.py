"""The national schedule: decreed 2025/2026 tables (domain notes §4) and computed years (§3)."""

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from motcua.calendars.engine import Reason, compile_calendar
from motcua.calendars.schedule_vn import (
    DECREED_YEARS,
    STATUS_NOT_YET_DECREED,
    STATUS_SECONDARY,
    EntryKind,
    national_calendar_spec,
    national_schedule,
    provisional_years,
)

CAL = compile_calendar(national_calendar_spec())


def reason_of(day: date) -> Reason:
    reason = CAL.day_reason(day)
    assert reason is not None, day
    return reason


# §4.1 / §4.2 "Admin data": weekday days off and make-up Saturdays.
WEEKDAYS_OFF = {
    2025: {
        date(2025, 1, 1),
        *(date(2025, 1, d) for d in range(27, 32)),
        date(2025, 4, 7),
        date(2025, 4, 30),
        date(2025, 5, 1),
        date(2025, 5, 2),
        date(2025, 9, 1),
        date(2025, 9, 2),
    },
    2026: {
        date(2026, 1, 1),
        date(2026, 1, 2),
        *(date(2026, 2, d) for d in range(16, 21)),
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
    },
}
MAKE_UP_SATURDAYS = {
    2025: {date(2025, 4, 26)},
    2026: {date(2026, 1, 10), date(2026, 8, 22)},
}

# The off blocks of §4 with the occasion name and instrument shown to applicants.
BLOCKS = [
    (date(2025, 1, 1), date(2025, 1, 1), "Tết Dương lịch", "BLLĐ 2019 Điều 112"),
    (
        date(2025, 1, 25),
        date(2025, 2, 2),
        "Tết Nguyên Đán",
        "CV 8726/VPCP-KGVX; TB 6150/TB-BLĐTBXH",
    ),
    (date(2025, 4, 7), date(2025, 4, 7), "Giỗ Tổ Hùng Vương", "BLLĐ 2019 Điều 112"),
    (
        date(2025, 4, 30),
        date(2025, 5, 4),
        "Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5",
        "CV 8726/VPCP-KGVX; TB 6150/TB-BLĐTBXH",
    ),
    (date(2025, 8, 30), date(2025, 9, 2), "Quốc khánh 2/9", "TB 6150/TB-BLĐTBXH"),
    (date(2026, 1, 1), date(2026, 1, 4), "Tết Dương lịch", "CV 12729/VPCP-KGVX"),
    (date(2026, 2, 14), date(2026, 2, 22), "Tết Nguyên Đán", "TB 9441/TB-BNV"),
    (date(2026, 4, 25), date(2026, 4, 27), "Giỗ Tổ Hùng Vương", "BLLĐ 2019 Điều 111.3, 112"),
    (
        date(2026, 4, 30),
        date(2026, 5, 3),
        "Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5",
        "BLLĐ 2019 Điều 112",
    ),
    (date(2026, 8, 29), date(2026, 9, 2), "Quốc khánh 2/9", "TB 9441/TB-BNV"),
]


def days_of(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_decreed_years_is_classified_as_the_tables_say(year):
    for day in days_of(year):
        expected_working = (
            day.weekday() < 5 and day not in WEEKDAYS_OFF[year]
        ) or day in MAKE_UP_SATURDAYS[year]
        assert CAL.is_working_day(day) is expected_working, day
        if day in MAKE_UP_SATURDAYS[year]:
            assert CAL.day_kind(day) == "make_up"
        elif day in WEEKDAYS_OFF[year]:
            assert CAL.day_kind(day) == "day_off"
        elif day.weekday() >= 5:
            assert CAL.day_kind(day) in {"weekly_rest", "day_off"}  # day_off inside a block
        else:
            assert CAL.day_kind(day) == "working"


@pytest.mark.parametrize(("first", "last", "name_vi", "source"), BLOCKS)
def test_each_decreed_block_carries_its_occasion_and_instrument(first, last, name_vi, source):
    day = first
    while day <= last:
        reason = CAL.day_reason(day)
        assert reason is not None, day
        assert (reason.name_vi, reason.source) == (name_vi, source)
        assert reason.status.startswith(STATUS_SECONDARY)
        day += timedelta(days=1)


def test_decreed_years_have_11_statutory_plus_swapped_weekdays_off():
    for year, expected in ((2025, 12), (2026, 13)):
        off = [d for d in days_of(year) if d.weekday() < 5 and not CAL.is_working_day(d)]
        assert len(off) == expected


def test_make_up_saturdays_cite_their_notice():
    assert reason_of(date(2026, 1, 10)).source == "CV 12729/VPCP-KGVX"
    assert reason_of(date(2026, 8, 22)).source == "TB 9441/TB-BNV"
    assert "02/05/2025" in reason_of(date(2025, 4, 26)).detail_vi


def test_new_year_2026_swap_is_in_the_table_even_though_holidays_vn_misses_it():
    assert not CAL.is_working_day(date(2026, 1, 2))
    assert CAL.is_working_day(date(2026, 1, 10))


def test_culture_day_24_november_is_not_a_day_off():
    # §3: proposed, not law as of 26/02/2026; holidays 0.109 lists it from 2026.
    for year in (2026, 2027, 2030):
        assert CAL.is_working_day(date(year, 11, 24)) is (date(year, 11, 24).weekday() < 5)
    assert not any("Văn hóa" in e.name_vi for e in national_schedule(2026, 2040))


def test_2027_statutory_days_and_compensatory_days_are_days_off_flagged_not_yet_decreed():
    expected_off = [
        date(2027, 1, 1),  # New Year (Fri)
        *(date(2027, 2, d) for d in range(5, 10)),  # Tết: eve (Fri 05) .. mùng 4 (Tue 09)
        date(2027, 2, 10),  # compensatory for Sat 06/02 (Art 111(3))
        date(2027, 2, 11),  # compensatory for Sun 07/02
        date(2027, 4, 16),  # Hùng Kings, lunar 10/3
        date(2027, 4, 30),
        date(2027, 5, 1),  # a Saturday …
        date(2027, 5, 3),  # … so Monday is the compensatory day
        date(2027, 9, 2),
        date(2027, 9, 3),
    ]
    for day in expected_off:
        reason = CAL.day_reason(day)
        assert reason is not None, day
        assert CAL.day_kind(day) == "day_off"
        assert reason.status == STATUS_NOT_YET_DECREED
    assert reason_of(date(2027, 2, 11)).name_vi == "Tết Nguyên Đán"
    assert "nghỉ bù" in reason_of(date(2027, 2, 11)).detail_vi
    weekdays_off = [d for d in days_of(2027) if d.weekday() < 5 and not CAL.is_working_day(d)]
    assert sorted(weekdays_off) == sorted(d for d in expected_off if d.weekday() < 5)


def test_compensatory_rule_moves_a_sunday_holiday_to_monday_in_computed_years():
    # 2028: New Year Sat 01/01 → Mon 03/01; 30/04 Sun → Tue 02/05 (Mon 01/05 is itself a holiday).
    assert CAL.day_kind(date(2028, 1, 3)) == "day_off"
    assert CAL.day_kind(date(2028, 5, 2)) == "day_off"


def test_schedule_entries_expose_date_kind_names_source_and_status():
    entries = national_schedule(2025, 2027)
    assert all(e.name_vi and e.name_en and e.source and e.status for e in entries)
    kinds = {e.kind for e in entries}
    assert kinds == {EntryKind.DAY_OFF, EntryKind.MAKE_UP_WORKING_DAY}
    decreed = [e for e in entries if e.date.year in DECREED_YEARS]
    assert all(e.status.startswith(STATUS_SECONDARY) for e in decreed)
    make_ups = [e.date for e in entries if e.kind is EntryKind.MAKE_UP_WORKING_DAY]
    assert make_ups == [date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]
    assert entries == tuple(sorted(entries, key=lambda e: e.date))


def test_historical_swaps_from_holidays_vn_keep_their_make_up_day():
    # 2024: Mon 29/04 off, Sat 04/05 worked (holidays.VN static swap).
    assert CAL.day_kind(date(2024, 4, 29)) == "day_off"
    assert CAL.day_kind(date(2024, 5, 4)) == "make_up"


def test_years_without_a_decreed_table_are_provisional():
    years = provisional_years(2024, 2028)
    assert years == {2024, 2027, 2028}
    assert CAL.spec.provisional_years >= {2027, 2100}
    assert 2026 not in CAL.spec.provisional_years
