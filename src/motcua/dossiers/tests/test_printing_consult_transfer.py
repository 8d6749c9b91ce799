"""The papers of a consultation round (T21) and of a transfer to the competent agency (T22): one
PDF per history event, saying what the history says, letterhead and national motto like the
other forms, no model number (the law has none), and scope like every form."""

from __future__ import annotations

import pytest

from motcua.core.errors import DomainError
from motcua.documents import forms
from motcua.dossiers import printing, services
from motcua.dossiers.models import Dossier
from motcua.dossiers.printing import FormKind, form_pdf, printed_form
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.factories import People, hours, in_status, office, other_commune
from motcua.dossiers.workflow import Action, Status
from motcua.organizations.models import Agency

pytestmark = pytest.mark.django_db

QUESTION = "Xác minh nơi cư trú trước đây của người nộp"
REASON = "Hồ sơ tiếp nhận không phụ thuộc địa giới hành chính"


@pytest.fixture
def people(demo: None) -> People:
    return People.load()


def justice() -> Agency:
    return Agency.objects.get(code="000.00.02.H01")  # Sở Tư pháp


def consulted(people: People, agencies: list[Agency] | None = None) -> Dossier:
    dossier = in_status(Status.IN_PROCESS, people)
    return services.consult_agencies(
        dossier.pk,
        people.handler,
        agencies=agencies or [other_commune(), justice()],
        task=QUESTION,
        deadline=hours(24),
        at=hours(2),
    )


def transferred(people: People) -> Dossier:
    dossier = in_status(Status.RECEIVED, people)
    return services.transfer_to_competent_office(
        dossier.pk, people.officer, agency=other_commune(), reason=REASON, at=hours(1)
    )


def html_of(dossier: Dossier, kind: FormKind, seq: int | None = None) -> str:
    return forms.form_html(printed_form(dossier, kind, seq))


def test_the_consultation_request_names_the_agencies_the_question_and_the_deadline(people):
    dossier = consulted(people)
    html = html_of(dossier, FormKind.CONSULTATION_REQUEST)
    assert dossier.code
    assert dossier.code in html
    assert "PHIẾU ĐỀ NGHỊ PHỐI HỢP, CHO Ý KIẾN GIẢI QUYẾT HỒ SƠ" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    assert "Mẫu số" not in html  # no model form in either set
    assert dossier.competent_agency.name.upper() in html  # the consulting agency's letterhead
    for agency in (other_commune(), justice()):
        assert agency.name in html
    assert QUESTION in html
    assert forms.clock_time(hours(24)) in html
    assert dossier.procedure_version.name in html
    assert "Nguyễn Thị Lan" in html
    assert people.handler.display_name in html  # the asking officer, as the contact
    assert "Số: ………/……" in html


def test_each_round_has_its_own_paper_and_the_latest_is_the_default(people):
    first = consulted(people, [other_commune()])
    second = services.consult_agencies(
        first.pk,
        people.handler,
        agencies=[justice()],
        task="Cho ý kiến về hồ sơ",
        deadline=hours(20),
        at=hours(3),
    )
    rounds = printing.event_forms(second.transitions.order_by("seq"))
    assert [(e.kind, e.seq) for e in rounds] == [
        (FormKind.CONSULTATION_REQUEST, first.version),
        (FormKind.CONSULTATION_REQUEST, second.version),
    ]
    latest = html_of(second, FormKind.CONSULTATION_REQUEST)
    assert "Cho ý kiến về hồ sơ" in latest
    assert QUESTION not in latest
    older = html_of(second, FormKind.CONSULTATION_REQUEST, first.version)
    assert QUESTION in older
    assert justice().name not in older
    name, pdf = form_pdf(people.handler, second.pk, FormKind.CONSULTATION_REQUEST, first.version)
    assert pdf.startswith(b"%PDF")
    assert name == f"{second.code}-consultation-request-{first.version}.pdf"


def test_a_history_number_that_is_not_such_an_event_is_not_found(people):
    dossier = consulted(people)
    reception = dossier.transitions.get(action=Action.RECEIVE).seq
    with pytest.raises(NotFound):
        printed_form(dossier, FormKind.CONSULTATION_REQUEST, reception)
    with pytest.raises(NotFound):
        printed_form(dossier, FormKind.RECEIPT, reception)  # other forms take no number


def test_the_transfer_slip_gives_from_to_why_and_when(people):
    dossier = transferred(people)
    html = html_of(dossier, FormKind.TRANSFER_SLIP)
    assert "PHIẾU CHUYỂN HỒ SƠ ĐẾN CƠ QUAN CÓ THẨM QUYỀN GIẢI QUYẾT" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Mẫu số" not in html
    assert dossier.code
    assert dossier.code in html
    assert office().name.upper() in html  # the sending one-stop office's letterhead
    entry = dossier.transitions.get(action=Action.TRANSFER_TO_COMPETENT)
    before = Agency.objects.get(pk=entry.data["before"]["competent_agency"])
    assert f"Chuyển từ: {before.name}; đến cơ quan có thẩm quyền giải quyết: " in html
    assert f"<strong>{other_commune().name}</strong>" in html
    assert REASON in html
    assert forms.clock_time(hours(1)) in html
    assert forms.clock_time(dossier.due_current) in html
    assert people.officer.display_name in html
    assert "Hồ sơ giấy: chuyển chậm nhất" in html  # a counter dossier: its paper follows


def test_both_papers_render_to_pdf_and_are_offered_after_their_event(people):
    for dossier, kind in (
        (consulted(people), FormKind.CONSULTATION_REQUEST),
        (transferred(people), FormKind.TRANSFER_SLIP),
    ):
        name, pdf = form_pdf(people.officer, dossier.pk, kind)
        assert pdf.startswith(b"%PDF"), kind
        assert name.startswith(f"{dossier.code}-{kind.value.replace('_', '-')}-")
        assert kind in printing.forms_available(dossier)
    plain = in_status(Status.IN_PROCESS, people)
    available = printing.forms_available(plain)
    assert FormKind.CONSULTATION_REQUEST not in available
    assert FormKind.TRANSFER_SLIP not in available


@pytest.mark.parametrize("kind", [FormKind.CONSULTATION_REQUEST, FormKind.TRANSFER_SLIP])
def test_without_the_event_the_paper_is_refused(people, kind):
    with pytest.raises(DomainError) as refused:
        printed_form(in_status(Status.IN_PROCESS, people), kind)
    assert refused.value.code == "form_not_applicable"


def test_another_communes_officer_gets_not_found(people):
    dossier = consulted(people)
    with pytest.raises(NotFound):
        form_pdf(people.outsider, dossier.pk, FormKind.CONSULTATION_REQUEST)
