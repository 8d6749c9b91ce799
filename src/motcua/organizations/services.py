"""Writes of organisation data. Every change of master data goes through these functions.

The ``upsert_*`` functions are idempotent: importing the same official list twice changes nothing,
which is what imports and the demo loader rely on. (Restructuring — closing a version and opening
its successors — will get its own services; rows are never renamed in place.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from motcua.calendars.models import WorkingCalendar
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.organizations.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    AgencyLevel,
    DataSource,
    DivisionType,
    Role,
    StaffAssignment,
)


@dataclass(frozen=True)
class UnitData:
    """One administrative unit as published (code, name, type, parent code)."""

    code: str
    name: str
    division_type: DivisionType
    valid_from: dt.date
    parent_code: str | None = None
    valid_to: dt.date | None = None


def upsert_administrative_unit(
    data: UnitData, *, source: DataSource = DataSource.OFFICIAL
) -> tuple[AdministrativeUnit, bool]:
    """Create or update the unit version (code, valid_from); returns (unit, created)."""
    parent = None
    if data.parent_code:
        parent = AdministrativeUnit.objects.filter(code=data.parent_code).order_by("-valid_from")[0]
    unit, created = AdministrativeUnit.objects.update_or_create(
        code=data.code,
        valid_from=data.valid_from,
        defaults={
            "name": nfc(data.name),
            "division_type": data.division_type,
            "parent": parent,
            "valid_to": data.valid_to,
            "data_source": source,
        },
    )
    return unit, created


@dataclass(frozen=True)
class AgencyData:
    """One agency version as published or configured."""

    code: str
    name: str
    kind: AgencyKind
    level: AgencyLevel
    valid_from: dt.date
    parent_code: str | None = None
    unit_code: str | None = None
    short_name: str = ""
    sharing_code: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""


def upsert_agency(
    data: AgencyData, *, source: DataSource = DataSource.OFFICIAL
) -> tuple[Agency, bool]:
    """Create or update the agency version (code, valid_from); returns (agency, created)."""
    parent = (
        Agency.objects.filter(code=data.parent_code).order_by("-valid_from")[0]
        if data.parent_code
        else None
    )
    unit = (
        AdministrativeUnit.objects.filter(code=data.unit_code).order_by("-valid_from")[0]
        if data.unit_code
        else None
    )
    agency, created = Agency.objects.update_or_create(
        code=data.code,
        valid_from=data.valid_from,
        defaults={
            "name": nfc(data.name),
            "short_name": nfc(data.short_name),
            "sharing_code": data.sharing_code,
            "kind": data.kind,
            "level": data.level,
            "parent": parent,
            "administrative_unit": unit,
            "address": nfc(data.address),
            "phone": data.phone,
            "email": data.email,
            "data_source": source,
        },
    )
    return agency, created


@transaction.atomic
def assign_staff(
    user: User, agency: Agency, role: Role, *, valid_from: dt.date, title: str = ""
) -> StaffAssignment:
    """Give ``user`` the ``role`` at ``agency`` from ``valid_from`` (idempotent)."""
    assignment, _created = StaffAssignment.objects.update_or_create(
        user=user,
        agency=agency,
        role=role,
        valid_from=valid_from,
        defaults={"title": nfc(title)},
    )
    return assignment


@transaction.atomic
def assign_calendar(agency: Agency, calendar: WorkingCalendar | None) -> Agency:
    """Make ``agency`` (and its children without their own) work by ``calendar``; None inherits."""
    agency.calendar = calendar
    agency.save(update_fields=["calendar"])  # drops the memoised calendar_of (core.refcache)
    return agency
