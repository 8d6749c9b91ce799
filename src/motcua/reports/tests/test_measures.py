"""The statistics rules: the national 766 measure (indicator 2.1) and the rollup deltas."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.reports.measures import (
    INDEX,
    Event,
    Facts,
    NationalReason,
    contributions,
    member,
    national_outcome,
    subtract,
)


def t(day: int, month: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


# Worked example 10 (calendar-and-deadlines.md §11): received Mon 02/03/2026 09:00, limit 10 WD,
# original due Mon 16/03 09:00; supplement asked Wed 04/03 10:00, complete Tue 10/03 15:00
# (6 d 5 h); restarted due Tue 24/03 15:00; resolved Mon 23/03 10:00.
EXAMPLE_10_PAUSE = [(t(4, 3, 10), t(10, 3, 15))]

NATIONAL_CASES = [
    # (name, end, appointment, pauses, requests, on_time, reason, adjusted end)
    (
        "example 10 against the original appointment: late",
        t(23, 3, 10),
        t(16, 3, 9),
        EXAMPLE_10_PAUSE,
        None,
        False,
        NationalReason.AFTER_APPOINTMENT,
        t(17, 3, 5),
    ),
    (
        "example 10 against the restarted appointment: on time",
        t(23, 3, 10),
        t(24, 3, 15),
        EXAMPLE_10_PAUSE,
        None,
        True,
        NationalReason.ON_TIME,
        t(17, 3, 5),
    ),
    (
        "finished exactly at the appointment",
        t(16, 3, 9),
        t(16, 3, 9),
        [],
        None,
        True,
        NationalReason.ON_TIME,
        t(16, 3, 9),
    ),
    (
        "one minute after the appointment",
        t(16, 3, 9, 1),
        t(16, 3, 9),
        [],
        None,
        False,
        NationalReason.AFTER_APPOINTMENT,
        t(16, 3, 9, 1),
    ),
    (
        "a second supplementation request is late whatever the dates",
        t(5, 3, 9),
        t(16, 3, 9),
        [(t(3, 3, 9), t(3, 3, 10)), (t(4, 3, 9), t(4, 3, 10))],
        None,
        False,
        NationalReason.MORE_THAN_ONE_SUPPLEMENT,
        t(5, 3, 7),
    ),
    (
        "supplement never returned: the request instant is the end",
        t(30, 3, 9),
        t(16, 3, 9),
        [(t(4, 3, 10), None)],
        None,
        True,
        NationalReason.ON_TIME,
        t(4, 3, 10),
    ),
    (
        "no appointment (no time limit): on time",
        t(30, 3),
        None,
        [],
        None,
        True,
        NationalReason.NO_APPOINTMENT,
        t(30, 3),
    ),
    (
        "open at the period end, past the appointment plus the supplement time: late",
        t(24, 3, 0),
        t(16, 3, 9),
        EXAMPLE_10_PAUSE,
        1,
        False,
        NationalReason.AFTER_APPOINTMENT,
        t(17, 3, 19),
    ),
    (
        "a pause that starts after the end is ignored",
        t(10, 3, 9),
        t(16, 3, 9),
        [(t(12, 3, 9), None)],
        1,
        True,
        NationalReason.ON_TIME,
        t(10, 3, 9),
    ),
]


@pytest.mark.parametrize(
    ("name", "end", "appointment", "pauses", "requests", "on_time", "reason", "adjusted"),
    NATIONAL_CASES,
    ids=[case[0] for case in NATIONAL_CASES],
)
def test_national_measure_of_indicator_2_1(
    name, end, appointment, pauses, requests, on_time, reason, adjusted
):
    outcome = national_outcome(end, appointment, pauses, supplement_requests=requests)
    assert outcome.on_time is on_time
    assert outcome.reason is reason
    assert outcome.adjusted_end == adjusted


def test_example_10_subtracts_six_days_five_hours():
    outcome = national_outcome(t(23, 3, 10), t(16, 3, 9), EXAMPLE_10_PAUSE)
    assert outcome.supplement_time == dt.timedelta(days=6, hours=5)


FACTS = Facts(competent=1, receiving=2, version=3, channel="counter")


RESOLVED_EXAMPLE_10 = t(23, 3, 10)


def example_10_history(resolved: dt.datetime | None = RESOLVED_EXAMPLE_10) -> list[Event]:
    events = [
        Event(1, "receive", t(2, 3, 9), t(16, 3, 9)),
        Event(2, "transfer", t(2, 3, 10), t(16, 3, 9)),
        Event(3, "request_supplement", t(4, 3, 10), t(16, 3, 9)),
        Event(4, "receive_supplement", t(10, 3, 15), t(24, 3, 15)),
    ]
    if resolved is not None:
        events.append(Event(5, "issue_result", resolved, t(24, 3, 15)))
    return events


def totals(deltas, metric: str, last: dt.date | None = None) -> int:
    return sum(row[INDEX[metric]] for key, row in deltas.items() if last is None or key[0] <= last)


def test_example_10_is_on_time_locally_and_late_nationally():
    deltas = contributions(FACTS, example_10_history())
    assert totals(deltas, "received") == 1
    assert totals(deltas, "resolved") == 1
    assert totals(deltas, "resolved_early") == 1  # 23/03 before the restarted due 24/03
    assert totals(deltas, "nat_late") == 1
    assert totals(deltas, "nat_on_time") == 0
    assert totals(deltas, "open") == 0  # entered and left
    assert totals(deltas, "resolved_seconds") == int(
        (t(23, 3, 10) - t(2, 3, 9) - dt.timedelta(days=6, hours=5)).total_seconds()
    )


def test_open_dossier_stocks_at_the_end_of_a_day():
    deltas = contributions(FACTS, example_10_history(resolved=None))
    assert member(deltas, "open", dt.date(2026, 3, 1), dt.date(2026, 3, 2))
    assert member(deltas, "paused", dt.date(2026, 3, 1), dt.date(2026, 3, 5))
    assert not member(deltas, "paused", dt.date(2026, 3, 1), dt.date(2026, 3, 10))
    # Locally overdue only after the restarted appointment (24/03 15:00).
    assert not member(deltas, "overdue", dt.date(2026, 3, 1), dt.date(2026, 3, 23))
    assert member(deltas, "overdue", dt.date(2026, 3, 1), dt.date(2026, 3, 24))
    # Nationally late once past the original appointment plus the supplement time in wall-clock
    # time: 16/03 09:00 + 6 d 5 h = 22/03 14:00.
    assert not member(deltas, "nat_late_open", dt.date(2026, 3, 1), dt.date(2026, 3, 21))
    assert member(deltas, "nat_late_open", dt.date(2026, 3, 1), dt.date(2026, 3, 22))


def test_extension_makes_a_late_result_late_with_apology():
    events = [
        Event(1, "receive", t(6, 4, 10), t(13, 4, 10)),
        Event(2, "extend", t(10, 4, 9), t(16, 4, 10)),
        Event(3, "issue_result", t(15, 4, 9), t(16, 4, 10)),
    ]
    deltas = contributions(FACTS, events)
    assert totals(deltas, "resolved_late_apology") == 1
    assert totals(deltas, "apologies") == 1


def test_a_prefix_difference_is_what_the_next_transition_adds():
    history = example_10_history()
    running: dict = {}
    for n in range(1, len(history) + 1):
        step = subtract(contributions(FACTS, history[:n]), contributions(FACTS, history[: n - 1]))
        for key, row in step.items():
            target = running.setdefault(key, [0] * len(row))
            for i, v in enumerate(row):
                target[i] += v
    running = {k: v for k, v in running.items() if any(v)}
    assert running == contributions(FACTS, history)


def test_hand_over_moves_the_open_stock_to_the_successor():
    events = [
        Event(1, "receive", t(2, 3, 9), t(16, 3, 9)),
        Event(2, "hand_over", t(5, 3, 9), t(16, 3, 9), before=(7, 8)),
    ]
    deltas = contributions(FACTS, events)  # FACTS: the successor (1, 2) holds it now
    by_agency: dict[tuple[int, int], int] = {}
    for (_day, competent, receiving), row in deltas.items():
        by_agency.setdefault((competent, receiving), 0)
        by_agency[(competent, receiving)] += row[INDEX["open"]]
    assert by_agency == {(7, 8): 0, (1, 2): 1}
    assert totals({k: v for k, v in deltas.items() if k[1] == 7}, "received") == 1
