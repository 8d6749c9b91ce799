"""/api/v1/dossiers/{id}/attachments: multipart upload, list, streamed download, scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.api.models import ApiToken, Scope
from motcua.documents.tests.pdfs import simple_pdf
from motcua.dossiers.tests.factories import People, in_status
from motcua.dossiers.workflow import Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def people(demo, monkeypatch) -> People:
    monkeypatch.setattr("motcua.documents.services.configured_scanner", lambda: None)
    return People.load()


def bearer(user) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "test", [Scope.DOSSIERS_READ, Scope.DOSSIERS_WRITE])
    return {"Authorization": f"Bearer {secret}"}


def post_file(client, user, dossier_id, name="Giấy chứng sinh.pdf", content=PDF, **fields):
    data = {"file": SimpleUploadedFile(name, content), "kind": "scan", **fields}
    return client.post(f"/api/v1/dossiers/{dossier_id}/attachments", data, headers=bearer(user))


def test_upload_list_and_download(client, people):
    d = in_status(Status.RECEIVED, people)
    created = post_file(client, people.officer, d.pk, name="Giấy chứng sinh.pdf")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["content_type"] == "application/pdf"
    assert body["scan_status"] == "not_scanned"
    assert body["original_name"] == "Giấy chứng sinh.pdf"
    listed = client.get(f"/api/v1/dossiers/{d.pk}/attachments", headers=bearer(people.officer))
    assert [a["id"] for a in listed.json()] == [body["id"]]
    got = client.get(
        f"/api/v1/dossiers/{d.pk}/attachments/{body['id']}/content", headers=bearer(people.citizen)
    )
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert got["Content-Type"] == "application/pdf"
    assert "attachment" in got["Content-Disposition"]


def test_a_disguised_file_is_a_problem_with_a_code(client, people):
    d = in_status(Status.RECEIVED, people)
    refused = post_file(client, people.officer, d.pk, name="a.pdf", content=b"MZ" + b"\0" * 200)
    assert refused.status_code == 400
    assert refused.json()["code"] == "file_type_not_allowed"


def test_outside_scope_is_404(client, people):
    d = in_status(Status.RECEIVED, people)
    stored = post_file(client, people.officer, d.pk).json()
    assert post_file(client, people.outsider, d.pk).status_code == 404
    headers = bearer(people.outsider)
    assert client.get(f"/api/v1/dossiers/{d.pk}/attachments", headers=headers).status_code == 404
    url = f"/api/v1/dossiers/{d.pk}/attachments/{stored['id']}/content"
    assert client.get(url, headers=headers).status_code == 404


def test_results_are_uploaded_with_their_code(client, people):
    d = in_status(Status.RESOLVED, people)
    created = post_file(
        client,
        people.leader,
        d.pk,
        kind="result",
        result_code=f"{d.code}-KQ1",
        name="kq.pdf",
        content=simple_pdf(),
    )
    assert created.status_code == 201, created.content
    assert created.json()["result_code"] == f"{d.code}-KQ1"
    signature = created.json()["signature"]  # signed with the competent agency's certificate
    assert signature["status"] == "valid"
    assert signature["applied"]
    assert signature["signatures"][0]["signer"] == d.competent_agency.name
    assert signature["signatures"][0]["demo"]
