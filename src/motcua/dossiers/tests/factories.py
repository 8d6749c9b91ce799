"""Dossiers in every state, built through the real services (deterministic times and people).

Personas (demo province): the one-stop officer and handler/leader of phường Rạch Giá, and the
citizen Nguyễn Thị Lan. Reception is Monday 02/03/2026 09:00, so the supplement window and the
apology lead are open for the next actions, each one hour later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from motcua.calendars.engine import VN_TZ
from motcua.catalog.data import ChannelData, ProcedureData
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import Procedure, TimeUnit
from motcua.catalog.services.versions import create_procedure, publish_version
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Channel, ConsultationTask, Dossier
from motcua.dossiers.workflow import Action, Status
from motcua.organizations.models import Agency

RECEIVED_AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=VN_TZ)
PROCEDURE = "9.999001"


@dataclass
class People:
    officer: User  # tiepnhan.rachgia — one-stop, phường Rạch Giá centre
    handler: User  # chuyenvien.rachgia — handler, Phòng Văn hóa - Xã hội (belongs to UBND phường)
    leader: User  # lanhdao.rachgia — leader, UBND phường Rạch Giá
    citizen: User  # congdan.lan
    outsider: User  # tiepnhan.phuquoc — one-stop officer of another commune

    @classmethod
    def load(cls) -> People:
        get = User.objects.get
        return cls(
            get(username="tiepnhan.rachgia"),
            get(username="chuyenvien.rachgia"),
            get(username="lanhdao.rachgia"),
            get(username="congdan.lan"),
            get(username="tiepnhan.phuquoc"),
        )


def office() -> Agency:
    return Agency.objects.get(code="000.01.31.H01")  # TTPVHCC phường Rạch Giá


def other_commune() -> Agency:
    """UBND đặc khu Phú Quốc: consulted (T21), or the competent agency after a transfer (T22)."""
    return Agency.objects.get(code="000.00.32.H01")


def consultee() -> User:
    """chuyenvien.phuquoc — handler at Phú Quốc's Phòng Văn hóa - Xã hội (UBND đặc khu's)."""
    return User.objects.get(username="chuyenvien.phuquoc")


def open_task(dossier: Dossier, at: dt.datetime) -> ConsultationTask:
    """The dossier's open consultation task, or a fresh one for Phú Quốc (a test fixture: the
    table tests answer in states where the services cannot consult)."""
    task = dossier.consultations.filter(answered_at__isnull=True).order_by("id").first()
    if task is not None:
        return task
    Dossier.objects.filter(pk=dossier.pk).update(consulted=True)
    return ConsultationTask.objects.create(
        dossier=dossier,
        agency=other_commune(),
        request_seq=dossier.version,
        task="Cho ý kiến (dữ liệu thử)",
        deadline=at + dt.timedelta(days=1),
        requested_at=at,
    )


def ensure_procedure(amount: str = "5", unit: str = TimeUnit.WORKING_DAYS) -> None:
    """A small published test procedure with a 5-working-day limit on every channel."""
    if Procedure.objects.filter(code=PROCEDURE).exists():
        return
    data = ProcedureData(
        code=PROCEDURE,
        name="Thủ tục thử nghiệm (cấp xã)",
        field="Hộ tịch",
        levels=("commune",),
        channels=tuple(
            ChannelData(channel=c, amount=Decimal(amount), unit=unit)
            for c in (CatalogChannel.IN_PERSON, CatalogChannel.ONLINE, CatalogChannel.POSTAL)
        ),
    )
    version = create_procedure(data)
    publish_version(version, valid_from=dt.date(2020, 1, 1))


def dossier_input(people: People, channel: Channel = Channel.COUNTER) -> services.DossierInput:
    return services.DossierInput(
        procedure_code=PROCEDURE,
        receiving_office=office(),
        channel=channel,
        applicant_name="Nguyễn Thị Lan",
        applicant_phone="0901000001",
        applicant_email="lan@example.vn",
        applicant_user=people.citizen,
    )


def hours(n: float) -> dt.datetime:
    return RECEIVED_AT + dt.timedelta(hours=n)


def in_status(status: Status, people: People) -> Dossier:
    """A fresh dossier brought to ``status`` through the services."""
    ensure_procedure()
    if status == Status.SUBMITTED:
        return services.submit_online(
            dossier_input(people, Channel.PORTAL), people.citizen, at=hours(0)
        )
    if status == Status.NOT_RECEIVED:
        d = in_status(Status.SUBMITTED, people)
        return services.refuse_intake(d.pk, people.officer, reason="Sai thẩm quyền", at=hours(1))
    d = services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
    if status == Status.RECEIVED:
        return d
    if status == Status.WITHDRAWN:
        return services.withdraw_dossier(d.pk, people.citizen, reason="Không cần nữa", at=hours(1))
    d = services.transfer_dossier(d.pk, people.officer, at=hours(1))
    if status == Status.IN_PROCESS:
        return d
    if status == Status.AWAITING_SUPPLEMENT:
        return services.request_supplement(
            d.pk, people.handler, missing=["Giấy tờ A"], reason="Thiếu", at=hours(2)
        )
    if status == Status.AWAITING_PAYMENT:
        return services.request_payment(d.pk, people.handler, amount=50_000, at=hours(2))
    if status == Status.STOPPED:
        return services.stop_processing(
            d.pk, people.leader, reason_code="other", reason="Dừng thử", at=hours(2)
        )
    d = services.issue_result(d.pk, people.leader, results=["Kết quả"], at=hours(2))
    if status == Status.RESOLVED:
        return d
    if status == Status.RETURNED:
        return services.return_result(d.pk, people.officer, at=hours(3))
    raise AssertionError(status)


def perform(action: Action, dossier: Dossier, people: People, at: dt.datetime) -> Dossier:
    """``action`` done by the person whose role the law names, with valid parameters."""
    i = dossier.pk
    match action:
        case Action.ACCEPT_ONLINE:
            return services.accept_online(i, people.officer, at=at)
        case Action.REQUEST_COMPLETION:
            return services.request_completion(
                i, people.officer, missing=["Tờ khai"], reason="Thiếu tờ khai", at=at
            )
        case Action.RESUBMIT:
            return services.resubmit(i, people.citizen, at=at)
        case Action.REFUSE_INTAKE:
            return services.refuse_intake(i, people.officer, reason="Không đủ điều kiện", at=at)
        case Action.TRANSFER:
            return services.transfer_dossier(i, people.officer, at=at)
        case Action.ASSIGN:
            return services.assign_handler(i, people.leader, handler=people.handler, at=at)
        case Action.FORWARD_STEP:
            return services.forward_step(i, people.handler, step="Trình lãnh đạo", at=at)
        case Action.CONSULT:
            return services.consult_agencies(
                i,
                people.handler,
                agencies=[other_commune()],
                task="Xin ý kiến",
                deadline=at + dt.timedelta(hours=2),
                at=at,
            )
        case Action.ANSWER_CONSULTATION:
            task = open_task(dossier, at)
            services.answer_consultation(task.pk, consultee(), answer="Đồng ý", at=at)
            return Dossier.objects.get(pk=i)
        case Action.TRANSFER_TO_COMPETENT:
            target = (
                other_commune()
                if dossier.competent_agency_id != other_commune().pk
                else Agency.objects.get(code="000.00.31.H01")
            )
            return services.transfer_to_competent_office(
                i, people.officer, agency=target, reason="Sai thẩm quyền", at=at
            )
        case Action.REQUEST_SUPPLEMENT:
            return services.request_supplement(
                i, people.handler, missing=["Giấy tờ B"], reason="Thiếu", at=at
            )
        case Action.RECEIVE_SUPPLEMENT:
            return services.receive_supplement(i, people.officer, at=at)
        case Action.REQUEST_PAYMENT:
            return services.request_payment(i, people.handler, amount=30_000, at=at)
        case Action.CONFIRM_PAYMENT:
            return services.confirm_payment(i, people.officer, at=at)
        case Action.EXTEND:
            return services.extend_deadline(
                i, people.leader, new_due=at + dt.timedelta(days=20), reason="Cần xác minh", at=at
            )
        case Action.REFUSE_AFTER_APPRAISAL:
            return services.refuse_after_appraisal(
                i, people.leader, reason="Không đủ điều kiện", at=at
            )
        case Action.STOP:
            return services.stop_processing(
                i, people.leader, reason_code="other", reason="Dừng", at=at
            )
        case Action.WITHDRAW:
            return services.withdraw_dossier(i, people.citizen, reason="Rút", at=at)
        case Action.ISSUE_RESULT:
            return services.issue_result(i, people.leader, results=["Kết quả"], at=at)
        case Action.RETURN_RESULT:
            return services.return_result(i, people.officer, at=at)
        case Action.HAND_TO_POST:
            return services.hand_to_post(i, people.officer, tracking_code="EB123456789VN", at=at)
        case Action.HAND_OVER:  # done by the system during a restructuring
            from motcua.dossiers.services._core import no_change

            return services.transition(i, Action.HAND_OVER, None, no_change, at=at)
    raise AssertionError(action)
