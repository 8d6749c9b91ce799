"""Processing time in working time (indices.md 2.2): reception → result by the receiving office's
calendar, minus the working time of completed supplement pauses, counted on the result's day."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.engine import VN_TZ, compile_calendar
from motcua.calendars.schedule_vn import national_calendar_spec
from motcua.reports.measures import INDEX, Event, Facts, contributions, subtract
from motcua.reports.units import AverageUnit, average, unit_for_limit, unit_of_procedure

# The national schedule of 2026: Tết Bính Ngọ is Sat 14/02 – Sun 22/02 (five weekdays off).
CALENDAR = compile_calendar(national_calendar_spec(2025, 2027))
FACTS = Facts(competent=1, receiving=2, version=3, channel="counter")


def t(day: int, month: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


def national(office: int, a: dt.datetime, b: dt.datetime) -> int:
    return CALENDAR.working_minutes_between(a, b)


def total(deltas, metric: str) -> int:
    return sum(row[INDEX[metric]] for row in deltas.values())


def resolved_on(deltas) -> set[dt.date]:
    return {key[0] for key, row in deltas.items() if row[INDEX["resolved_work_minutes"]]}


def with_supplement() -> list[Event]:
    """Received Fri 13/02 09:00, a supplement asked Mon 23/02 14:00 and brought Tue 24/02 08:00,
    the result Tue 24/02 10:00."""
    return [
        Event(1, "receive", t(13, 2), t(27, 2, 17)),
        Event(2, "request_supplement", t(23, 2, 14), t(27, 2, 17)),
        Event(3, "receive_supplement", t(24, 2, 8), t(3, 3, 8)),
        Event(4, "issue_result", t(24, 2, 10), t(3, 3, 8)),
    ]


def test_tet_holidays_and_weekends_do_not_count():
    # Received Fri 13/02 09:00 (6 h left that day), nothing from Sat 14/02 to Sun 22/02 (Tết),
    # Mon 23/02 a full day (8 h), result Tue 24/02 10:00 (3 h): 17 working hours.
    events = [
        Event(1, "receive", t(13, 2), t(27, 2, 17)),
        Event(2, "issue_result", t(24, 2, 10), t(27, 2, 17)),
    ]
    deltas = contributions(FACTS, events, working_minutes=national)
    assert total(deltas, "resolved_work_minutes") == 17 * 60
    assert total(deltas, "resolved_seconds") == (11 * 24 + 1) * 3600  # wall clock: 11 d 1 h
    assert resolved_on(deltas) == {dt.date(2026, 2, 24)}


def test_completed_supplement_pauses_are_subtracted_in_working_time():
    # As above, but the handler asked for a supplement Mon 23/02 14:00 and the applicant brought it
    # Tue 24/02 08:00: 3 h on Monday + 1 h on Tuesday of working time paused.
    events = with_supplement()
    deltas = contributions(FACTS, events, working_minutes=national)
    assert total(deltas, "resolved_work_minutes") == (17 - 4) * 60
    assert total(deltas, "resolved_seconds") == (11 * 24 + 1 - 18) * 3600


def test_a_weekend_between_reception_and_result_does_not_count():
    # Fri 06/03 16:00 → Mon 09/03 08:00: one hour on Friday, one on Monday.
    events = [
        Event(1, "receive", t(6, 3, 16), t(9, 3, 17)),
        Event(2, "issue_result", t(9, 3, 8), t(9, 3, 17)),
    ]
    deltas = contributions(FACTS, events, working_minutes=national)
    assert total(deltas, "resolved_work_minutes") == 120
    assert total(deltas, "resolved_seconds") == (2 * 24 + 16) * 3600


def test_reception_outside_office_hours_counts_from_the_next_opening():
    # Online at 22:00 Sunday, result Monday 11:30: the morning, 4 h 30.
    events = [
        Event(1, "accept_online", t(8, 3, 22), t(13, 3, 17)),
        Event(2, "issue_result", t(9, 3, 11, 30), t(13, 3, 17)),
    ]
    deltas = contributions(FACTS, events, working_minutes=national)
    assert total(deltas, "resolved_work_minutes") == 270


def test_the_calendar_asked_is_the_receiving_office_holding_the_dossier_at_the_result():
    asked: list[int] = []

    def recording(office: int, a: dt.datetime, b: dt.datetime) -> int:
        asked.append(office)
        return CALENDAR.working_minutes_between(a, b)

    events = [
        Event(1, "receive", t(2, 3), t(9, 3, 9)),
        Event(2, "hand_over", t(3, 3), t(9, 3, 9), before=(7, 8)),
        Event(3, "issue_result", t(4, 3), t(9, 3, 9)),
    ]
    deltas = contributions(FACTS, events, working_minutes=recording)
    assert asked == [FACTS.receiving]  # the successor's office (2), not the predecessor's (8)
    assert total(deltas, "resolved_work_minutes") == 2 * 480


def test_without_a_working_time_function_only_the_wall_clock_is_counted():
    events = [
        Event(1, "receive", t(2, 3), t(9, 3, 9)),
        Event(2, "issue_result", t(4, 3), t(9, 3, 9)),
    ]
    deltas = contributions(FACTS, events)
    assert total(deltas, "resolved_work_minutes") == 0
    assert total(deltas, "resolved_seconds") == 2 * 86400


def test_no_result_no_working_time_and_open_results_are_not_counted_twice():
    events = [
        Event(1, "receive", t(2, 3), t(9, 3, 9)),
        Event(2, "issue_result", t(4, 3), t(9, 3, 9)),
        Event(3, "return_result", t(5, 3), t(9, 3, 9)),
    ]
    assert total(contributions(FACTS, events[:1], working_minutes=national), "resolved") == 0
    assert total(contributions(FACTS, events[:1], working_minutes=national), "open") == 1
    deltas = contributions(FACTS, events, working_minutes=national)
    assert total(deltas, "resolved_work_minutes") == 2 * 480


def test_each_transition_adds_the_difference_of_two_prefixes_with_working_time_too():
    events = [*with_supplement(), Event(5, "return_result", t(25, 2, 10), t(3, 3, 8))]
    running: dict = {}
    for n in range(1, len(events) + 1):
        new = contributions(FACTS, events[:n], working_minutes=national)
        old = contributions(FACTS, events[: n - 1], working_minutes=national)
        for key, row in subtract(new, old).items():
            target = running.setdefault(key, [0] * len(row))
            for i, v in enumerate(row):
                target[i] += v
    running = {k: v for k, v in running.items() if any(v)}
    assert running == contributions(FACTS, events, working_minutes=national)


@pytest.mark.parametrize(
    ("limit_unit", "shown_in"),
    [
        ("working_days", AverageUnit.WORKING_DAYS),
        ("working_hours", AverageUnit.WORKING_HOURS),
        ("same_day", AverageUnit.WORKING_HOURS),
        ("calendar_days", AverageUnit.CALENDAR_DAYS),
        ("months", AverageUnit.CALENDAR_DAYS),
        (None, AverageUnit.WORKING_DAYS),  # a number without a unit: working days, as intake
        ("", AverageUnit.WORKING_DAYS),
    ],
)
def test_an_average_is_shown_in_the_unit_of_the_procedures_time_limit(limit_unit, shown_in):
    assert unit_for_limit(limit_unit) is shown_in


def test_averages_in_each_unit():
    # Two results: 17 and 13 working hours; 11 d 1 h and 10 d 7 h of wall clock.
    figures = {"resolved": 2, "work_minutes": 30 * 60, "seconds": (265 + 247) * 3600}
    assert average(AverageUnit.WORKING_DAYS, **figures) == pytest.approx(1.875)  # 15 h / 8 h
    assert average(AverageUnit.WORKING_HOURS, **figures) == pytest.approx(15.0)
    assert average(AverageUnit.CALENDAR_DAYS, **figures) == pytest.approx(256 / 24)
    assert average(AverageUnit.WORKING_DAYS, resolved=0, work_minutes=0, seconds=0) is None


def test_a_procedure_mixing_units_is_shown_in_working_days_and_says_so():
    assert unit_of_procedure([AverageUnit.CALENDAR_DAYS]) == (AverageUnit.CALENDAR_DAYS, False)
    assert unit_of_procedure([AverageUnit.WORKING_HOURS] * 2) == (
        AverageUnit.WORKING_HOURS,
        False,
    )
    mixed = [AverageUnit.CALENDAR_DAYS, AverageUnit.WORKING_HOURS]
    assert unit_of_procedure(mixed) == (AverageUnit.WORKING_DAYS, True)
    assert unit_of_procedure([]) == (AverageUnit.WORKING_DAYS, False)
