"""Citizen portal pages (thin: call selectors, render)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.clock import today
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
        },
    )
