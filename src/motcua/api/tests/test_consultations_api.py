"""/api/v1/dossiers/{id}/consultations (T21) and the action transfer_to_competent_office (T22):
ask through the action, list, answer once, problems for the wrong agency and a second answer."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.api.models import ApiToken, Scope
from motcua.documents.models import Attachment
from motcua.dossiers.models import ConsultationTask, Dossier
from motcua.dossiers.tests.factories import (
    People,
    consultee,
    ensure_procedure,
    hours,
    in_status,
    other_commune,
)
from motcua.dossiers.workflow import Action, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


@pytest.fixture
def people(demo) -> People:
    ensure_procedure()
    return People.load()


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    """Monday 02/03/2026 14:00, five hours after the factories' reception."""
    with time_machine.travel(hours(5), tick=False):
        yield


def bearer(user, scopes=(Scope.DOSSIERS_READ, Scope.DOSSIERS_WRITE)) -> dict[str, str]:
    _token, secret = ApiToken.issue(user, "test", list(scopes))
    return {"Authorization": f"Bearer {secret}"}


def consult(client, people: People) -> Dossier:
    dossier = in_status(Status.IN_PROCESS, people)
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/actions/consult",
        {
            "expected_version": dossier.version,
            "agencies": [other_commune().code],
            "reason": "Xác minh nơi cư trú trước đây",
            "deadline": hours(48).isoformat(),
        },
        content_type="application/json",
        headers=bearer(people.handler),
    )
    assert response.status_code == 200, response.content
    assert response.json()["history"][-1]["action"] == "consult"
    return dossier


def listing(client, dossier: Dossier, user) -> list[dict]:
    response = client.get(f"/api/v1/dossiers/{dossier.pk}/consultations", headers=bearer(user))
    assert response.status_code == 200, response.content
    return response.json()


def answer(client, dossier: Dossier, task_id: int, user, text: str = "Đồng ý"):
    return client.post(
        f"/api/v1/dossiers/{dossier.pk}/consultations/{task_id}/answer",
        {"answer": text},
        content_type="application/json",
        headers=bearer(user),
    )


def test_the_consulted_agency_lists_and_answers_once(client, people):
    dossier = consult(client, people)
    [task] = listing(client, dossier, consultee())
    assert task["agency"]["code"] == other_commune().code
    assert (task["state"], task["may_answer"]) == ("waiting", True)
    assert task["task"] == "Xác minh nơi cư trú trước đây"
    response = answer(client, dossier, task["id"], consultee(), "Đã xác minh.")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["answer"], body["may_answer"]) == (
        "answered",
        "Đã xác minh.",
        False,
    )
    assert body["answered_late"] is False
    again = answer(client, dossier, task["id"], consultee(), "Lần hai")
    assert again.status_code == 409
    assert again.json()["code"] == "already_answered"
    # The lead agency reads the answer.
    [seen] = listing(client, dossier, people.handler)
    assert (seen["answer"], seen["may_answer"]) == ("Đã xác minh.", False)


def answer_with_files(client, dossier: Dossier, task_id: int, user, *files, **fields):
    return client.post(
        f"/api/v1/dossiers/{dossier.pk}/consultations/{task_id}/answer",
        {"answer": "Đã xác minh, xem văn bản đính kèm.", "files": list(files), **fields},
        headers=bearer(user),
    )


@pytest.fixture
def no_scanner(monkeypatch) -> None:
    monkeypatch.setattr("motcua.documents.services.configured_scanner", lambda: None)


def test_the_answer_carries_its_files_in_multipart(client, people, no_scanner):
    dossier = consult(client, people)
    [task] = listing(client, dossier, consultee())
    version = Dossier.objects.get(pk=dossier.pk).version
    response = answer_with_files(
        client,
        dossier,
        task["id"],
        consultee(),
        SimpleUploadedFile("Văn bản trả lời.pdf", PDF, content_type="application/pdf"),
        expected_version=version,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["answer"]) == ("answered", "Đã xác minh, xem văn bản đính kèm.")
    [stored] = Attachment.objects.filter(pk__in=body["attachments"])
    assert (stored.original_name, stored.content_type) == ("Văn bản trả lời.pdf", "application/pdf")
    with default_storage.open(stored.storage_name) as handle:
        assert handle.read() == PDF
    # The lead agency sees the file with the answer, and may download it.
    [seen] = listing(client, dossier, people.handler)
    assert seen["attachments"] == [stored.pk]
    got = client.get(
        f"/api/v1/dossiers/{dossier.pk}/attachments/{stored.pk}/content",
        headers=bearer(people.handler),
    )
    assert b"".join(got.streaming_content) == PDF


