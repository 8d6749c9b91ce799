"""Citizen portal: the public procedure catalogue (thin: parse → one selector → render)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.catalog.models import Level
from motcua.catalog.selectors import catalogue_fields, catalogue_page, procedure_in_force
from motcua.core import clock
from motcua.dossiers.online import appointment_estimate, online_channel

MAX_QUERY = 200


def _positive_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 2**31 else None


def procedure_list(request: HttpRequest) -> HttpResponse:
    """Search and browse the procedures in force (works without JavaScript: a GET form)."""
    q = request.GET.get("q", "")[:MAX_QUERY].strip()
    field = _positive_int(request.GET.get("field"))
    level = request.GET.get("level") or None
    if level not in Level.values:
        level = None
    page = catalogue_page(
        q, field=field, level=level, page=_positive_int(request.GET.get("page")) or 1
    )
    return render(
        request,
        "portal/procedure_list.html",
        {
            "page": page,
            "q": q,
            "field": field,
            "level": level,
            "fields": catalogue_fields(),
            "levels": Level.choices,
            "filtered": bool(q or field or level),
        },
    )


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One procedure as in force today: documents, fees, time limits with the appointment if
    submitted now, where and how to submit, the online service."""
    version = procedure_in_force(code)
    if version is None:
        raise Http404
    now = clock.now()
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "version": version,
            "online": online_channel(version),
            "estimate": appointment_estimate(version, now),
            "now": now,
        },
    )
