"""Finding a procedure besides search: by life event and by the office that receives it."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.finding import LIFE_EVENTS, event_procedures, life_event, procedures_at_office
from motcua.core.clock import today
from motcua.organizations.selectors import one_stop_offices


def life_events(request: HttpRequest) -> HttpResponse:
    """The life events, each with what people usually need."""
    return render(request, "portal/life_events.html", {"events": LIFE_EVENTS})


def life_event_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One life event: its procedures in force and searches for the rest."""
    event = life_event(slug)
    if event is None:
        raise Http404
    return render(
        request,
        "portal/life_event.html",
        {"event": event, "versions": event_procedures(event), "events": LIFE_EVENTS},
    )


def offices(request: HttpRequest) -> HttpResponse:
    """The offices that receive dossiers (provincial centre, commune centres)."""
    return render(request, "portal/offices.html", {"offices": list(one_stop_offices(today()))})


def office_page(request: HttpRequest, code: str) -> HttpResponse:
    """The procedures one office receives."""
    on = today()
    office = one_stop_offices(on).filter(code=code).first()
    if office is None:
        raise Http404
    return render(
        request,
        "portal/office.html",
        {"office": office, "versions": procedures_at_office(office, on)},
    )
