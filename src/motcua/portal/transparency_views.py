"""The public transparency page: how the province and its agencies handle dossiers (no personal
data).

Only aggregate figures: from the statistics rollups volumes, the on-time rate, the average
processing time and the 766 indicator 2.1, per year; and the applicants' ratings counted per
criterion and answer (never their comments or names).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.clock import today
from motcua.core.errors import DomainError
from motcua.dossiers.services import NotFound
from motcua.reports.periods import Period, make_period
from motcua.reports.satisfaction import ratings
from motcua.reports.selectors import dashboard, public_coverage

FIRST_YEAR = 2025


def transparency(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Figures of a year (default: this year so far) for the province or one agency."""
    on = today()
    try:
        year = int(request.GET.get("nam", on.year))
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= year <= on.year:
        raise Http404
    try:
        coverage = public_coverage(on, code)
        last = min(on, on.replace(year=year, month=12, day=31))
        period: Period = make_period(on.replace(year=year, month=1, day=1), last, today=on)
    except (NotFound, DomainError):
        raise Http404 from None
    data = dashboard(period, coverage, procedures=10)
    return render(
        request,
        "portal/transparency/page.html",
        {
            "coverage": coverage,
            "period": period,
            "data": data,
            "ratings": ratings(period, coverage),
            "year": year,
            "years": list(range(on.year, FIRST_YEAR - 1, -1)),
        },
    )
