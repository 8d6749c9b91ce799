"""Calendar endpoints: due dates with their explanation, and a year's days off / make-up days."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.calendars.presenters import due_date_dict
from motcua.calendars.selectors import calendar_by_code, compute_due_date, special_days

router = Router(tags=["calendar"])


class DueDateQuery(Schema):
    """Inputs of a due-date computation."""

    received: dt.datetime = Field(
        description="Reception instant, ISO 8601 with offset, e.g. 2026-02-12T10:00+07:00."
    )
    amount: Decimal = Field(description="Time-limit amount, e.g. 3 or 0.5.")
    unit: str = Field(
        description="working_hours | working_days | calendar_days | months | same_day."
    )
    calendar: str = Field("vn", description="Working calendar code (default: national).")
    counting: str = Field("working_time", description="working_time | day_count.")
    cutoff_shifts_clock_start: bool = Field(
        False, description="A receipt at/after the cut-off (15:00) counts from the next day."
    )
    calendar_days_skip_holidays: bool = Field(
        False, description="Calendar days: days off on weekdays are not counted."
    )


class DueDateOut(Schema):
    """A due date and how it was reached."""

    received_at: str
    counting_starts_at: str
    due_at: str
    amount: str
    unit: str
    calendar: str
    counting: str
    cutoff_shifts_clock_start: bool
    provisional_years: list[int] = Field(
        description="Years whose day-off table is not decreed yet: the due may still move."
    )
    explanation: list[str] = Field(description="Each step, in the request's language.")
    engine_version: str


@router.get("/due-date", response=DueDateOut, summary="Compute a due date")
def due_date(request: HttpRequest, query: Query[DueDateQuery]) -> dict[str, object]:
    """Due instant of a time limit counted from a reception instant, in Vietnam's legal working
    time (office hours, weekends, Tết and other holidays, decreed make-up days), with the
    explanation. Answers in Vietnamese unless `Accept-Language: en`."""
    due = compute_due_date(
        query.received,
        query.amount,
        query.unit,
        calendar=query.calendar,
        counting=query.counting,
        cutoff_shifts_clock_start=query.cutoff_shifts_clock_start,
        calendar_days_skip_holidays=query.calendar_days_skip_holidays,
    )
    return due_date_dict(due, calendar=query.calendar)


class SpecialDayOut(Schema):
    """A day off falling on a working weekday, or a make-up working day."""

    date: dt.date
    kind: str = Field(description="day_off | make_up")
    name: str
    source: str
    lunar: str = Field(description="Lunar date d/m ('N' marks a leap month).")


@router.get("/days", response=list[SpecialDayOut], summary="Days off and make-up days of a year")
def days(request: HttpRequest, year: int, calendar: str = "vn") -> list[dict[str, object]]:
    """Weekdays off and make-up working days of `year` in a calendar, with their legal source."""
    english = (request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else "vi") == "en"
    return [
        {
            "date": cell.date,
            "kind": cell.kind,
            "name": (cell.reason.name_en if english else cell.reason.name_vi)
            if cell.reason
            else "",
            "source": cell.reason.source if cell.reason else "",
            "lunar": cell.lunar,
        }
        for cell in special_days(calendar_by_code(calendar), year)
    ]
