"""Result files are signed with the competent agency's certificate when they are attached."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.core.errors import DomainError
from motcua.documents.models import Attachment, SignatureStatus
from motcua.documents.signing import PyHankoSigner, configured_signer
from motcua.documents.signing_keys import ChainedKeyStore, SigningUnavailable
from motcua.documents.tests.pdfs import simple_pdf
from motcua.documents.tests.test_signing import OneKey, agency, foreign_key
from motcua.dossiers import attachments
from motcua.dossiers.tests.factories import People, in_status
from motcua.dossiers.workflow import Status

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def people(demo, monkeypatch) -> People:
    monkeypatch.setattr("motcua.documents.services.configured_scanner", lambda: None)
    return People.load()


def upload(content: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def attach(people: People, content: bytes, name: str = "ket-qua.pdf") -> Attachment:
    d = in_status(Status.RESOLVED, people)
    return attachments.attach_result(
        people.leader, d.pk, upload(content, name), result_code=f"{d.code}-KQ1"
    )


def stored_bytes(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.storage_name, "rb") as handle:
        return bytes(handle.read())


def test_a_pdf_result_is_signed_for_the_competent_agency_before_it_is_stored(people):
    original = simple_pdf(pages=2)
    result = attach(people, original)
    data = stored_bytes(result)
    assert data != original
    assert data.startswith(original)  # the agency's signature is an incremental update
    assert result.sha256 == hashlib.sha256(data).hexdigest()  # the checksum of what is stored
    assert result.size == len(data)
    assert result.signature_status == SignatureStatus.VALID
    report = result.signature_report
    assert report["applied"] is True
    (signature,) = report["signatures"]
    assert signature["signer"] == result.dossier.competent_agency.name
    assert signature["valid"] is True
    assert signature["demo"] is True
    assert result.result_code in signature["reason"]
    # Checking the stored bytes again gives the recorded answer.
    assert configured_signer().verify_pdf(data).status == SignatureStatus.VALID


def test_a_result_the_agency_signed_with_its_own_token_is_kept_as_it_is(people):
    token_signed = PyHankoSigner(OneKey(foreign_key("Token CA")), []).sign_pdf(
        simple_pdf(), agency=agency()
    )
    result = attach(people, token_signed)
    assert stored_bytes(result) == token_signed  # never signed twice
    assert result.signature_report["applied"] is False
    assert result.signature_status == SignatureStatus.UNTRUSTED  # its CA is not configured here
    assert result.signature_report["signatures"][0]["issuer"] == "Token CA"


def test_an_image_result_stays_unsigned_and_says_so(people):
    result = attach(people, PNG, "ket-qua.png")
    assert stored_bytes(result) == PNG
    assert result.signature_status == SignatureStatus.NOT_PDF
    assert result.signature_report["signatures"] == []


def test_without_a_certificate_for_the_agency_the_result_is_stored_unsigned(people, monkeypatch):
    nobody = PyHankoSigner(ChainedKeyStore(), [])
    monkeypatch.setattr("motcua.documents.services.configured_signer", lambda: nobody)
    original = simple_pdf()
    result = attach(people, original)
    assert stored_bytes(result) == original
    assert result.signature_status == SignatureStatus.UNSIGNED


def test_a_damaged_pdf_result_is_refused_and_nothing_is_stored(people, recorded_storage):
    with pytest.raises(DomainError) as refused:
        attach(people, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert refused.value.code == "result_pdf_unreadable"
    assert not Attachment.objects.exists()
    assert recorded_storage.left_behind() == []


def test_an_unusable_certificate_refuses_the_result(people, monkeypatch, recorded_storage):

    class Broken:
        def key_for(self, agency):
            raise SigningUnavailable("agency.p12: cannot be opened")

    monkeypatch.setattr(
        "motcua.documents.services.configured_signer", lambda: PyHankoSigner(Broken(), [])
    )
    with pytest.raises(DomainError) as refused:
        attach(people, simple_pdf())
    assert refused.value.code == "signing_unavailable"
    assert not Attachment.objects.exists()
    assert recorded_storage.left_behind() == []


def test_a_row_that_cannot_be_written_leaves_no_stored_file(people, monkeypatch, recorded_storage):

    def fail(**values):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment.objects, "create", fail)
    with pytest.raises(RuntimeError):
        attach(people, simple_pdf())
    assert recorded_storage.left_behind() == []


def test_a_replaced_result_keeps_its_row_and_its_report(people):
    d = in_status(Status.RESOLVED, people)
    code = f"{d.code}-KQ1"
    first = attachments.attach_result(people.leader, d.pk, upload(simple_pdf()), result_code=code)
    second = attachments.attach_result(
        people.leader, d.pk, upload(simple_pdf("Ban dinh chinh")), result_code=code
    )
    assert second.replaces_id == first.pk
    first.refresh_from_db()
    assert first.signature_status == SignatureStatus.VALID  # history is not edited
    assert stored_bytes(first) != stored_bytes(second)


def test_other_files_are_not_signed_nor_checked(people):
    d = in_status(Status.RECEIVED, people)
    scan = attachments.upload_attachment(people.officer, d.pk, upload(simple_pdf()), kind="scan")
    assert stored_bytes(scan) == simple_pdf()
    assert scan.signature_status == ""


def test_the_back_office_shows_the_signature_of_a_result(people):
    result = attach(people, simple_pdf())
    browser = Client()
    browser.force_login(people.officer)
    html = browser.get(f"/can-bo/ho-so/{result.dossier_id}/").content.decode()
    assert f"Đã ký số bởi {result.dossier.competent_agency.name} lúc" in html
    assert 'data-signature="valid"' in html
