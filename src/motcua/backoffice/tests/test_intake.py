"""Counter intake: find the procedure, fill the applicant, tick documents, receive, receipt."""

from __future__ import annotations

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import in_status
from motcua.dossiers.workflow import Action, Status

from .conftest import DOCUMENTS

pytestmark = pytest.mark.django_db


def intake_data(key: str = "t-1", **extra: object) -> dict[str, object]:
    return {
        "token": key,
        "office": "",  # filled by the test
        "channel": "counter",
        "applicant_type": "citizen",
        "id_number": "079201000123",
        "phone": "0912 345 678",
        "applicant_name": "Trần Văn Bình",
        "address": "Phường Rạch Giá, tỉnh An Giang",
        "sets_count": "1",
        "result_delivery": "counter",
        **extra,
    }


def test_the_procedure_is_found_without_diacritics(people, frozen, browser_for, docs_procedure):
    html = browser_for(people.officer).get("/can-bo/tiep-nhan/?q=dang ky thuong tru").content
    assert "Đăng ký thường trú thử nghiệm" in html.decode()


def test_live_search_answers_htmx_with_the_results_only(
    people, frozen, browser_for, docs_procedure
):
    response = browser_for(people.officer).get(
        "/can-bo/tiep-nhan/?q=9.999002", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert 'id="procedure-results"' in html
    assert "<html" not in html


def test_counter_intake_receives_the_dossier_and_offers_the_receipt(
    people, frozen, browser_for, docs_procedure
):
    officer = browser_for(people.officer)
    form = officer.get(f"/can-bo/tiep-nhan/{docs_procedure}/").content.decode()
    for name in DOCUMENTS:
        assert name in form
    office = people.officer.assignments.get().agency_id
    response = officer.post(
        f"/can-bo/tiep-nhan/{docs_procedure}/",
        intake_data(office=office, documents=[]),
    )
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Trần Văn Bình")
    assert dossier.status == Status.RECEIVED
    assert dossier.code.startswith("000.01.31.H01-260302-")
    assert dossier.applicant_phone == "0912345678"
    assert response["Location"] == f"/can-bo/ho-so/{dossier.pk}/?tiep-nhan=1"
    page = officer.get(response["Location"]).content.decode()
    assert dossier.code in page
    assert f"/can-bo/ho-so/{dossier.pk}/in/receipt/" in page  # the receipt, ready to print
    receipt = officer.get(f"/can-bo/ho-so/{dossier.pk}/in/receipt/")
    if receipt.status_code == 200:  # PDF rendering needs Pango on the server
        assert receipt["Content-Type"] == "application/pdf"
        assert receipt.content.startswith(b"%PDF")


def test_a_double_submitted_intake_makes_one_dossier(people, frozen, browser_for):
    officer = browser_for(people.officer)
    office = people.officer.assignments.get().agency_id
    data = intake_data(key="same", office=office)
    first = officer.post("/can-bo/tiep-nhan/9.999001/", data)
    second = officer.post("/can-bo/tiep-nhan/9.999001/", data)
    assert first["Location"] == second["Location"]
    assert Dossier.objects.filter(applicant_name="Trần Văn Bình").count() == 1


def test_the_applicant_is_required(people, frozen, browser_for):
    officer = browser_for(people.officer)
    office = people.officer.assignments.get().agency_id
    response = officer.post(
        "/can-bo/tiep-nhan/9.999001/", intake_data(office=office, applicant_name="")
    )
    assert response.status_code == 400
    assert "Nhập họ tên người nộp" in response.content.decode() or "usa-error-message" in (
        response.content.decode()
    )
    assert not Dossier.objects.exists()


def test_an_earlier_applicant_is_found_by_id_number(people, frozen, browser_for):
    officer = browser_for(people.officer)
    office = people.officer.assignments.get().agency_id
    officer.post("/can-bo/tiep-nhan/9.999001/", intake_data(office=office))
    response = officer.post(
        "/can-bo/tiep-nhan/9.999001/",
        {"token": "t-2", "office": office, "id_number": "079201000123", "lookup": "1"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Trần Văn Bình"' in html
    assert 'value="Phường Rạch Giá, tỉnh An Giang"' in html


def test_another_office_does_not_find_the_applicant(people, frozen, browser_for):
    browser_for(people.officer).post(
        "/can-bo/tiep-nhan/9.999001/",
        intake_data(office=people.officer.assignments.get().agency_id),
    )
    outsider = browser_for(people.outsider)
    response = outsider.post(
        "/can-bo/tiep-nhan/9.999001/",
        {
            "token": "t-3",
            "office": people.outsider.assignments.get().agency_id,
            "id_number": "079201000123",
            "lookup": "1",
        },
    )
    assert "Trần Văn Bình" not in response.content.decode()


def test_a_handler_cannot_use_counter_intake(people, frozen, browser_for):
    assert browser_for(people.handler).get("/can-bo/tiep-nhan/").status_code == 403


def test_an_online_submission_is_accepted_from_the_inbox(people, frozen, browser_for):
    submitted = in_status(Status.SUBMITTED, people)
    officer = browser_for(people.officer)
    inbox = officer.get("/can-bo/?queue=to_receive").content.decode()
    assert submitted.submission_ref in inbox
    officer.post(
        f"/can-bo/ho-so/{submitted.pk}/thao-tac/",
        {"action": Action.ACCEPT_ONLINE.value, "expected_version": submitted.version},
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.RECEIVED
