"""The national calendar in the database: seeded tables, compiled view, edits and their history."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.calendars.models import (
    NATIONAL_CODE,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    ChangeAction,
    DayKind,
    WorkingCalendar,
)
from motcua.calendars.selectors import (
    calendar_by_code,
    compiled_calendar,
    compute_due_date,
    special_days,
    year_is_provisional,
)
from motcua.calendars.services import (
    confirm_year,
    create_calendar,
    remove_calendar_day,
    set_calendar_day,
    set_office_hours,
)
from motcua.core.errors import DomainError

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.fixture
def national() -> WorkingCalendar:
    return WorkingCalendar.objects.get(code=NATIONAL_CODE)


def test_the_migration_seeds_2025_and_2026_as_decreed_and_2027_as_provisional(national):
    years = dict(CalendarYear.objects.filter(calendar=national).values_list("year", "provisional"))
    assert years == {2025: False, 2026: False, 2027: True}
    assert CalendarDay.objects.get(calendar=national, date=dt.date(2026, 1, 10)).kind == (
        DayKind.MAKE_UP_WORKING_DAY
    )
    assert not year_is_provisional(national, 2026)
    assert year_is_provisional(national, 2027)
    assert year_is_provisional(national, 2030)


def test_the_database_calendar_answers_the_worked_examples(national):
    due = compute_due_date(at("2026-02-12T10:00"), 3, "working_days")
    assert due.due_at == at("2026-02-24T10:00")  # example 1, across Tết 2026
    due = compute_due_date(at("2026-01-09T14:00"), 2, "working_days")
    assert due.due_at == at("2026-01-12T14:00")  # example 3, make-up Saturday 10/01/2026
    due = compute_due_date(at("2025-01-16T10:00"), 15, "calendar_days")
    assert due.due_at == at("2025-02-03T10:00")  # example 7, calendar days landing in Tết 2025


def test_adding_a_day_off_moves_due_dates_at_once_and_is_recorded(national, officer_province):
    before = compute_due_date(at("2026-11-23T10:00"), 1, "working_days").due_at
    assert before == at("2026-11-24T10:00")
    set_calendar_day(
        national,
        date=dt.date(2026, 11, 24),
        kind=DayKind.DAY_OFF,
        name_vi="Ngày Văn hóa Việt Nam",
        source="TB thử nghiệm",
        actor=officer_province,
        reason="test",
    )
    after = compute_due_date(at("2026-11-23T10:00"), 1, "working_days")
    assert after.due_at == at("2026-11-25T10:00")
    assert any("Ngày Văn hóa Việt Nam" in line for line in after.render("vi"))
    change = CalendarChange.objects.filter(calendar=national).first()
    assert change is not None
    assert change.action == ChangeAction.ADDED
    assert change.actor == officer_province
    assert change.after["source"] == "TB thử nghiệm"


def test_a_day_off_on_a_weekend_changes_nothing_and_is_refused(national):
    revision = national.revision
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            national,
            date=dt.date(2026, 11, 21),
            kind=DayKind.DAY_OFF,
            name_vi="Thứ Bảy",
            source="x",
        )
    assert error.value.code == "already_off"
    national.refresh_from_db()
    assert national.revision == revision


def test_a_make_up_day_on_a_working_day_is_refused(national):
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            national,
            date=dt.date(2026, 11, 23),
            kind="make_up_working_day",
            name_vi="Làm bù",
            source="x",
        )
    assert error.value.code == "already_working"


def test_an_entry_needs_a_legal_source_and_a_name(national):
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            national, date=dt.date(2026, 11, 24), kind=DayKind.DAY_OFF, name_vi="X", source="  "
        )
    assert error.value.code == "source_required"
    assert "căn cứ" in str(error.value)
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            national, date=dt.date(2026, 11, 24), kind=DayKind.DAY_OFF, name_vi="", source="x"
        )
    assert error.value.code == "name_required"


def test_repeating_an_entry_exactly_is_refused(national):
    day = CalendarDay.objects.get(calendar=national, date=dt.date(2026, 1, 10))
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            national,
            date=day.date,
            kind=day.kind,
            name_vi=day.name_vi,
            name_en=day.name_en,
            source=day.source,
            status=day.status,
            detail_vi=day.detail_vi,
            detail_en=day.detail_en,
        )
    assert error.value.code == "already_recorded"


def test_dates_outside_the_supported_range_are_refused(national):
    with pytest.raises(DomainError) as error:
        set_calendar_day(
            national, date=dt.date(2101, 1, 3), kind=DayKind.DAY_OFF, name_vi="X", source="y"
        )
    assert error.value.code == "out_of_range"


def test_removing_the_make_up_saturday_makes_it_a_rest_day_again(national, officer_province):
    remove_calendar_day(
        national, date=dt.date(2026, 1, 10), actor=officer_province, reason="kiểm thử"
    )
    assert compiled_calendar(national).day_kind(dt.date(2026, 1, 10)) == "weekly_rest"
    due = compute_due_date(at("2026-01-09T14:00"), 2, "working_days")
    assert due.due_at == at("2026-01-13T14:00")  # the domain notes' "one day too lenient" case
    change = CalendarChange.objects.filter(calendar=national).first()
    assert change.action == ChangeAction.REMOVED
    assert change.before["name_vi"]


def test_removing_needs_a_reason_and_an_entry(national):
    with pytest.raises(DomainError) as error:
        remove_calendar_day(national, date=dt.date(2026, 1, 10), reason=" ")
    assert error.value.code == "reason_required"
    with pytest.raises(DomainError) as error:
        remove_calendar_day(national, date=dt.date(2026, 3, 3), reason="x")
    assert error.value.code == "no_entry"


def test_editing_a_year_not_entered_keeps_its_other_holidays(national):
    labour_day = dt.date(2028, 5, 1)
    assert compiled_calendar(national).day_kind(labour_day) == "day_off"
    set_calendar_day(
        national,
        date=dt.date(2028, 11, 24),
        kind=DayKind.DAY_OFF,
        name_vi="Ngày Văn hóa Việt Nam",
        source="TB giả định",
    )
    assert compiled_calendar(national).day_kind(labour_day) == "day_off"
    assert CalendarYear.objects.get(calendar=national, year=2028).provisional
    assert CalendarDay.objects.filter(calendar=national, date__year=2028).count() > 5


def test_confirming_a_year_ends_its_provisional_status(national):
    confirm_year(national, year=2027, note="TB 1234/TB-BNV")
    assert not year_is_provisional(national, 2027)
    due = compute_due_date(at("2027-03-01T10:00"), 1, "working_days")
    assert due.provisional_years == ()
    with pytest.raises(DomainError) as error:
        confirm_year(national, year=2027, note="again")
    assert error.value.code == "already_confirmed"


def test_an_office_calendar_inherits_days_and_may_change_hours(national):
    office = create_calendar(code="ttpvhcc-thu-bay", name="TTPVHCC mở sáng thứ Bảy")
    weekday = [["07:30", "11:30"], ["13:30", "17:30"]]
    set_office_hours(office, weekly_periods=[weekday] * 5 + [[], []], cutoff=dt.time(16, 0))
    compiled = compiled_calendar(office)
    assert compiled.day_kind(dt.date(2026, 2, 17)) == "day_off"  # Tết inherited
    due = compute_due_date(at("2026-03-03T07:00"), 4, "working_hours", calendar=office)
    assert due.due_at == at("2026-03-03T11:30")
    assert calendar_by_code("ttpvhcc-thu-bay") == office


def test_office_hours_must_be_seven_ordered_days(national):
    with pytest.raises(DomainError) as error:
        set_office_hours(national, weekly_periods=[[["11:00", "07:00"]]] * 7)
    assert error.value.code == "invalid_hours"
    with pytest.raises(DomainError):
        set_office_hours(national, weekly_periods=[[]] * 3)


def test_unknown_calendar_codes_are_a_clear_error():
    with pytest.raises(DomainError) as error:
        calendar_by_code("khong-co")
    assert error.value.code == "unknown_calendar"
    assert str(error.value) == "Không có lịch làm việc mã “khong-co”."


def test_special_days_of_2026_list_every_weekday_off_and_make_up_day(national):
    days = {cell.date: cell.kind for cell in special_days(national, 2026)}
    weekdays_off = [d for d, kind in days.items() if kind == "day_off" and d.weekday() < 5]
    assert len(weekdays_off) == 13  # domain notes §4.2: 11 statutory + 2 swapped
    assert [d for d, kind in days.items() if kind == "make_up"] == [
        dt.date(2026, 1, 10),
        dt.date(2026, 8, 22),
    ]