def test_a_disguised_file_refuses_the_whole_answer(client, people, no_scanner, recorded_storage):
    dossier = consult(client, people)
    [task] = listing(client, dossier, consultee())
    before = Attachment.objects.filter(dossier_id=dossier.pk).count()
    response = answer_with_files(
        client,
        dossier,
        task["id"],
        consultee(),
        SimpleUploadedFile("y-kien.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("phu-luc.pdf", b"MZ" + b"\0" * 200, content_type="application/pdf"),
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "file_type_not_allowed"
    assert "phu-luc.pdf" in problem["detail"]
    # Nothing recorded: no answer, no file row, no history row; the task still waits.
    assert ConsultationTask.objects.get(pk=task["id"]).answered_at is None
    assert Attachment.objects.filter(dossier_id=dossier.pk).count() == before
    assert recorded_storage.left_behind() == []
    assert not dossier.transitions.filter(action=Action.ANSWER_CONSULTATION).exists()
    [still] = listing(client, dossier, consultee())
    assert (still["state"], still["may_answer"]) == ("waiting", True)


def test_the_multipart_answer_is_validated_like_the_json_one(client, people):
    dossier = consult(client, people)
    [task] = listing(client, dossier, consultee())
    response = answer_with_files(client, dossier, task["id"], consultee(), answer="")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert ConsultationTask.objects.get(pk=task["id"]).answered_at is None


def test_a_json_answer_needs_no_files(client, people):
    dossier = consult(client, people)
    [task] = listing(client, dossier, consultee())
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/consultations/{task['id']}/answer",
        {"answer": "Đồng ý", "expected_version": Dossier.objects.get(pk=dossier.pk).version},
        content_type="application/json",
        headers=bearer(consultee()),
    )
    assert response.status_code == 200, response.content
    assert (response.json()["answer"], response.json()["attachments"]) == ("Đồng ý", [])
    stale = client.post(
        f"/api/v1/dossiers/{dossier.pk}/consultations/{task['id']}/answer",
        {"answer": "Đồng ý", "expected_version": 1},
        content_type="application/json",
        headers=bearer(consultee()),
    )
    assert stale.status_code == 409


def test_a_json_answer_that_is_not_an_object_is_invalid_input(client, people):
    dossier = consult(client, people)
    [task] = listing(client, dossier, consultee())
    url = f"/api/v1/dossiers/{dossier.pk}/consultations/{task['id']}/answer"
    headers = bearer(consultee())
    listed = client.post(url, ["Đồng ý"], content_type="application/json", headers=headers)
    assert (listed.status_code, listed.json()["code"]) == (422, "invalid_input")
    broken = client.post(url, "{", content_type="application/json", headers=headers)
    assert broken.status_code == 400
    assert ConsultationTask.objects.get(pk=task["id"]).answered_at is None


def test_only_the_consulted_agency_answers(client, people):
    dossier = consult(client, people)
    [task] = listing(client, dossier, people.handler)
    assert task["may_answer"] is False
    response = answer(client, dossier, task["id"], people.handler)
    assert response.status_code == 403
    outsider = answer(client, dossier, task["id"], people.outsider)
    assert outsider.status_code == 404
    get = client.get(
        f"/api/v1/dossiers/{dossier.pk}/consultations", headers=bearer(people.outsider)
    )
    assert get.status_code == 404
    read_only = client.post(
        f"/api/v1/dossiers/{dossier.pk}/consultations/{task['id']}/answer",
        {"answer": "X"},
        content_type="application/json",
        headers=bearer(consultee(), scopes=(Scope.DOSSIERS_READ,)),
    )
    assert read_only.status_code == 403


def test_transfer_to_the_competent_office(client, people):
    dossier = in_status(Status.RECEIVED, people)
    response = client.post(
        f"/api/v1/dossiers/{dossier.pk}/actions/transfer_to_competent_office",
        {
            "expected_version": dossier.version,
            "agency": other_commune().code,
            "reason": "Sai thẩm quyền",
        },
        content_type="application/json",
        headers=bearer(people.officer),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == dossier.code
    assert body["history"][-1]["action"] == Action.TRANSFER_TO_COMPETENT.value
    assert Dossier.objects.get(pk=dossier.pk).competent_agency == other_commune()
    missing = client.post(
        f"/api/v1/dossiers/{dossier.pk}/actions/transfer_to_competent_office",
        {"expected_version": body["version"], "reason": "Sai"},
        content_type="application/json",
        headers=bearer(people.officer),
    )
    assert missing.status_code in {400, 422}
