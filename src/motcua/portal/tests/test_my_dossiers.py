"""Following one's dossiers: status in plain words, supplement answered once, withdrawal with a
confirmation step, the electronic result (said to be signed), ratings, feedback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.core.models import User
from motcua.documents.signing_keys import load_certificates
from motcua.documents.tests.pdfs import simple_pdf
from motcua.dossiers import online, services
from motcua.dossiers.attachments import attach_result
from motcua.dossiers.models import Dossier, Feedback, Rating
from motcua.dossiers.tests.online_data import pdf
from motcua.dossiers.tests.test_online import ready_draft
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db


def officer() -> User:
    return User.objects.get(username="tiepnhan.rachgia")


def in_process(lan: User, office) -> Dossier:
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    services.accept_online(dossier.pk, officer())
    return services.transfer_dossier(dossier.pk, officer())


def test_my_dossiers_say_where_each_one_is(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    online.start_draft(lan, "1.004194", office)
    page = lan_client.get("/ho-so-cua-toi/").content.decode()
    assert dossier.code in page
    assert "Cơ quan có thẩm quyền đang giải quyết." in page
    assert "Hồ sơ nháp chưa nộp" in page
    detail = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Quá trình xử lý" in detail
    assert "Hồ sơ được chuyển đến cơ quan có thẩm quyền." in detail


def test_a_supplement_request_is_answered_once_from_the_page(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    handler = User.objects.get(username="chuyenvien.rachgia")
    services.request_supplement(dossier.pk, handler, missing=["Hợp đồng thuê nhà"], reason="")
    page = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "Hợp đồng thuê nhà" in page
    assert f"/ho-so-cua-toi/{dossier.pk}/bo-sung/" in page
    empty = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/bo-sung/", {"note": ""})
    assert empty.status_code == 400
    sent = lan_client.post(
        f"/ho-so-cua-toi/{dossier.pk}/bo-sung/", {"files": [pdf("hd.pdf"), pdf("so.pdf")]}
    )
    assert sent.status_code == 302
    again = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/bo-sung/").content.decode()
    assert "đã gửi hồ sơ bổ sung" in again
    assert 'name="files"' not in again


def test_withdrawing_needs_a_confirmation(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    unconfirmed = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/rut-ho-so/", {"reason": "x"})
    assert unconfirmed.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).status == Status.IN_PROCESS
    done = lan_client.post(
        f"/ho-so-cua-toi/{dossier.pk}/rut-ho-so/", {"reason": "Không cần nữa", "confirm": "on"}
    )
    assert done.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN


def test_the_result_is_downloaded_and_said_to_be_signed(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    leader = User.objects.get(username="lanhdao.rachgia")
    services.issue_result(dossier.pk, leader, results=["Xác nhận tạm trú"])
    result = attach_result(
        leader, dossier.pk, pdf("ket-qua.pdf", simple_pdf()), result_code=f"{dossier.code}-KQ1"
    )
    page = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert f"Đã ký số bởi {dossier.competent_agency.name} lúc" in page
    assert "chữ ký hợp lệ" in page
    assert "CA thử nghiệm của MotCua" in page  # the demo certificate says it has no legal value
    download = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/tep/{result.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    other = Client()
    other.force_login(User.objects.get(username="congdan.minh"))
    assert other.get(f"/ho-so-cua-toi/{dossier.pk}/tep/{result.pk}/").status_code == 404


def test_the_delivery_is_chosen_while_the_result_is_not_issued(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/nhan-ket-qua/", {"result_delivery": "counter"})
    assert Dossier.objects.get(pk=dossier.pk).result_delivery == "counter"


def test_a_returned_dossier_is_rated(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    leader = User.objects.get(username="lanhdao.rachgia")
    services.issue_result(dossier.pk, leader, results=["Xác nhận tạm trú"])
    services.return_result(dossier.pk, officer())
    incomplete = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/danh-gia/", {"c_time": "satisfied"})
    assert incomplete.status_code == 400
    assert 'id="id_c_attitude_error"' in incomplete.content.decode()
    answers = {
        f"c_{key}": "satisfied"
        for key in ("time", "agencies", "contacts", "information", "attitude", "lawfulness")
    }
    done = lan_client.post(f"/ho-so-cua-toi/{dossier.pk}/danh-gia/", answers)
    assert done.status_code == 302
    assert Rating.objects.get(dossier=dossier).answers["time"] == "satisfied"


def test_feedback_is_sent_and_answered_in_the_back_office(tam_tru, lan, lan_client, office):
    dossier = in_process(lan, office)
    sent = lan_client.post(
        "/phan-anh-kien-nghi/",
        {
            "kind": "report",
            "subject": "Chờ lâu",
            "body": "Tôi chờ đã lâu mà chưa có kết quả.",
            "dossier": dossier.pk,
            "email": "lan@example.vn",
        },
    )
    assert sent.status_code == 302
    item = Feedback.objects.get()
    supervisor = Client()
    supervisor.force_login(User.objects.get(username="giamsat.tinh"))
    listing = supervisor.get("/can-bo/phan-anh/").content.decode()
    assert item.reference in listing
    answered = supervisor.post(
        f"/can-bo/phan-anh/{item.pk}/", {"answer": "Hồ sơ đang được thẩm định, sẽ có kết quả sớm."}
    )
    assert answered.status_code == 302
    page = lan_client.get("/phan-anh-kien-nghi/").content.decode()
    assert "Hồ sơ đang được thẩm định" in page
    citizen = Client()
    citizen.force_login(User.objects.get(username="congdan.minh"))
    assert citizen.get(f"/can-bo/phan-anh/{item.pk}/").status_code == 403


def test_a_returned_result_downloaded_from_the_portal_is_signed_and_verifies(
    tam_tru, lan, lan_client, office
):
    """End to end: issue, attach, return; the applicant's download carries the competent agency's
    PAdES signature (checked with pyHanko directly against the demo root), the public check
    recognises it, and a tampered copy shows as broken."""
    cache.clear()  # the public check is rate limited per address; start with a fresh count
    dossier = in_process(lan, office)
    leader = User.objects.get(username="lanhdao.rachgia")
    services.issue_result(dossier.pk, leader, results=["Xác nhận tạm trú"])
    original = simple_pdf()
    result = attach_result(
        leader, dossier.pk, pdf("ket-qua.pdf", original), result_code=f"{dossier.code}-KQ1"
    )
    services.return_result(dossier.pk, officer())
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RETURNED

    download = lan_client.get(f"/ho-so-cua-toi/{dossier.pk}/tep/{result.pk}/")
    assert download.status_code == 200
    data = b"".join(download.streaming_content)
    assert data.startswith(original)  # the signature is an incremental update
    assert len(data) > len(original)

    # An independent check: pyHanko itself, trusting only this installation's demo root.
    root = load_certificates(Path(settings.DATA_DIR) / "signing-demo" / "demo-ca.pem")[0]
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    status = validate_pdf_signature(
        embedded,
        ValidationContext(
            trust_roots=[asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))],
            allow_fetching=False,
        ),
    )
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.subject.native["common_name"] == dossier.competent_agency.name

    # Anyone given the file can check it on the public page.
    checked = lan_client.post(
        "/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("ket-qua.pdf", data)}
    ).content.decode()
    assert 'data-signature="valid"' in checked
    assert f"Đã ký số bởi {dossier.competent_agency.name} lúc" in checked
    assert f"kết quả điện tử {dossier.code}-KQ1" in checked

    # One byte of the signed content changed: the signature is broken.
    tampered = bytearray(data)
    tampered[tampered.index(b"Ket qua")] = ord("K") ^ 0x20  # "ket qua"
    broken = lan_client.post(
        "/kiem-tra-ket-qua/", {"file": SimpleUploadedFile("ket-qua.pdf", bytes(tampered))}
    ).content.decode()
    assert 'data-signature="invalid"' in broken
    assert f"chữ ký số của {dossier.competent_agency.name} không hợp lệ" in broken
    assert "chữ ký hợp lệ" not in broken
