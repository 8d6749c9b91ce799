"""Lookups by code read one indexed dossier row; names come from the reference memo (ADR 0018)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.lookup import public_status
from motcua.dossiers.selectors import dossier_by_code
from motcua.dossiers.services._core import NotFound
from motcua.dossiers.tests.factories import People, in_status, other_commune
from motcua.dossiers.workflow import Status
from motcua.organizations.models import Agency, StaffAssignment

pytestmark = pytest.mark.django_db


def _reads(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"] for q in queries.captured_queries if "core_referencegeneration" not in q["sql"]
    ]


def test_an_officer_finds_the_dossier_with_one_query(demo):
    people = People.load()
    dossier = in_status(Status.IN_PROCESS, people)
    dossier_by_code(people.officer, dossier.code)  # warms the memo
    with CaptureQueriesContext(connection) as queries:
        found = dossier_by_code(people.officer, f"  {dossier.code.lower()} ")
        shown = (
            found.procedure_version.name,
            found.procedure_version.procedure.code,
            found.receiving_office.name,
            found.competent_agency.name,
        )
    assert found.pk == dossier.pk
    assert shown == (
        dossier.procedure_version.name,
        dossier.procedure_version.procedure.code,
        dossier.receiving_office.name,
        dossier.competent_agency.name,
    )
    reads = _reads(queries)
    assert len(reads) == 1, reads
    assert " JOIN " not in reads[0]


def test_outside_the_scope_the_code_is_not_found(demo):
    people = People.load()
    dossier = in_status(Status.IN_PROCESS, people)
    elsewhere = StaffAssignment.objects.filter(agency=other_commune()).first()
    assert elsewhere is not None
    with pytest.raises(NotFound):
        dossier_by_code(elsewhere.user, dossier.code)


def test_a_renamed_office_shows_its_new_name_at_once(demo):
    people = People.load()
    dossier = in_status(Status.IN_PROCESS, people)
    dossier_by_code(people.officer, dossier.code)
    office = Agency.objects.get(pk=dossier.receiving_office_id)
    office.name = "Trung tâm Phục vụ hành chính công (tên mới)"
    office.save()
    assert dossier_by_code(people.officer, dossier.code).receiving_office.name == office.name


def test_the_public_lookup_reads_the_row_and_the_history_only(demo):
    dossier = in_status(Status.IN_PROCESS, People.load())
    public_status(dossier.code, "0001")
    with CaptureQueriesContext(connection) as queries:
        status = public_status(dossier.code, "0001")
    assert status is not None
    assert status.competent_agency == dossier.competent_agency.name
    assert status.procedure == dossier.procedure_version.name
    assert status.steps[0].agency == dossier.receiving_office.name
    assert len(_reads(queries)) == 2
