"""Back-office screens of consultations (T21) and of the transfer to the competent agency (T22):
plain form posts, no JavaScript — ask, list "consultations for my agency", answer with a file,
refusals shown on the page, and the transfer form of the one-stop desk."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import Attachment
from motcua.dossiers.models import ConsultationTask, Dossier
from motcua.dossiers.tests.factories import consultee, in_status, office, other_commune
from motcua.dossiers.workflow import Action, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LIST = "/can-bo/lay-y-kien/"


def url(dossier: Dossier, suffix: str = "") -> str:
    return f"/can-bo/ho-so/{dossier.pk}/{suffix}"


def ask(people, browser_for) -> tuple[Dossier, ConsultationTask]:
    """The handler of phường Rạch Giá asks Phú Quốc through the dossier page's form."""
    dossier = in_status(Status.IN_PROCESS, people)
    response = browser_for(people.handler).post(
        url(dossier, "thao-tac/"),
        {
            "action": Action.CONSULT.value,
            "expected_version": dossier.version,
            "agencies": [other_commune().pk],
            "reason": "Xác minh nơi cư trú trước đây",
            "deadline": "2026-03-04",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return dossier, ConsultationTask.objects.get(dossier=dossier)


def answer_url(dossier: Dossier, task: ConsultationTask) -> str:
    return url(dossier, f"lay-y-kien/{task.pk}/")


def test_the_handler_asks_and_the_consulted_agency_lists_it(people, frozen, browser_for):
    dossier, task = ask(people, browser_for)
    assert task.agency == other_commune()
    assert task.deadline.date().isoformat() == "2026-03-04"
    client = browser_for(consultee())
    inbox = client.get("/can-bo/").content.decode()
    assert LIST in inbox  # the side link, with the count of open tasks
    page = client.get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert dossier.code in html
    assert "Xác minh nơi cư trú trước đây" in html
    assert "04/03/2026" in html
    assert f'href="/can-bo/ho-so/{dossier.pk}/#consultations-title"' in html


def test_the_list_says_when_the_user_is_not_at_a_consultable_agency(people, frozen, browser_for):
    html = browser_for(people.officer).get(LIST).content.decode()  # a one-stop officer
    assert "lay-y-kien" not in browser_for(people.officer).get("/can-bo/").content.decode()
    assert "<table" not in html


def test_the_consulted_agency_sees_only_the_answer_form(people, frozen, browser_for):
    dossier, task = ask(people, browser_for)
    html = browser_for(consultee()).get(url(dossier)).content.decode()
    assert f'action="{answer_url(dossier, task)}"' in html
    assert 'enctype="multipart/form-data"' in html
    assert 'name="action"' not in html  # no dossier action: it only answers
    # The lead agency sees the task in the dossier's consultations, but no answer form.
    lead = browser_for(people.handler).get(url(dossier)).content.decode()
    assert "Xác minh nơi cư trú trước đây" in lead
    assert answer_url(dossier, task) not in lead


def test_answer_with_a_file_without_javascript(people, frozen, browser_for):
    dossier, task = ask(people, browser_for)
    client = browser_for(consultee())
    response = client.post(
        answer_url(dossier, task),
        {
            "answer": "Đã xác minh: đúng nơi cư trú.",
            "files": [SimpleUploadedFile("y-kien.pdf", PDF, content_type="application/pdf")],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url(dossier)
    task.refresh_from_db()
    assert task.answer == "Đã xác minh: đúng nơi cư trú."
    assert task.answered_by == consultee()
    assert [a.original_name for a in Attachment.objects.filter(pk__in=task.attachment_ids)] == [
        "y-kien.pdf"
    ]
    # The lead agency reads the answer, with the file, and a history row.
    lead = browser_for(people.handler).get(url(dossier)).content.decode()
    assert "Đã xác minh: đúng nơi cư trú." in lead
    assert "y-kien.pdf" in lead
    assert dossier.transitions.filter(action=Action.ANSWER_CONSULTATION).count() == 1
    # No form any more; the list shows it answered.
    after = client.get(url(dossier)).content.decode()
    assert answer_url(dossier, task) not in after
    assert client.get(LIST).status_code == 200


def test_an_empty_answer_is_refused_on_the_page(people, frozen, browser_for):
    dossier, task = ask(people, browser_for)
    response = browser_for(consultee()).post(answer_url(dossier, task), {"answer": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "usa-error-message" in html or "usa-input--error" in html
    assert '<details class="motcua-details motcua-action" open>' in html
    task.refresh_from_db()
    assert task.answered_at is None


def test_a_second_answer_is_refused_with_a_message(people, frozen, browser_for):
    dossier, task = ask(people, browser_for)
    client = browser_for(consultee())
    assert client.post(answer_url(dossier, task), {"answer": "Đồng ý"}).status_code == 302
    response = client.post(answer_url(dossier, task), {"answer": "Đồng ý lần hai"})
    assert response.status_code == 400
    assert "đã trả lời" in response.content.decode()
    task.refresh_from_db()
    assert task.answer == "Đồng ý"


def test_others_cannot_answer(people, frozen, browser_for):
    dossier, task = ask(people, browser_for)
    # Another commune's desk: the dossier is invisible (404, so codes cannot be probed).
    assert (
        browser_for(people.outsider).post(answer_url(dossier, task), {"answer": "X"}).status_code
        == 404
    )
    # The lead agency's handler sees the dossier but the task is not its agency's.
    response = browser_for(people.handler).post(answer_url(dossier, task), {"answer": "X"})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.answered_at is None
    # A GET is not an answer.
    assert browser_for(consultee()).get(answer_url(dossier, task)).status_code == 405


def test_the_desk_sends_a_dossier_to_the_competent_agency(people, frozen, browser_for):
    dossier = in_status(Status.RECEIVED, people)
    client = browser_for(people.officer)
    page = client.get(url(dossier)).content.decode()
    assert 'value="transfer_to_competent_office"' in page
    response = client.post(
        url(dossier, "thao-tac/"),
        {
            "action": Action.TRANSFER_TO_COMPETENT.value,
            "expected_version": dossier.version,
            "agency": other_commune().pk,
            "reason": "Tiếp nhận không phụ thuộc địa giới hành chính",
            "paper_sent": "on",
        },
    )
    assert response.status_code == 302
    moved = Dossier.objects.get(pk=dossier.pk)
    assert (moved.competent_agency, moved.receiving_office) == (other_commune(), office())
    entry = moved.transitions.get(action=Action.TRANSFER_TO_COMPETENT)
    assert entry.data["paper"] is True
    assert entry.data["late"] is False
    html = client.get(url(dossier)).content.decode()
    assert "Tiếp nhận không phụ thuộc địa giới hành chính" in html
    assert other_commune().name in html


def test_the_transfer_form_needs_a_reason(people, frozen, browser_for):
    dossier = in_status(Status.RECEIVED, people)
    response = browser_for(people.officer).post(
        url(dossier, "thao-tac/"),
        {
            "action": Action.TRANSFER_TO_COMPETENT.value,
            "expected_version": dossier.version,
            "agency": other_commune().pk,
            "reason": "",
        },
    )
    assert response.status_code == 400
    assert Dossier.objects.get(pk=dossier.pk).competent_agency != other_commune()
