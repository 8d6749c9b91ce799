"""Citizen portal pages (thin: call selectors, render)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.calendars.selectors import (
    FIRST_YEAR,
    LAST_YEAR,
    calendar_by_code,
    special_day_ranges,
    year_is_provisional,
    year_view,
)
from motcua.catalog.finding import LIFE_EVENTS
from motcua.core.clock import today
from motcua.core.errors import DomainError
from motcua.organizations.models import AgencyLevel
from motcua.organizations.selectors import one_stop_offices, province_of_installation


def home(request: HttpRequest) -> HttpResponse:
    """The portal home page: what the portal offers and where to submit dossiers."""
    on = today()
    offices = list(one_stop_offices(on))
    return render(
        request,
        "portal/home.html",
        {
            "province": province_of_installation(on),
            "provincial_offices": [o for o in offices if o.level == AgencyLevel.PROVINCE],
            "commune_offices": [o for o in offices if o.level != AgencyLevel.PROVINCE],
            "events": LIFE_EVENTS,
        },
    )


def working_calendar(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The year's working calendar: days off, make-up days, lunar dates, legal sources."""
    year = year or today().year
    calendar = calendar_by_code(None)
    try:
        months = year_view(calendar, year)
    except DomainError:
        raise Http404 from None
    return render(
        request,
        "portal/working_calendar.html",
        {
            "year": year,
            "months": months,
            "special_day_ranges": special_day_ranges(calendar, year),
            "provisional": year_is_provisional(calendar, year),
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
    )
