"""Inter-agency consultation (T21): one task per consulted agency, answered once by that agency,
seen by it (read only) while it has a task, and a notice to the office's head when it is late."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.documents.models import Attachment
from motcua.documents.services import store_attachments
from motcua.dossiers import services
from motcua.dossiers.attachments import may_add_files, upload_attachment
from motcua.dossiers.consultations import (
    TaskState,
    consultations_for_my_agency,
    dossier_consultations,
    open_consultation_count,
)
from motcua.dossiers.models import ConsultationTask, Dossier, DossierTransition
from motcua.dossiers.printing import FormKind, printed_form
from motcua.dossiers.selectors import actions_available, dossier_for, dossiers_visible_to
from motcua.dossiers.services import NotFound
from motcua.dossiers.services import consultation as consultation_services
from motcua.dossiers.services.consultation import LATE_TOPIC, notify_late_consultations
from motcua.dossiers.tasks import notify_late_consultations_task
from motcua.dossiers.tests.factories import (
    People,
    consultee,
    ensure_procedure,
    hours,
    in_status,
    office,
    other_commune,
)
from motcua.dossiers.workflow import Action, Actor, Status
from motcua.notifications.email import send_consultation_late
from motcua.notifications.models import OutboxMessage
from motcua.organizations.models import Agency

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(demo: None) -> People:
    return People.load()


def sở_tư_pháp() -> Agency:
    return Agency.objects.get(code="000.00.02.H01")


def consulted(people: People, *, deadline_hours: float = 24, at: float = 2) -> Dossier:
    """An in-process dossier of phường Rạch Giá on which Phú Quốc and Sở Tư pháp are consulted."""
    dossier = in_status(Status.IN_PROCESS, people)
    return services.consult_agencies(
        dossier.pk,
        people.handler,
        agencies=[other_commune(), sở_tư_pháp()],
        task="Xác minh nơi cư trú trước đây của người nộp",
        deadline=hours(deadline_hours),
        at=hours(at),
    )


def task_of(dossier: Dossier, agency: Agency) -> ConsultationTask:
    return ConsultationTask.objects.get(dossier=dossier, agency=agency)


# --- Asking ---------------------------------------------------------------------------------


def test_consulting_makes_one_task_per_agency_with_the_history_row(people):
    dossier = consulted(people)
    entry = dossier.transitions.get(action=Action.CONSULT)
    tasks = list(ConsultationTask.objects.filter(dossier=dossier).order_by("agency__code"))
    assert [t.agency.code for t in tasks] == ["000.00.02.H01", "000.00.32.H01"]
    for task in tasks:
        assert task.request_seq == entry.seq
        assert task.task == "Xác minh nơi cư trú trước đây của người nộp"
        assert task.deadline == hours(24)
        assert task.requested_by == people.handler
        assert task.requesting_agency_id == dossier.competent_agency_id
        assert task.answered_at is None
    assert dossier.consulted


@pytest.mark.parametrize(
    ("agencies", "code"),
    [
        (lambda: [office()], "agency_not_consultable"),  # a one-stop office decides nothing
        (lambda: [Agency.objects.get(code="000.00.31.H01")], "agency_is_lead"),
    ],
)
def test_a_refused_consultation_leaves_no_task(people, agencies, code):
    dossier = in_status(Status.IN_PROCESS, people)
    with pytest.raises(DomainError) as error:
        services.consult_agencies(
            dossier.pk,
            people.handler,
            agencies=agencies(),
            task="Hỏi",
            deadline=hours(24),
            at=hours(3),
        )
    assert error.value.code == code
    assert not ConsultationTask.objects.filter(dossier=dossier).exists()
    assert dossier.transitions.count() == Dossier.objects.get(pk=dossier.pk).version


def test_an_agency_is_not_asked_again_while_its_answer_is_pending(people):
    dossier = consulted(people)
    with pytest.raises(DomainError) as error:
        services.consult_agencies(
            dossier.pk,
            people.handler,
            agencies=[other_commune()],
            task="Nhắc",
            deadline=hours(30),
            at=hours(3),
        )
    assert error.value.code == "consultation_open"


def test_a_consultation_says_what_is_asked(people):
    dossier = in_status(Status.IN_PROCESS, people)
    with pytest.raises(DomainError) as error:
        services.consult_agencies(
            dossier.pk,
            people.handler,
            agencies=[other_commune()],
            task="  ",
            deadline=hours(24),
            at=hours(3),
        )
    assert error.value.code == "task_required"


# --- Who sees and who answers -----------------------------------------------------------------


def test_the_consulted_agency_sees_the_dossier_and_may_only_answer(people):
    dossier = consulted(people)
    officer = consultee()
    assert dossier_for(officer, dossier.pk).pk == dossier.pk
    assert dossiers_visible_to(officer).filter(pk=dossier.pk).exists()
    assert actions_available(officer, dossier_for(officer, dossier.pk)) == [
        Action.ANSWER_CONSULTATION
    ]
    assert not may_add_files(officer, dossier)
    with pytest.raises(DomainError) as error:
        upload_attachment(
            officer, dossier.pk, SimpleUploadedFile("a.pdf", PDF, "application/pdf"), kind="scan"
        )
    assert error.value.code == "not_permitted"


def test_other_agencies_get_404(people):
    dossier = consulted(people)
    other = User.objects.get(username="chuyenvien.xaydung")  # Sở Xây dựng: not consulted
    for user in (other, people.outsider):
        with pytest.raises(NotFound):
            dossier_for(user, dossier.pk)
        assert not dossiers_visible_to(user).filter(pk=dossier.pk).exists()


def test_the_answer_is_a_history_row_of_the_consulted_agency(people):
    dossier = consulted(people)
    task = task_of(dossier, other_commune())
    answered = services.answer_consultation(
        task.pk, consultee(), answer="Người nộp đã cư trú tại đặc khu 2019–2023", at=hours(5)
    )
    assert answered.answered_at == hours(5)
    assert answered.answered_by == consultee()
    after = Dossier.objects.get(pk=dossier.pk)
    assert after.version == dossier.version + 1
    assert after.status == Status.IN_PROCESS
    entry = after.transitions.get(seq=after.version)
    assert entry.action == Action.ANSWER_CONSULTATION
    assert entry.actor_role == Actor.CONSULTED
    assert entry.actor_agency == other_commune()
    assert entry.reason == ""  # opinions stay in the task: the applicant's timeline shows reasons
    assert entry.data["late"] is False
    assert answered.answer_seq == entry.seq
    assert OutboxMessage.objects.filter(key=f"dossier:{dossier.pk}:{entry.seq}").exists()


def test_an_answer_is_written_once(people):
    dossier = consulted(people)
    task = task_of(dossier, other_commune())
    services.answer_consultation(task.pk, consultee(), answer="Đồng ý", at=hours(5))
    before = Dossier.objects.get(pk=dossier.pk).version
    with pytest.raises(DomainError) as error:
        services.answer_consultation(task.pk, consultee(), answer="Sửa lại", at=hours(6))
    assert error.value.code == "already_answered"
    assert ConsultationTask.objects.get(pk=task.pk).answer == "Đồng ý"
    assert Dossier.objects.get(pk=dossier.pk).version == before


def test_only_the_consulted_agencys_staff_answer_its_task(people):
    dossier = consulted(people)
    task = task_of(dossier, sở_tư_pháp())
    # The lead agency's handler sees the dossier but is not the consulted agency.
    with pytest.raises(DomainError) as error:
        services.answer_consultation(task.pk, people.handler, answer="Thay", at=hours(5))
    assert error.value.code == "not_permitted"
    # Phú Quốc is consulted too, but this task is Sở Tư pháp's.
    with pytest.raises(DomainError) as error:
        services.answer_consultation(task.pk, consultee(), answer="Thay", at=hours(5))
    assert error.value.code == "not_your_consultation"
    with pytest.raises(NotFound):
        services.answer_consultation(task.pk, people.outsider, answer="Thay", at=hours(5))
    lawyer = User.objects.get(username="chuyenvien.tuphap")
    services.answer_consultation(task.pk, lawyer, answer="Không có ý kiến khác", at=hours(5))


def test_answers_are_taken_while_the_applicant_supplements_but_not_after_the_result(people):
    dossier = consulted(people)
    services.request_supplement(
        dossier.pk, people.handler, missing=["Giấy tờ A"], reason="Thiếu", at=hours(3)
    )
    services.answer_consultation(
        task_of(dossier, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(4)
    )
    services.receive_supplement(dossier.pk, people.officer, at=hours(5))
    services.issue_result(dossier.pk, people.leader, results=["Kết quả"], at=hours(6))
    with pytest.raises(DomainError) as error:
        services.answer_consultation(
            task_of(dossier, sở_tư_pháp()).pk,
            User.objects.get(username="chuyenvien.tuphap"),
            answer="Muộn",
            at=hours(7),
        )
    assert error.value.code == "not_allowed"
    rows = dossier_consultations(people.handler, Dossier.objects.get(pk=dossier.pk))
    states = {r.task.agency_id: r.state for r in rows}
    assert states == {other_commune().pk: TaskState.ANSWERED, sở_tư_pháp().pk: TaskState.CLOSED}


def test_a_late_answer_is_flagged(people):
    dossier = consulted(people, deadline_hours=4)
    task = task_of(dossier, other_commune())
    services.answer_consultation(task.pk, consultee(), answer="Đồng ý", at=hours(30))
    entry = DossierTransition.objects.get(dossier=dossier, action=Action.ANSWER_CONSULTATION)
    assert entry.data["late"] is True
    [row] = [r for r in dossier_consultations(people.handler, dossier) if r.task.pk == task.pk]
    assert row.answered_late


def test_the_consulted_agency_still_sees_the_dossier_after_answering_and_after_it_ends(people):
    dossier = consulted(people)
    services.answer_consultation(
        task_of(dossier, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(5)
    )
    assert actions_available(consultee(), dossier_for(consultee(), dossier.pk)) == []
    services.issue_result(dossier.pk, people.leader, results=["Kết quả"], at=hours(6))
    services.return_result(dossier.pk, people.officer, at=hours(7))
    assert dossier_for(consultee(), dossier.pk).status == Status.RETURNED


def test_an_answer_made_with_a_stale_page_changes_nothing_for_the_lead_agency(people):
    dossier = consulted(people)
    seen = dossier.version
    services.answer_consultation(
        task_of(dossier, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(5)
    )
    with pytest.raises(DomainError) as error:
        services.issue_result(
            dossier.pk, people.leader, results=["Kết quả"], expected_version=seen, at=hours(6)
        )
    assert error.value.code == "stale"


def test_files_sent_with_the_answer_belong_to_the_dossier(people):
    dossier = consulted(people)
    task = services.answer_consultation(
        task_of(dossier, other_commune()).pk,
        consultee(),
        answer="Xem văn bản đính kèm",
        files=[SimpleUploadedFile("y-kien.pdf", PDF, "application/pdf")],
        at=hours(5),
    )
    [attachment] = Attachment.objects.filter(pk__in=task.attachment_ids)
    assert attachment.dossier_id == dossier.pk
    assert attachment.uploaded_by == consultee()
    [row] = [
        r for r in dossier_consultations(people.handler, dossier) if r.task.agency == task.agency
    ]
    assert row.files == [attachment]


def test_a_refused_file_leaves_no_answer(people):
    dossier = consulted(people)
    task = task_of(dossier, other_commune())
    with pytest.raises(DomainError):
        services.answer_consultation(
            task.pk,
            consultee(),
            answer="Đồng ý",
            files=[SimpleUploadedFile("x.exe", b"MZ\x90\x00" * 64, "application/octet-stream")],
            at=hours(5),
        )
    task.refresh_from_db()
    assert task.answered_at is None
    assert not Attachment.objects.filter(dossier=dossier).exists()


def test_an_answer_failing_after_its_files_were_stored_leaves_no_object(people, monkeypatch):
    dossier = consulted(people)
    task = task_of(dossier, other_commune())
    stored: list[str] = []
    real_store = store_attachments

    def store(*args, **kwargs):
        attachments = real_store(*args, **kwargs)
        stored.extend(a.storage_name for a in attachments)
        assert all(default_storage.exists(name) for name in stored)
        return attachments

    def broken_outbox(*args, **kwargs):
        raise RuntimeError("the outbox is down")

    monkeypatch.setattr(consultation_services, "store_attachments", store)
    monkeypatch.setattr("motcua.dossiers.services._core.enqueue", broken_outbox)
    with pytest.raises(RuntimeError):
        services.answer_consultation(
            task.pk,
            consultee(),
            answer="Xem văn bản đính kèm",
            files=[SimpleUploadedFile("y-kien.pdf", PDF, "application/pdf")],
            at=hours(5),
        )
    assert stored  # the file was written before the history row failed
    assert not any(default_storage.exists(name) for name in stored)
    task.refresh_from_db()
    assert task.answered_at is None


# --- Lists -------------------------------------------------------------------------------------


def test_my_agencys_consultations_list_open_ones_first_by_deadline(people):
    early = consulted(people, deadline_hours=10)
    late = consulted(people, deadline_hours=8)
    answered = consulted(people, deadline_hours=6)
    services.answer_consultation(
        task_of(answered, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(3)
    )
    listed = [t.dossier_id for t in consultations_for_my_agency(consultee(), hours(4))]
    assert listed == [late.pk, early.pk, answered.pk]
    assert open_consultation_count(consultee(), hours(4)) == 2
    assert open_consultation_count(people.officer, hours(4)) is None  # no agency to consult


# --- Late answers --------------------------------------------------------------------------------


def test_a_late_consultation_is_notified_once(people):
    dossier = consulted(people, deadline_hours=4)
    assert notify_late_consultations(hours(3)) == 0  # not late yet
    assert notify_late_consultations(hours(5)) == 2  # both agencies
    assert notify_late_consultations(hours(6)) == 0  # idempotent
    messages = OutboxMessage.objects.filter(topic=LATE_TOPIC).order_by("key")
    assert messages.count() == 2
    payload = messages[0].payload
    assert payload["code"] == dossier.code
    assert dt.datetime.fromisoformat(payload["deadline"]) == hours(4)
    # Phường Rạch Giá's centre has no head in the demo: the lead agency's leader is told.
    assert [r["name"] for r in payload["recipients"]] == ["Ngô Thanh Sơn"]
    assert all(t.late_notified_at == hours(5) for t in dossier.consultations.all())


def test_answered_tasks_and_closed_dossiers_are_not_notified(people):
    dossier = consulted(people, deadline_hours=4)
    services.answer_consultation(
        task_of(dossier, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(3)
    )
    services.issue_result(dossier.pk, people.leader, results=["Kết quả"], at=hours(3.5))
    assert notify_late_consultations(hours(5)) == 0


def test_the_centre_head_of_the_receiving_office_is_told(people):
    centre = Agency.objects.get(code="000.01.01.H01")  # the provincial centre (it has a head)
    ensure_procedure()
    dossier = services.receive_dossier(
        services.DossierInput(
            procedure_code="9.999001",
            receiving_office=centre,
            competent_agency=sở_tư_pháp(),
            channel="counter",
            applicant_name="Lê Văn Tư",
        ),
        User.objects.get(username="tiepnhan.tinh"),
        at=hours(0),
    )
    services.consult_agencies(
        dossier.pk,
        User.objects.get(username="chuyenvien.tuphap"),
        agencies=[other_commune()],
        task="Cho ý kiến",
        deadline=hours(4),
        at=hours(1),
    )
    call_command("consultations-late", now=hours(5).isoformat())
    [message] = OutboxMessage.objects.filter(topic=LATE_TOPIC)
    assert [r["name"] for r in message.payload["recipients"]] == ["Lê Văn Phúc"]


def test_the_periodic_task_and_the_e_mail(people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    User.objects.filter(username="lanhdao.rachgia").update(email="son@example.vn")
    consulted(people, deadline_hours=-1, at=-2)
    assert notify_late_consultations_task.call() == {"notified": 2}
    for message in OutboxMessage.objects.filter(topic=LATE_TOPIC):
        send_consultation_late(message.payload)
    assert len(mail.outbox) == 2
    assert mail.outbox[0].to == ["son@example.vn"]
    assert "000.01.31.H01-" in mail.outbox[0].subject
    assert "/can-bo/ho-so/" in mail.outbox[0].body


# --- Control slip and earlier data --------------------------------------------------------------


def test_the_control_slip_shows_the_answers_with_their_dates(people):
    dossier = consulted(people)
    services.answer_consultation(
        task_of(dossier, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(5)
    )
    rows = printed_form(Dossier.objects.get(pk=dossier.pk), FormKind.CONTROL_SLIP).data["rows"]
    answer = next(r for r in rows if r["note"].startswith("Trả lời ý kiến"))
    assert answer["at"] == hours(5)
    assert answer["giver_unit"] == other_commune().name
    assert answer["outcome"] in {"Trước hạn", "Đúng hạn"}
    asked = next(r for r in rows if r["note"].startswith("Lấy ý kiến"))
    assert "hạn trả lời" in asked["note"]


def test_earlier_consultations_get_their_tasks_from_the_history(people):
    dossier = consulted(people)
    ConsultationTask.objects.filter(dossier=dossier).delete()
    Dossier.objects.filter(pk=dossier.pk).update(consulted=False)
    migration = __import__(
        "motcua.dossiers.migrations.0006_consultations_and_transfer_to_competent",
        fromlist=["tasks_from_history"],
    )
    migration.tasks_from_history(django_apps, None)
    assert ConsultationTask.objects.filter(dossier=dossier).count() == 2
    assert Dossier.objects.get(pk=dossier.pk).consulted


def test_history_details_name_the_agencies_and_the_deadline(people):
    from motcua.dossiers.inbox import dossier_hops
    from motcua.dossiers.selectors import dossier_timeline

    dossier = consulted(people)
    services.answer_consultation(
        task_of(dossier, other_commune()).pk, consultee(), answer="Đồng ý", at=hours(5)
    )
    hops = dossier_hops(dossier, list(dossier_timeline(dossier)))
    answer = next(h for h in hops if h.entry.action == Action.ANSWER_CONSULTATION)
    assert answer.outcome == "on_time"
    assert any(value == other_commune().name for _label, value in answer.details)
    assert any(value == "03/03/2026 09:00" for _label, value in answer.details)  # answer by
