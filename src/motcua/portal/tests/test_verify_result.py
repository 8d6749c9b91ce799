"""The public result check (/kiem-tra-ket-qua/): anyone uploads a PDF and sees its signatures."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.documents.signing import PyHankoSigner
from motcua.documents.tests.pdfs import simple_pdf
from motcua.documents.tests.test_signing import OneKey, agency, foreign_key
from motcua.dossiers import attachments
from motcua.dossiers.tests.factories import People, in_status
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db
URL = "/kiem-tra-ket-qua/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()  # the last test uses up this address's checks


@pytest.fixture
def issued(demo, monkeypatch) -> tuple[str, bytes]:
    """A result the agency's certificate signed when it was attached: (its code, its bytes)."""
    monkeypatch.setattr("motcua.documents.services.configured_scanner", lambda: None)
    people = People.load()
    d = in_status(Status.RESOLVED, people)
    code = f"{d.code}-KQ1"
    result = attachments.attach_result(
        people.leader, d.pk, SimpleUploadedFile("kq.pdf", simple_pdf()), result_code=code
    )
    _stored, handle = attachments.open_for_download(people.leader, result.pk)
    with handle:
        return code, bytes(handle.read())


def check(data: bytes, name: str = "ket-qua.pdf", client: Client | None = None):
    return (client or Client()).post(URL, {"file": SimpleUploadedFile(name, data)})


def test_the_page_is_public():
    response = Client().get(URL)
    assert response.status_code == 200
    assert "Kiểm tra kết quả điện tử" in response.content.decode()


def test_a_signed_result_is_valid_and_recognised(issued):
    code, data = issued
    html = check(data).content.decode()
    assert "chữ ký hợp lệ" in html
    assert f"kết quả điện tử {code}" in html  # exactly the file the system stored


def test_a_changed_result_is_flagged(issued):
    _code, data = issued
    changed = bytearray(data)
    at = changed.index(b"Ket qua")
    changed[at] = ord("X")
    html = check(bytes(changed)).content.decode()
    assert "không hợp lệ" in html
    assert "chữ ký hợp lệ" not in html
    assert "không được trả qua hệ thống này" in html


def test_a_file_signed_by_an_unknown_authority_is_not_confirmed(db):
    signed = PyHankoSigner(OneKey(foreign_key("Unknown CA")), []).sign_pdf(
        simple_pdf(), agency=agency()
    )
    html = check(signed).content.decode()
    assert "chưa xác nhận được chữ ký" in html
    assert "Unknown CA" in html


def test_an_unsigned_pdf_says_so(db):
    assert "không có chữ ký số" in check(simple_pdf()).content.decode()


def test_not_a_pdf_is_refused_next_to_the_field(db):
    response = check(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "anh.png")
    assert response.status_code == 400
    assert "không phải tệp PDF" in response.content.decode()
    assert Client().post(URL, {}).status_code == 400  # no file chosen


def test_checks_are_rate_limited_per_address(db):
    client = Client()
    for _ in range(20):
        assert check(simple_pdf(), client=client).status_code == 200
    assert check(simple_pdf(), client=client).status_code == 429
