"""Online applications: drafts, submission (idempotent), files, supplement, expiry, scope."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.documents.models import AttachmentKind
from motcua.dossiers import online, services
from motcua.dossiers.models import Dossier, SupplementResponse
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.online_data import FORM, TAM_TRU, pdf
from motcua.dossiers.workflow import Status
from motcua.notifications.models import OutboxMessage
from motcua.organizations.models import Agency

pytestmark = pytest.mark.django_db


def _details(**changes: str) -> online.ApplicantDetails:
    values = {
        k: v
        for k, v in FORM.items()
        if not k.startswith("f_") and k in online.ApplicantDetails.__dataclass_fields__
    }
    return online.ApplicantDetails(**{**values, **changes})


def _form() -> dict[str, str]:
    return {k: v for k, v in FORM.items() if k.startswith("f_")}


def ready_draft(user: User, office: Agency) -> Dossier:
    """A draft with a valid form and one file."""
    draft = online.start_draft(user, TAM_TRU, office)
    problems = online.save_draft(user, draft.pk, applicant=_details(), submitted_form=_form())
    assert problems == {}
    requirement = online.uploadable_requirements(draft.procedure_version)[0]
    online.attach_file(user, draft.pk, pdf(), requirement_id=requirement.pk)
    return draft


def test_a_draft_belongs_to_the_citizen_and_no_officer_sees_it(tam_tru, lan, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    officer = User.objects.get(username="tiepnhan.rachgia")
    supervisor = User.objects.get(username="giamsat.tinh")
    assert draft.status == Status.DRAFT
    assert dossiers_visible_to(lan).filter(pk=draft.pk).exists()
    assert not dossiers_visible_to(officer).filter(pk=draft.pk).exists()
    assert not dossiers_visible_to(supervisor).filter(pk=draft.pk).exists()


def test_someone_elses_draft_is_not_found(tam_tru, lan, minh, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    with pytest.raises(NotFound):
        online.draft_for(minh, draft.pk)
    with pytest.raises(NotFound):
        online.save_draft(minh, draft.pk, applicant=_details(), submitted_form=_form())


def test_the_form_is_prefilled_and_only_the_fee_for_online_is_shown(tam_tru, lan, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    assert draft.applicant_name == "Nguyễn Thị Lan"
    assert draft.applicant_phone == "0901000001"
    assert online.application_of(draft).fee_amount == 7000


def test_unknown_form_fields_are_refused(tam_tru, lan, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    with pytest.raises(DomainError) as refused:
        online.save_draft(
            lan, draft.pk, applicant=_details(), submitted_form={**_form(), "f_is_admin": "1"}
        )
    assert refused.value.code == "unknown_field"


def test_schema_errors_are_reported_per_field_and_block_submission(tam_tru, lan, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    problems = online.save_draft(
        lan,
        draft.pk,
        applicant=_details(phone="12"),
        submitted_form={**_form(), "f_housing_basis": "castle", "f_stay_until": "mai"},
    )
    assert set(problems) >= {"phone", "form:housing_basis", "form:stay_until"}
    with pytest.raises(DomainError) as refused:
        online.submit_draft(lan, draft.pk, declared=True)
    assert refused.value.code == "form_invalid"


def test_submission_needs_the_declaration(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    with pytest.raises(DomainError) as refused:
        online.submit_draft(lan, draft.pk, declared=False)
    assert refused.value.code == "declaration_required"


def test_submitting_twice_gives_the_same_dossier(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    first = online.submit_draft(lan, draft.pk, declared=True)
    second = online.submit_draft(lan, draft.pk, declared=True)
    assert first.pk == second.pk == draft.pk
    assert first.status == Status.SUBMITTED
    assert first.submission_ref
    assert first.code is None
    assert Dossier.objects.filter(applicant_user=lan).count() == 1
    assert first.transitions.count() == 1
    application = online.application_of(first)
    assert application.declared_at is not None
    assert application.form_schema["$id"].endswith("/1.004194/v1")


def test_an_officer_accepts_the_online_dossier_and_the_clock_starts(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    officer = User.objects.get(username="tiepnhan.rachgia")
    accepted = services.accept_online(dossier.pk, officer)
    assert accepted.code
    assert accepted.due_current is not None


def test_an_expired_draft_cannot_be_changed_or_submitted(tam_tru, lan, office, settings):
    draft = ready_draft(lan, office)
    later = online.application_of(draft).expires_at + dt.timedelta(minutes=1)
    with pytest.raises(DomainError) as refused:
        online.save_draft(lan, draft.pk, applicant=_details(), submitted_form=_form(), at=later)
    assert refused.value.code == "draft_expired"
    with pytest.raises(DomainError) as refused:
        online.submit_draft(lan, draft.pk, declared=True, at=later)
    assert refused.value.code == "draft_expired"
    assert Dossier.objects.get(pk=draft.pk).status == Status.DRAFT


def test_a_new_file_for_a_component_replaces_the_old_one(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    requirement = online.uploadable_requirements(draft.procedure_version)[0]
    online.attach_file(lan, draft.pk, pdf("moi.pdf"), requirement_id=requirement.pk)
    current = [a.original_name for a in draft.attachments.filter(replaced_by__isnull=True)]
    assert current == ["moi.pdf"]


def test_notes_of_the_catalogue_are_not_offered_as_components(tam_tru, lan, office):
    draft = online.start_draft(lan, TAM_TRU, office)
    names = [r.name for r in online.uploadable_requirements(draft.procedure_version)]
    assert len(names) == 2
    assert not any(n.startswith("Lưu ý") for n in names)


def test_a_document_already_held_is_attached_again_as_reused(tam_tru, lan, office):
    earlier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    held = online.reusable_documents(lan)
    assert [a.dossier_id for a in held] == [earlier.pk]
    draft = online.start_draft(lan, TAM_TRU, office)
    requirement = online.uploadable_requirements(draft.procedure_version)[1]
    copy = online.reuse_document(lan, draft.pk, held[0].pk, requirement_id=requirement.pk)
    assert copy.reused
    assert copy.dossier_id == draft.pk
    assert copy.sha256 == held[0].sha256


def test_nobody_reuses_another_persons_documents(tam_tru, lan, minh, office):
    online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    held = online.reusable_documents(lan)[0]
    draft = online.start_draft(minh, TAM_TRU, office)
    with pytest.raises(NotFound):
        online.reuse_document(minh, draft.pk, held.pk, requirement_id=None)


def _awaiting_supplement(lan: User, office: Agency) -> Dossier:
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    officer = User.objects.get(username="tiepnhan.rachgia")
    handler = User.objects.get(username="chuyenvien.rachgia")
    services.accept_online(dossier.pk, officer)
    services.transfer_dossier(dossier.pk, officer)
    return services.request_supplement(
        dossier.pk, handler, missing=["Hợp đồng thuê nhà"], reason="Thiếu"
    )


def test_the_supplement_is_sent_once_and_the_office_is_told(tam_tru, lan, office):
    dossier = _awaiting_supplement(lan, office)
    response = online.send_supplement(lan, dossier.pk, [pdf("hop-dong.pdf")], note="Đã bổ sung")
    assert SupplementResponse.objects.filter(dossier=dossier).count() == 1
    files = dossier.attachments.filter(kind=AttachmentKind.SUPPLEMENT)
    assert [f.pk for f in files] == response.attachment_ids
    assert OutboxMessage.objects.filter(topic=online.SUPPLEMENT_SENT).count() == 1
    with pytest.raises(DomainError) as refused:
        online.send_supplement(lan, dossier.pk, [pdf("lai.pdf")])
    assert refused.value.code == "supplement_already_sent"
    # The officer still confirms receipt (T11): the clock restarts then.
    officer = User.objects.get(username="tiepnhan.rachgia")
    assert services.receive_supplement(dossier.pk, officer).status == Status.IN_PROCESS


def test_a_supplement_needs_files_and_an_open_request(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    with pytest.raises(DomainError) as refused:
        online.send_supplement(lan, dossier.pk, [pdf()])
    assert refused.value.code == "no_supplement_requested"
    waiting = _awaiting_supplement(lan, office)
    with pytest.raises(DomainError) as refused:
        online.send_supplement(lan, waiting.pk, [])
    assert refused.value.code == "files_required"


def test_the_result_delivery_can_change_until_the_result_is_issued(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    assert online.choose_result_delivery(lan, dossier.pk, "post").result_delivery == "post"
    officer = User.objects.get(username="tiepnhan.rachgia")
    leader = User.objects.get(username="lanhdao.rachgia")
    services.accept_online(dossier.pk, officer)
    services.transfer_dossier(dossier.pk, officer)
    services.issue_result(dossier.pk, leader, results=["Xác nhận tạm trú"])
    with pytest.raises(DomainError) as refused:
        online.choose_result_delivery(lan, dossier.pk, "counter")
    assert refused.value.code == "result_already_issued"


def test_the_acknowledgement_is_a_pdf(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    name, content = online.acknowledgement_pdf(lan, dossier.pk)
    assert name.endswith("-xac-nhan.pdf")
    assert content.startswith(b"%PDF")


def test_the_appointment_estimate_counts_working_days(tam_tru, office):
    from motcua.calendars.engine import VN_TZ
    from motcua.catalog.selectors import procedure_in_force

    version = procedure_in_force(TAM_TRU)
    friday = dt.datetime(2026, 3, 6, 10, 0, tzinfo=VN_TZ)
    estimate = online.appointment_estimate(version, friday, office)
    assert estimate is not None
    # 3 working days from Friday 10:00 skip the weekend: Wednesday 10:00.
    assert estimate.due.due_at.astimezone(VN_TZ) == dt.datetime(2026, 3, 11, 10, 0, tzinfo=VN_TZ)
