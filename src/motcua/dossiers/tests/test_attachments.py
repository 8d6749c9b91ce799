"""Attaching files to dossiers: checks at the edge, scope, results with their e-result codes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.errors import DomainError
from motcua.documents.models import AttachmentKind, ScanStatus
from motcua.documents.scanning import ScannerUnavailable, Verdict
from motcua.documents.services import store_attachment
from motcua.documents.tests.pdfs import simple_pdf
from motcua.dossiers import attachments
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.factories import People, in_status
from motcua.dossiers.workflow import Status

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class FakeScanner:
    """Flags the EICAR test string, as ClamAV does."""

    name = "fake-clamd"

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        data = b"".join(chunks)
        if b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data:
            return Verdict(clean=False, signature="Eicar-Test-Signature")
        return Verdict(clean=True)


class DeadScanner:
    name = "dead"

    def scan(self, chunks: Iterable[bytes]) -> Verdict:
        raise ScannerUnavailable("connection refused")


@pytest.fixture
def people(demo) -> People:
    return People.load()


@pytest.fixture
def no_scanner(monkeypatch):
    monkeypatch.setattr("motcua.documents.services.configured_scanner", lambda: None)


def upload(name: str = "to-khai.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_scan_is_stored_with_its_checksum_and_flags(people, no_scanner):
    d = in_status(Status.RECEIVED, people)
    stored = attachments.upload_attachment(
        people.officer, d.pk, upload("Tờ khai.pdf"), kind="scan", name="Tờ khai đăng ký"
    )
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert stored.size == len(PDF)
    assert stored.content_type == "application/pdf"
    assert stored.digitised  # a scan is digitised (DuocSoHoa)
    assert stored.scan_status == ScanStatus.NOT_SCANNED  # no scanner: never pretend
    assert stored.storage_name.startswith(f"dossiers/{d.pk}/{stored.sha256}-")
    with default_storage.open(stored.storage_name, "rb") as handle:
        assert handle.read() == PDF


def test_the_same_file_twice_makes_two_objects_never_an_overwrite(people, no_scanner):
    d = in_status(Status.RECEIVED, people)
    first = attachments.upload_attachment(people.officer, d.pk, upload(), kind="component")
    second = attachments.upload_attachment(
        people.officer, d.pk, upload(), kind="component", replaces_id=first.pk
    )
    assert first.storage_name != second.storage_name
    assert default_storage.exists(first.storage_name)
    assert [a.pk for a in attachments.dossier_attachments(people.officer, d.pk)] == [second.pk]


def test_a_program_disguised_as_a_pdf_is_refused(people, no_scanner):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as refused:
        attachments.upload_attachment(
            people.officer, d.pk, upload("hop-dong.pdf", EXE), kind="scan"
        )
    assert refused.value.code == "file_type_not_allowed"
    assert "application/x-msdownload" in str(refused.value)


def test_empty_and_oversized_files_are_refused(people, no_scanner, settings):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as empty:
        attachments.upload_attachment(people.officer, d.pk, upload(content=b""), kind="scan")
    assert empty.value.code == "empty_file"
    settings.MOTCUA_MAX_UPLOAD_BYTES = 10
    with pytest.raises(DomainError) as large:
        attachments.upload_attachment(people.officer, d.pk, upload(), kind="scan")
    assert large.value.code == "file_too_large"


def test_the_eicar_test_file_is_refused_when_a_scanner_is_present(people):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as refused:
        store_attachment(
            d.pk,
            upload(content=PDF + EICAR),
            kind=AttachmentKind.SCAN,
            name="",
            user=people.officer,
            scanner=FakeScanner(),
        )
    assert refused.value.code == "file_infected"
    assert "Eicar-Test-Signature" in str(refused.value)
    clean = store_attachment(
        d.pk, upload(), kind=AttachmentKind.SCAN, name="", user=None, scanner=FakeScanner()
    )
    assert clean.scan_status == ScanStatus.CLEAN
    assert clean.scanner == "fake-clamd"


def test_a_silent_scanner_refuses_the_upload(people):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as refused:
        store_attachment(
            d.pk, upload(), kind=AttachmentKind.SCAN, name="", user=None, scanner=DeadScanner()
        )
    assert refused.value.code == "scanner_unavailable"


def test_applicants_add_components_but_not_scans(people, no_scanner):
    d = in_status(Status.AWAITING_SUPPLEMENT, people)
    added = attachments.upload_attachment(people.citizen, d.pk, upload(), kind="supplement")
    assert added.uploaded_by == people.citizen
    with pytest.raises(DomainError) as refused:
        attachments.upload_attachment(people.citizen, d.pk, upload(), kind="scan")
    assert refused.value.code == "not_permitted"


def test_a_closed_dossier_takes_no_more_files(people, no_scanner):
    d = in_status(Status.WITHDRAWN, people)
    with pytest.raises(DomainError) as refused:
        attachments.upload_attachment(people.officer, d.pk, upload(), kind="scan")
    assert refused.value.code == "dossier_closed"


def test_other_offices_get_not_found(people, no_scanner):
    d = in_status(Status.RECEIVED, people)
    stored = attachments.upload_attachment(people.officer, d.pk, upload(), kind="scan")
    with pytest.raises(NotFound):
        attachments.upload_attachment(people.outsider, d.pk, upload(), kind="scan")
    with pytest.raises(NotFound):
        attachments.attachment_for(people.outsider, stored.pk)
    assert attachments.attachment_for(people.citizen, stored.pk) == stored


def test_result_files_carry_their_electronic_result_code(people, no_scanner):
    d = in_status(Status.RESOLVED, people)
    code = f"{d.code}-KQ1"
    result = simple_pdf()  # a result must be a readable PDF: it is signed before it is stored
    first = attachments.attach_result(
        people.leader, d.pk, upload("kq.pdf", result), result_code=code
    )
    assert (first.kind, first.result_code, first.name) == ("result", code, "Kết quả")
    again = attachments.attach_result(
        people.leader, d.pk, upload("kq2.pdf", result), result_code=code
    )
    assert again.replaces_id == first.pk
    with pytest.raises(DomainError) as refused:
        attachments.attach_result(people.leader, d.pk, upload(), result_code=f"{d.code}-KQ9")
    assert refused.value.code == "unknown_result_code"


def test_results_wait_for_the_result_to_be_issued(people, no_scanner):
    d = in_status(Status.IN_PROCESS, people)
    with pytest.raises(DomainError) as refused:
        attachments.attach_result(people.leader, d.pk, upload(), result_code=f"{d.code}-KQ1")
    assert refused.value.code == "no_result_yet"


def test_a_requirement_must_belong_to_the_dossiers_procedure(people, no_scanner):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as refused:
        attachments.upload_attachment(
            people.officer, d.pk, upload(), kind="component", requirement_id=999_999
        )
    assert refused.value.code == "unknown_requirement"
