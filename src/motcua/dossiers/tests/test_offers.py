"""Where procedures are received: offices, competent agencies, location-independent reception."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.offers import offer_procedure, reception_rule
from motcua.core.errors import DomainError
from motcua.dossiers.tests.factories import PROCEDURE, ensure_procedure
from motcua.organizations.models import Agency

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 3, 2)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code, valid_to__isnull=True)


@pytest.fixture
def procedure(demo) -> Procedure:
    ensure_procedure()
    return Procedure.objects.get(code=PROCEDURE)


def test_a_procedure_without_offers_is_received_anywhere(procedure):
    rule = reception_rule(PROCEDURE, agency("000.01.32.H01"), ON)
    assert rule.allowed
    assert rule.competent_agency is None


def test_an_offer_restricts_reception_and_names_the_competent_agency(procedure):
    offer_procedure(
        procedure, agency("000.01.31.H01"), agency("000.00.31.H01"), valid_from=dt.date(2025, 7, 1)
    )
    here = reception_rule(PROCEDURE, agency("000.01.31.H01"), ON)
    assert here.allowed
    assert here.competent_agency == agency("000.00.31.H01")
    elsewhere = reception_rule(PROCEDURE, agency("000.01.32.H01"), ON)
    assert not elsewhere.allowed
    assert elsewhere.offices == ("Trung tâm Phục vụ hành chính công phường Rạch Giá",)


def test_a_location_independent_offer_is_received_at_any_office(procedure):
    offer_procedure(
        procedure,
        agency("000.01.01.H01"),
        agency("000.00.02.H01"),
        valid_from=dt.date(2025, 7, 1),
        location_independent=True,
    )
    rule = reception_rule(PROCEDURE, agency("000.01.32.H01"), ON)
    assert rule.allowed
    assert rule.location_independent
    assert rule.competent_agency == agency("000.00.02.H01")


def test_offers_have_validity_dates(procedure):
    offer_procedure(
        procedure, agency("000.01.31.H01"), agency("000.00.31.H01"), valid_from=dt.date(2027, 1, 1)
    )
    assert reception_rule(PROCEDURE, agency("000.01.32.H01"), ON).allowed  # not yet in force


def test_only_one_stop_offices_receive(procedure):
    with pytest.raises(DomainError) as error:
        offer_procedure(
            procedure,
            agency("000.00.31.H01"),
            agency("000.00.31.H01"),
            valid_from=dt.date(2025, 7, 1),
        )
    assert error.value.code == "not_a_receiving_office"
