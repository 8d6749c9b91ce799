"""The online application pages (server side, without JavaScript): steps, errors next to the
field, files refused with a reason, idempotent submission, other people's dossiers are 404."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.core.models import User
from motcua.dossiers import online
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.online_data import FORM, PDF, TAM_TRU, pdf, raw
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


def start(client: Client, office) -> int:
    response = client.post(f"/nop-truc-tuyen/{TAM_TRU}/", {"office": office.pk})
    assert response.status_code == 302, response.content.decode()[:500]
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_the_procedure_page_gives_the_appointment_if_submitted_now(tam_tru, client):
    page = client.get(f"/thu-tuc/{TAM_TRU}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nộp hồ sơ trực tuyến" in text
    assert f"/nop-truc-tuyen/{TAM_TRU}/" in text
    assert "7.000" in text or "7,000" in text


def test_applying_needs_a_signed_in_citizen(tam_tru, client):
    response = client.get(f"/nop-truc-tuyen/{TAM_TRU}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


def test_a_citizen_signs_in_with_a_local_account(demo, client):
    response = client.post(
        "/dang-nhap/?next=/ho-so-cua-toi/", {"username": "congdan.lan", "password": "motcua-demo"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/ho-so-cua-toi/"


def test_a_wrong_password_says_so(demo, client):
    response = client.post("/dang-nhap/", {"username": "congdan.lan", "password": "x"})
    assert response.status_code == 400
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_the_whole_application_without_javascript(tam_tru, lan_client, office):
    draft_id = start(lan_client, office)
    page = lan_client.get(f"/ho-so-nhap/{draft_id}/")
    assert page.status_code == 200
    assert 'value="Nguyễn Thị Lan"' in page.content.decode()
    saved = lan_client.post(f"/ho-so-nhap/{draft_id}/", {**FORM, "action": "next"})
    assert saved.status_code == 302
    assert saved["Location"].endswith("/giay-to/")
    requirement = online.uploadable_requirements(Dossier.objects.get(pk=draft_id).procedure_version)
    uploaded = lan_client.post(
        f"/ho-so-nhap/{draft_id}/tai-len/", {"file": pdf(), "requirement": requirement[0].pk}
    )
    assert uploaded.status_code == 302
    review = lan_client.get(f"/ho-so-nhap/{draft_id}/nop/")
    assert review.status_code == 200
    assert "25 Lê Lợi" in review.content.decode()
    submitted = lan_client.post(f"/ho-so-nhap/{draft_id}/nop/", {"declared": "on"})
    assert submitted.status_code == 302
    assert submitted["Location"] == f"/ho-so-cua-toi/{draft_id}/da-nop/"
    again = lan_client.post(f"/ho-so-nhap/{draft_id}/nop/", {"declared": "on"})  # double click
    assert again.status_code == 302
    assert again["Location"] == submitted["Location"]
    assert Dossier.objects.filter(status=Status.SUBMITTED).count() == 1
    confirmation = lan_client.get(submitted["Location"]).content.decode()
    dossier = Dossier.objects.get(pk=draft_id)
    assert dossier.submission_ref in confirmation
    assert "dự kiến" in confirmation
    pdf_response = lan_client.get(f"/ho-so-cua-toi/{draft_id}/giay-xac-nhan.pdf")
    assert pdf_response["Content-Type"] == "application/pdf"
    listing = lan_client.get("/ho-so-cua-toi/").content.decode()
    assert dossier.submission_ref in listing


def test_errors_are_shown_next_to_each_field(tam_tru, lan_client, office):
    draft_id = start(lan_client, office)
    response = lan_client.post(
        f"/ho-so-nhap/{draft_id}/",
        {**FORM, "phone": "abc", "f_housing_basis": "", "action": "next"},
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert 'class="usa-form-group usa-form-group--error"' in text
    assert 'id="id_phone_error"' in text
    assert 'aria-describedby="id_phone_error"' in text
    assert 'id="id_f_housing_basis_error"' in text
    assert 'href="#id_phone"' in text  # the error summary links to the field


def test_tampered_form_fields_are_refused(tam_tru, lan_client, office):
    draft_id = start(lan_client, office)
    response = lan_client.post(
        f"/ho-so-nhap/{draft_id}/", {**FORM, "f_approved_by_officer": "yes", "action": "next"}
    )
    assert response.status_code == 400
    assert "approved_by_officer" in response.content.decode()
    assert online.application_of(Dossier.objects.get(pk=draft_id)).form_data == {}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200, "không được chấp nhận"),
        ("trong.pdf", b"", "rỗng"),
        ("ghi-chu.txt", b"just text", "không được chấp nhận"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tam_tru, lan_client, office, name, content, message):
    draft_id = start(lan_client, office)
    response = lan_client.post(f"/ho-so-nhap/{draft_id}/tai-len/", {"file": raw(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_file_over_the_limit_is_refused(tam_tru, lan_client, office, settings):
    settings.MOTCUA_MAX_UPLOAD_BYTES = 1024
    draft_id = start(lan_client, office)
    big = raw("lon.pdf", PDF + b"0" * 2048)
    response = lan_client.post(f"/ho-so-nhap/{draft_id}/tai-len/", {"file": big})
    assert response.status_code == 400
    assert "tối đa" in response.content.decode()


def test_an_expired_draft_says_so_and_offers_to_start_again(tam_tru, lan_client, office, settings):
    settings.MOTCUA_DRAFT_DAYS = 0
    draft_id = start(lan_client, office)
    page = lan_client.get(f"/ho-so-nhap/{draft_id}/").content.decode()
    assert "hết hạn" in page
    saved = lan_client.post(f"/ho-so-nhap/{draft_id}/", {**FORM, "action": "next"})
    assert saved.status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/ho-so-nhap/{id}/",
        "/ho-so-nhap/{id}/giay-to/",
        "/ho-so-nhap/{id}/nop/",
        "/ho-so-cua-toi/{id}/",
        "/ho-so-cua-toi/{id}/da-nop/",
        "/ho-so-cua-toi/{id}/rut-ho-so/",
        "/ho-so-cua-toi/{id}/giay-xac-nhan.pdf",
    ],
)
def test_someone_elses_dossier_in_the_url_is_not_found(tam_tru, lan, minh, office, path):
    draft = online.start_draft(lan, TAM_TRU, office)
    other = Client()
    other.force_login(minh)
    assert other.get(path.format(id=draft.pk)).status_code == 404
    own = Client()
    own.force_login(lan)
    online.save_draft(
        lan,
        draft.pk,
        applicant=online.ApplicantDetails(
            applicant_type="citizen", full_name="Nguyễn Thị Lan", phone="0901000001"
        ),
        submitted_form={k: v for k, v in FORM.items() if k.startswith("f_")},
    )
    online.submit_draft(lan, draft.pk, declared=True)
    assert other.get(path.format(id=draft.pk)).status_code == 404


def test_an_officer_cannot_open_a_citizens_pages(tam_tru, lan, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    officer = Client()
    officer.force_login(User.objects.get(username="tiepnhan.rachgia"))
    assert officer.get(f"/ho-so-nhap/{draft.pk}/").status_code == 404


def test_the_gateway_notice_endpoint_answers_json(demo, client):
    response = client.get("/thanh-toan/vnpay/ipn/?vnp_TxnRef=X&vnp_SecureHash=00")
    assert response.json() == {"RspCode": "97", "Message": "Invalid signature"}
