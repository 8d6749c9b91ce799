"""The demo province: real An Giang units, demo agencies, one account per role; idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from motcua.config.demo.loader import DEMO_PASSWORD, load_demo
from motcua.organizations.models import (
    AdministrativeUnit,
    Agency,
    AgencyKind,
    DataSource,
    DivisionType,
    Role,
    StaffAssignment,
)

pytestmark = pytest.mark.django_db


def test_the_demo_holds_the_real_units_of_the_new_an_giang():
    load_demo(procedures=False)
    communes = AdministrativeUnit.objects.filter(valid_to__isnull=True).exclude(
        division_type=DivisionType.PROVINCE
    )
    assert communes.count() == 102
    assert communes.filter(division_type=DivisionType.SPECIAL_ZONE).count() == 3
    assert communes.filter(division_type=DivisionType.WARD).count() == 14
    phu_quoc = AdministrativeUnit.objects.get(code="31078", valid_to__isnull=True)
    assert phu_quoc.name == "Đặc khu Phú Quốc"
    assert phu_quoc.parent is not None
    assert phu_quoc.parent.name == "Tỉnh An Giang"


def test_loading_twice_changes_nothing():
    load_demo(procedures=False)
    counts = (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        StaffAssignment.objects.count(),
    )
    load_demo(procedures=False)
    assert counts == (
        AdministrativeUnit.objects.count(),
        Agency.objects.count(),
        StaffAssignment.objects.count(),
    )


def test_there_is_a_provincial_centre_and_a_centre_in_the_special_zone():
    load_demo(procedures=False)
    centres = Agency.objects.filter(kind=AgencyKind.SERVICE_CENTRE)
    assert centres.filter(level="province", name__contains="tỉnh An Giang").exists()
    assert centres.filter(administrative_unit__code="31078").exists()
    assert all(a.data_source == DataSource.DEMO for a in Agency.objects.all())


@pytest.mark.parametrize(
    "role",
    [
        Role.RECEPTION_OFFICER,
        Role.HANDLER,
        Role.AGENCY_LEADER,
        Role.CENTRE_HEAD,
        Role.ADMINISTRATOR,
    ],
)
def test_every_role_has_a_demo_account_that_signs_in(role):
    load_demo(procedures=False)
    assignment = StaffAssignment.objects.filter(role=role).select_related("user").first()
    assert assignment is not None
    assert authenticate(username=assignment.user.username, password=DEMO_PASSWORD) is not None


def test_the_full_demo_loads_twice_and_prints_the_accounts(capsys):
    from motcua.dossiers.models import Dossier

    call_command("demo")
    dossiers = Dossier.objects.count()
    assert dossiers > 200
    assert Dossier.objects.filter(status="in_process").exists()
    call_command("demo")
    assert Dossier.objects.count() == dossiers
    out = capsys.readouterr().out
    assert "tiepnhan.tinh" in out
    assert "congdan.lan" in out
    assert DEMO_PASSWORD in out


def test_the_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="production"):
        call_command("demo")
