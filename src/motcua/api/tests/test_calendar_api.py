"""GET /api/v1/calendar/due-date and /days: held-out real cases, problem JSON for bad input."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date"


@pytest.mark.parametrize(
    ("received", "amount", "unit", "extra", "due"),
    [
        # Worked examples of the domain notes (decreed schedules 2025–2026).
        ("2026-02-12T10:00+07:00", "3", "working_days", {}, "2026-02-24T10:00:00+07:00"),
        (
            "2026-04-24T16:00+07:00",
            "3",
            "working_days",
            {"cutoff_shifts_clock_start": "true"},
            "2026-05-04T17:00:00+07:00",
        ),
        ("2026-04-24T16:00+07:00", "3", "working_days", {}, "2026-05-04T16:00:00+07:00"),
        ("2026-01-09T14:00+07:00", "2", "working_days", {}, "2026-01-12T14:00:00+07:00"),
        (
            "2025-12-31T16:00+07:00",
            "1",
            "working_days",
            {"cutoff_shifts_clock_start": "true"},
            "2026-01-05T17:00:00+07:00",
        ),
        ("2025-12-24T10:00+07:00", "7", "working_days", {}, "2026-01-06T10:00:00+07:00"),
        ("2026-08-28T15:20+07:00", "1", "same_day", {}, "2026-09-03T17:00:00+07:00"),
        ("2026-08-22T10:00+07:00", "1", "same_day", {}, "2026-08-22T17:00:00+07:00"),
        ("2026-03-03T10:30+07:00", "4", "working_hours", {}, "2026-03-03T16:30:00+07:00"),
        ("2026-04-29T15:30+07:00", "8", "working_hours", {}, "2026-05-04T15:30:00+07:00"),
        ("2025-01-16T10:00+07:00", "15", "calendar_days", {}, "2025-02-03T10:00:00+07:00"),
        ("2026-01-30T10:00+07:00", "1", "months", {}, "2026-03-02T10:00:00+07:00"),
        ("2026-02-23T08:15+07:00", "5", "working_days", {}, "2026-03-02T08:15:00+07:00"),
        ("2026-05-11T08:00+07:00", "10", "working_days", {}, "2026-05-25T08:00:00+07:00"),
        (
            "2026-02-12T10:00+07:00",
            "3",
            "working_days",
            {"counting": "day_count"},
            "2026-02-24T17:00:00+07:00",
        ),
        # Held-out cases checked by hand against §4: National Day 2025, 30/4 2025 swap.
        ("2025-08-29T09:00+07:00", "1", "working_days", {}, "2025-09-03T09:00:00+07:00"),
        ("2025-04-25T10:00+07:00", "1", "working_days", {}, "2025-04-26T10:00:00+07:00"),
        ("2025-04-29T10:00+07:00", "2", "working_days", {}, "2025-05-06T10:00:00+07:00"),
        ("2025-01-24T14:00+07:00", "1", "working_days", {}, "2025-02-03T14:00:00+07:00"),
    ],
)
def test_due_dates_match_the_decreed_schedule(client, received, amount, unit, extra, due):
    response = client.get(URL, {"received": received, "amount": amount, "unit": unit, **extra})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_at"] == due
    assert body["explanation"]


def test_the_answer_is_english_on_request(client):
    response = client.get(
        URL,
        {"received": "2026-02-12T10:00+07:00", "amount": "3", "unit": "working_days"},
        headers={"accept-language": "en"},
    )
    assert any("Lunar New Year" in line for line in response.json()["explanation"])


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"received": "2026-02-12T10:00", "amount": "3", "unit": "working_days"}, "naive_datetime"),
        ({"received": "2026-02-12T10:00+07:00", "amount": "3", "unit": "weeks"}, "unknown_unit"),
        (
            {"received": "2026-02-12T10:00+07:00", "amount": "-2", "unit": "working_days"},
            "negative_amount",
        ),
        (
            {"received": "2026-02-12T10:00+07:00", "amount": "1e9", "unit": "working_days"},
            "amount_too_large",
        ),
        (
            {"received": "2301-02-12T10:00+07:00", "amount": "3", "unit": "working_days"},
            "out_of_range",
        ),
        (
            {
                "received": "2026-02-12T10:00+07:00",
                "amount": "3",
                "unit": "working_days",
                "calendar": "khong-co",
            },
            "unknown_calendar",
        ),
    ],
)
def test_bad_input_gets_problem_json_with_a_stable_code(client, params, code):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    assert body["detail"]


def test_malformed_parameters_are_listed(client):
    response = client.get(URL, {"received": "hôm qua", "amount": "ba", "unit": "working_days"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"received", "amount"}


def test_days_lists_the_decreed_days_of_a_year(client):
    days = client.get("/api/v1/calendar/days", {"year": 2026}).json()
    make_up = [d["date"] for d in days if d["kind"] == "make_up"]
    assert make_up == ["2026-01-10", "2026-08-22"]
    tet = next(d for d in days if d["date"] == "2026-02-17")
    assert tet["lunar"] == "1/1"
    assert tet["source"] == "TB 9441/TB-BNV"
