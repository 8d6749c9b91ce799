"""Reads of organisation data that encode policy (what is valid on a date, who works where)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from motcua.core.models import User
from motcua.organizations.models import Agency, AgencyKind, AgencyLevel, StaffAssignment


def _valid_on(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def agencies_valid_on(on: dt.date) -> QuerySet[Agency]:
    """Agency versions in force on ``on`` (inclusive bounds)."""
    return Agency.objects.filter(_valid_on(on))


def assignments_of(user: User, on: dt.date) -> QuerySet[StaffAssignment]:
    """The user's staff assignments in force on ``on``, with their agencies."""
    return (
        StaffAssignment.objects.filter(_valid_on(on), user=user)
        .select_related("agency")
        .order_by("agency__level", "agency__name", "role")
    )


def one_stop_offices(on: dt.date) -> QuerySet[Agency]:
    """One-stop units (service centres, branches, reception points) in force on ``on``."""
    return (
        agencies_valid_on(on)
        .filter(kind__in=AgencyKind.one_stop())
        .select_related("administrative_unit")
        .order_by("level", "administrative_unit__code", "name")
    )


def province_of_installation(on: dt.date) -> Agency | None:
    """The provincial People's Committee this installation serves (None before set-up)."""
    return (
        agencies_valid_on(on)
        .filter(kind=AgencyKind.PEOPLES_COMMITTEE, level=AgencyLevel.PROVINCE)
        .order_by("code")
        .first()
    )
