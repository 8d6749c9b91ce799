"""Reads of organisation data that encode policy (what is valid on a date, who works where)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from motcua.calendars.models import NATIONAL_CODE, WorkingCalendar
from motcua.core import refcache
from motcua.core.models import User
from motcua.organizations.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AgencyLevel,
    AgencySuccession,
    Restructuring,
    RestructuringStatus,
    StaffAssignment,
)


def valid_on(on: dt.date) -> Q:
    """Rows whose validity period contains ``on`` (inclusive bounds)."""
    return _valid_on(on)


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


def calendar_of(agency: Agency) -> WorkingCalendar:
    """The calendar ``agency`` works by: its own, else its nearest ancestor's, else the national.

    Memoised per process (``core.refcache``): reception is a hot path, and an agency's calendar
    assignment is configuration that changes a few times a year (saving an agency clears it).
    """
    return refcache.cached("calendar-of-agency", agency.pk, lambda: _calendar_of(agency))


def _calendar_of(agency: Agency) -> WorkingCalendar:
    current: Agency | None = agency
    seen = 0
    while current is not None and seen < 20:
        if current.calendar_id is not None:
            return WorkingCalendar.objects.get(pk=current.calendar_id)
        current = current.parent
        seen += 1
    return WorkingCalendar.objects.get(code=NATIONAL_CODE)


def unit_on(code: str, on: dt.date) -> AdministrativeUnit | None:
    """The version of the unit with ``code`` in force on ``on`` (old codes stay resolvable)."""
    return (
        AdministrativeUnit.objects.filter(_valid_on(on), code=code)
        .select_related("parent")
        .order_by("-valid_from")
        .first()
    )


def current_successors(unit: AdministrativeUnit, on: dt.date) -> list[AdministrativeUnit]:
    """The units in force on ``on`` that ``unit`` went into (itself if still in force)."""
    frontier, seen, result = [unit], set(), []
    while frontier:
        current = frontier.pop()
        if current.pk in seen:
            continue
        seen.add(current.pk)
        if current.valid_from <= on and (current.valid_to is None or current.valid_to >= on):
            result.append(current)
            continue
        frontier.extend(s.successor for s in current.successions_out.select_related("successor"))
    return sorted(result, key=lambda u: u.code)


def agency_family(agency_ids: set[int]) -> set[int]:
    """``agency_ids`` with the agencies their divisions belong to and the divisions they contain.

    A division (phòng) works for its agency: a handler at "Phòng Văn hóa - Xã hội" handles the
    dossiers of the People's Committee it belongs to, and an agency's leader sees its divisions'.
    A few small indexed queries (the hot path of every permission check), never the whole tree.
    """
    family = set(agency_ids)
    frontier = set(agency_ids)
    while frontier:  # up: divisions belong to their parent
        rows = Agency.objects.filter(pk__in=frontier, kind=AgencyKind.DIVISION).values_list(
            "parent_id", flat=True
        )
        frontier = {parent for parent in rows if parent is not None and parent not in family}
        family |= frontier
    frontier = set(family)
    while frontier:  # down: an agency includes its divisions
        rows = Agency.objects.filter(parent_id__in=frontier, kind=AgencyKind.DIVISION).values_list(
            "pk", flat=True
        )
        frontier = {child for child in rows if child not in family}
        family |= frontier
    return family


def agency_by_code(code: str, on: dt.date) -> Agency:
    """The agency version with ``code`` in force on ``on``; DomainError when there is none.

    Memoised per process (``core.refcache``): callers must not change the agency it returns."""
    from django.utils.translation import gettext_lazy as _

    from motcua.core.errors import DomainError

    code = code.strip()
    agency = refcache.cached(
        "agency-by-code",
        (code, on),
        lambda: agencies_valid_on(on).filter(code=code).select_related("parent").first(),
    )
    if agency is None:
        raise DomainError(
            "unknown_agency",
            _("No agency with code “%(code)s” on %(date)s."),
            {"code": code, "date": f"{on:%d/%m/%Y}"},
        )
    return agency


def agency_by_id(pk: int) -> Agency:
    """The agency row ``pk`` (memoised per process, ``core.refcache``): what a dossier shows of
    its offices without joining them on every read. Callers must not change it."""
    return refcache.cached("agency-by-id", pk, lambda: Agency.objects.get(pk=pk))


@dataclass(frozen=True)
class RestructuringLine:
    """One restructuring due in a period, measured against its own plan (in the agencies asked
    about): agencies the plan closes, of which closed so far, and agencies it opens."""

    restructuring: Restructuring
    planned: int
    closed: int
    opening: int

    @property
    def done(self) -> bool:
        return self.restructuring.status == RestructuringStatus.APPLIED


def restructurings_due(
    first: dt.date, last: dt.date, agency_ids: frozenset[int] | None = None
) -> list[RestructuringLine]:
    """Restructurings whose effective date falls in ``first``–``last``, planned or applied, with
    their progress; only the moves that touch ``agency_ids`` (None: all) count, and a
    restructuring with none of them is left out."""
    lines = []
    for restructuring in Restructuring.objects.filter(
        effective_date__gte=first, effective_date__lte=last
    ).order_by("effective_date", "pk"):
        moves = [
            m
            for m in restructuring.plan.get("moves", [])
            if agency_ids is None or m.get("from") in agency_ids or m.get("to") in agency_ids
        ]
        if not moves:
            continue
        closed = AgencySuccession.objects.filter(
            restructuring=restructuring, predecessor_id__in=[m.get("from") for m in moves]
        ).count()
        opening = sum(1 for m in moves if m.get("new"))
        lines.append(RestructuringLine(restructuring, len(moves), closed, opening))
    return lines
