"""Dossier endpoints: create (idempotent), read with history and due-date explanation, list, and
one call per lifecycle action. Thin: parse → one service or selector → serialise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.params.functions import Header
from ninja.responses import Status
from pydantic import Field

from motcua.api.auth import AUTH, acting_user, client_id
from motcua.api.params import JsonOrForm, json_request_body
from motcua.calendars.engine import VN_TZ, SupplementPolicy
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.consultations import ConsultationRow, consultations_of
from motcua.dossiers.models import (
    NATIONAL_CHANNEL,
    ApplicantType,
    Channel,
    Dossier,
    ResultDelivery,
)
from motcua.dossiers.policy import Scope as PolicyScope
from motcua.dossiers.policy import may_see, scope_of
from motcua.dossiers.selectors import (
    actions_available,
    dossier_for,
    dossier_history,
    dossiers_visible_to,
    time_state,
)
from motcua.dossiers.services.idempotency import Claim, create_once
from motcua.dossiers.workflow import NATIONAL_CODES, Action
from motcua.dossiers.workflow import Status as DossierStatus
from motcua.organizations.selectors import agency_by_code

router = Router(tags=["dossiers"], auth=AUTH)

READ, WRITE = "dossiers:read", "dossiers:write"


class ApplicantIn(Schema):
    type: ApplicantType = ApplicantType.CITIZEN
    name: str = Field(min_length=1, max_length=200)
    id_number: str = Field("", max_length=20)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=500)
    representative_name: str = Field("", max_length=200)


class DossierIn(Schema):
    """A dossier to receive at a desk (``mode=receive``) or to submit online (``mode=submit``)."""

    mode: Literal["receive", "submit"] = "receive"
    procedure_code: str = Field(examples=["1.001193"])
    receiving_office: str = Field(description="Receiving unit code (QCVN 102).")
    competent_agency: str | None = Field(None, description="Agency code; default for communes.")
    channel: Channel = Channel.COUNTER
    applicant: ApplicantIn
    subject: str = ""
    sets_count: int = Field(1, ge=1, le=100)
    result_delivery: ResultDelivery = ResultDelivery.COUNTER
    external_code: str = Field("", description="The national portal's identifier, if any.")


class AgencyOut(Schema):
    code: str
    name: str


class ProcedureOut(Schema):
    code: str
    name: str
    version: int


class TransitionOut(Schema):
    seq: int
    action: str
    from_status: str
    to_status: str
    at: dt.datetime
    actor: str | None
    actor_role: str
    agency: str | None
    reason: str
    clock_effect: str
    due_after: dt.datetime | None
    data: dict[str, Any]


class DossierOut(Schema):
    id: int
    code: str | None
    submission_ref: str | None
    status: str
    status_label: str
    national_status: int | None
    version: int
    procedure: ProcedureOut
    receiving_office: AgencyOut
    competent_agency: AgencyOut
    channel: str
    national_channel: int
    applicant_name: str
    applicant_type: str
    received_at: dt.datetime | None
    due_original: dt.datetime | None
    due_legal: dt.datetime | None
    due_current: dt.datetime | None
    due_explanation: list[str]
    overdue: bool
    supplement_count: int
    extension_count: int
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    actions: list[str] = Field(description="Actions the caller may take now.")
    history: list[TransitionOut] | None = None


def _out(
    user: User, dossier: Dossier, *, history: bool = False, scope: PolicyScope | None = None
) -> dict[str, Any]:
    language = "en" if translation.get_language() == "en" else "vi"
    explanation = dossier.due_explanation or {}
    lines = list(explanation.get(language, [])) if isinstance(explanation, dict) else []
    version = dossier.procedure_version
    out: dict[str, Any] = {
        "id": dossier.pk,
        "code": dossier.code,
        "submission_ref": dossier.submission_ref,
        "status": dossier.status,
        "status_label": str(DossierStatus(dossier.status).label),
        "national_status": NATIONAL_CODES.get(DossierStatus(dossier.status)),
        "version": dossier.version,
        "procedure": {
            "code": version.procedure.code,
            "name": version.name,
            "version": version.version,
        },
        "receiving_office": {
            "code": dossier.receiving_office.code,
            "name": dossier.receiving_office.name,
        },
        "competent_agency": {
            "code": dossier.competent_agency.code,
            "name": dossier.competent_agency.name,
        },
        "channel": dossier.channel,
        "national_channel": NATIONAL_CHANNEL[Channel(dossier.channel)],
        "applicant_name": dossier.applicant_name,
        "applicant_type": dossier.applicant_type,
        "received_at": dossier.received_at,
        "due_original": dossier.due_original,
        "due_legal": dossier.due_legal,
        "due_current": dossier.due_current,
        "due_explanation": lines,
        "overdue": time_state(dossier).overdue,
        "supplement_count": dossier.supplement_count,
        "extension_count": dossier.extension_count,
        "resolved_at": dossier.resolved_at,
        "returned_at": dossier.returned_at,
        "actions": [a.value for a in actions_available(user, dossier, scope=scope)],
    }
    if history:
        out["history"] = [
            {
                "seq": t.seq,
                "action": t.action,
                "from_status": t.from_status,
                "to_status": t.to_status,
                "at": t.at,
                "actor": t.actor.display_name if t.actor else None,
                "actor_role": t.actor_role,
                "agency": t.actor_agency.name if t.actor_agency else None,
                "reason": t.reason,
                "clock_effect": t.clock_effect,
                "due_after": t.due_after,
                "data": t.data,
            }
            for t in dossier_history(dossier)
        ]
    return out


@router.post("/dossiers", response={200: DossierOut, 201: DossierOut}, summary="Create a dossier")
def create_dossier(
    request: HttpRequest,
    body: DossierIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> Status[dict[str, Any]]:
    """Receive a dossier at a desk or by post (code and appointment at once), or submit one online
    (a submission reference; code and clock at acceptance). Repeating the call with the same
    `Idempotency-Key` returns the same dossier (200) instead of creating another."""
    user = acting_user(request, WRITE)
    today = clock.now().astimezone(VN_TZ).date()

    def create(claim: Claim) -> Dossier:
        office = agency_by_code(body.receiving_office, today)
        competent = agency_by_code(body.competent_agency, today) if body.competent_agency else None
        data = services.DossierInput(
            procedure_code=body.procedure_code,
            receiving_office=office,
            competent_agency=competent,
            channel=body.channel,
            applicant_name=body.applicant.name,
            applicant_type=body.applicant.type,
            applicant_id_number=body.applicant.id_number,
            applicant_phone=body.applicant.phone,
            applicant_email=body.applicant.email,
            applicant_address=body.applicant.address,
            representative_name=body.applicant.representative_name,
            subject=body.subject,
            sets_count=body.sets_count,
            result_delivery=body.result_delivery,
            external_code=body.external_code,
        )
        if body.mode == "submit":
            return services.submit_online(data, None, claim=claim)
        return services.receive_dossier(data, user, claim=claim)

    dossier, created = create_once(
        client_id(request), idempotency_key, body.model_dump(mode="json"), create
    )
    scope = scope_of(user, today)
    if not created or not may_see(scope, dossier):
        dossier = dossier_for(user, dossier.pk)  # a repeat, or submitted on someone's behalf
    return Status(201 if created else 200, _out(user, dossier, history=True, scope=scope))


class ListQuery(Schema):
    status: DossierStatus | None = None
    code: str | None = None
    overdue: bool | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


class DossierPage(Schema):
    count: int
    items: list[DossierOut]


@router.get("/dossiers", response=DossierPage, summary="List dossiers in your scope")
def list_dossiers(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    """The dossiers the caller may see, newest first, with filters."""
    user = acting_user(request, READ)
    dossiers = dossiers_visible_to(user)
    if query.status:
        dossiers = dossiers.filter(status=query.status)
    if query.code:
        dossiers = dossiers.filter(code__startswith=query.code.strip())
    if query.overdue is not None:
        now = clock.now()
        overdue = dossiers.filter(
            status__in=[
                DossierStatus.RECEIVED,
                DossierStatus.IN_PROCESS,
                DossierStatus.AWAITING_PAYMENT,
            ],
            due_current__lt=now,
        )
        dossiers = overdue if query.overdue else dossiers.exclude(pk__in=overdue.values("pk"))
    count = dossiers.count()
    page = dossiers.order_by("-id")[query.offset : query.offset + query.limit]
    return {"count": count, "items": [_out(user, d) for d in page]}


@router.get("/dossiers/{dossier_id}", response=DossierOut, summary="Read a dossier")
def get_dossier(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    """The dossier with its history, appointment and how it was reached; 404 outside your scope."""
    user = acting_user(request, READ)
    return _out(user, dossier_for(user, dossier_id), history=True)


class ActionIn(Schema):
    """Parameters of an action; each action reads the ones it needs."""

    expected_version: int | None = Field(
        None, description="The version you saw; a different current version gives 409."
    )
    reason: str = ""
    missing: list[str] = Field(default_factory=list)
    handler: str | None = Field(None, description="User name of the handler (assign).")
    new_due: dt.datetime | None = Field(None, description="New appointment (extend).")
    amount: int | None = Field(None, description="Amount to pay in VND (request_payment).")
    paid_online: bool = False
    receipt: str = ""
    results: list[str] = Field(default_factory=list)
    method: ResultDelivery | None = None
    received_by: str = ""
    tracking_code: str = ""
    step: str = ""
    reason_code: str = ""
    agencies: list[str] = Field(default_factory=list)
    deadline: dt.datetime | None = None
    agency: str | None = Field(
        None, description="Agency code (transfer_to_competent_office: the competent agency)."
    )
    paper_sent_at: dt.datetime | None = Field(
        None, description="When the paper originals left (transfer_to_competent_office)."
    )
    policy: SupplementPolicy = SupplementPolicy.RESTART_PER_DECREE
    override: bool = False


def _required(value: object, name: str) -> Any:
    if value is None:
        raise DomainError(
            "missing_parameter", _("The parameter “%(name)s” is required."), {"name": name}
        )
    return value


def _handler(username: str | None) -> User:
    user = User.objects.filter(username=_required(username, "handler"), is_active=True).first()
    if user is None:
        raise DomainError("unknown_user", _("No such user."))
    return user


_ACTIONS: dict[Action, Callable[[int, User, ActionIn], Dossier]] = {
    Action.ACCEPT_ONLINE: lambda i, u, b: services.accept_online(
        i, u, expected_version=b.expected_version
    ),
    Action.REQUEST_COMPLETION: lambda i, u, b: services.request_completion(
        i, u, missing=b.missing, reason=b.reason, expected_version=b.expected_version
    ),
    Action.RESUBMIT: lambda i, u, b: services.resubmit(i, u, expected_version=b.expected_version),
    Action.REFUSE_INTAKE: lambda i, u, b: services.refuse_intake(
        i, u, reason=b.reason, expected_version=b.expected_version
    ),
    Action.TRANSFER: lambda i, u, b: services.transfer_dossier(
        i, u, expected_version=b.expected_version
    ),
    Action.ASSIGN: lambda i, u, b: services.assign_handler(
        i, u, handler=_handler(b.handler), note=b.reason, expected_version=b.expected_version
    ),
    Action.FORWARD_STEP: lambda i, u, b: services.forward_step(
        i, u, step=b.step, note=b.reason, expected_version=b.expected_version
    ),
    Action.CONSULT: lambda i, u, b: services.consult_agencies(
        i,
        u,
        agencies=[agency_by_code(c, clock.now().astimezone(VN_TZ).date()) for c in b.agencies],
        task=b.reason,
        deadline=_required(b.deadline, "deadline"),
        expected_version=b.expected_version,
    ),
    Action.TRANSFER_TO_COMPETENT: lambda i, u, b: services.transfer_to_competent_office(
        i,
        u,
        agency=agency_by_code(_required(b.agency, "agency"), clock.now().astimezone(VN_TZ).date()),
        reason=b.reason,
        paper_sent_at=b.paper_sent_at,
        expected_version=b.expected_version,
    ),
    Action.REQUEST_SUPPLEMENT: lambda i, u, b: services.request_supplement(
        i,
        u,
        missing=b.missing,
        reason=b.reason,
        override=b.override,
        expected_version=b.expected_version,
    ),
    Action.RECEIVE_SUPPLEMENT: lambda i, u, b: services.receive_supplement(
        i, u, policy=b.policy, expected_version=b.expected_version
    ),
    Action.REQUEST_PAYMENT: lambda i, u, b: services.request_payment(
        i,
        u,
        amount=_required(b.amount, "amount"),
        note=b.reason,
        expected_version=b.expected_version,
    ),
    Action.CONFIRM_PAYMENT: lambda i, u, b: services.confirm_payment(
        i, u, paid_online=b.paid_online, receipt=b.receipt, expected_version=b.expected_version
    ),
    Action.EXTEND: lambda i, u, b: services.extend_deadline(
        i,
        u,
        new_due=_required(b.new_due, "new_due"),
        reason=b.reason,
        expected_version=b.expected_version,
    ),
    Action.REFUSE_AFTER_APPRAISAL: lambda i, u, b: services.refuse_after_appraisal(
        i, u, reason=b.reason, expected_version=b.expected_version
    ),
    Action.STOP: lambda i, u, b: services.stop_processing(
        i, u, reason_code=b.reason_code, reason=b.reason, expected_version=b.expected_version
    ),
    Action.WITHDRAW: lambda i, u, b: services.withdraw_dossier(
        i, u, reason=b.reason, expected_version=b.expected_version
    ),
    Action.ISSUE_RESULT: lambda i, u, b: services.issue_result(
        i, u, results=b.results, note=b.reason, expected_version=b.expected_version
    ),
    Action.RETURN_RESULT: lambda i, u, b: services.return_result(
        i, u, method=b.method, received_by=b.received_by, expected_version=b.expected_version
    ),
    Action.HAND_TO_POST: lambda i, u, b: services.hand_to_post(
        i, u, tracking_code=b.tracking_code, expected_version=b.expected_version
    ),
}

ActionName = Literal[
    "accept_online",
    "request_completion",
    "resubmit",
    "refuse_intake",
    "transfer",
    "assign",
    "forward_step",
    "consult",
    "transfer_to_competent_office",
    "request_supplement",
    "receive_supplement",
    "request_payment",
    "confirm_payment",
    "extend",
    "refuse_after_appraisal",
    "stop",
    "withdraw",
    "issue_result",
    "return_result",
    "hand_to_post",
]


@router.post(
    "/dossiers/{dossier_id}/actions/{action}", response=DossierOut, summary="Act on a dossier"
)
def act(
    request: HttpRequest, dossier_id: int, action: ActionName, body: ActionIn
) -> dict[str, Any]:
    """Perform one lifecycle action in one transaction. 409 when the dossier's state does not
    allow it or `expected_version` is stale; 404 outside your scope."""
    user = acting_user(request, WRITE)
    dossier = _ACTIONS[Action(action)](dossier_id, user, body)
    return _out(user, dossier_for(user, dossier.pk), history=True)


# --- Consultations (T21): the tasks of a dossier, and the consulted agency's answer ------------


class ConsultationOut(Schema):
    id: int
    agency: AgencyOut
    task: str
    deadline: dt.datetime
    requested_at: dt.datetime
    requested_by: str | None
    requesting_agency: AgencyOut | None
    state: Literal["waiting", "late", "answered", "closed"]
    state_label: str
    answered_at: dt.datetime | None
    answered_by: str | None
    answer: str
    answered_late: bool
    attachments: list[int] = Field(description="Ids of the files sent with the answer.")
    late_notified_at: dt.datetime | None
    may_answer: bool = Field(description="Whether the caller may answer this task now.")


class AnswerIn(Schema):
    answer: str = Field(min_length=1, max_length=5000)
    expected_version: int | None = Field(
        None, description="The dossier version you saw; a different current version gives 409."
    )


def _consultation_out(row: ConsultationRow) -> dict[str, Any]:
    task = row.task
    requesting = task.requesting_agency
    return {
        "id": task.pk,
        "agency": {"code": task.agency.code, "name": task.agency.name},
        "task": task.task,
        "deadline": task.deadline,
        "requested_at": task.requested_at,
        "requested_by": task.requested_by.display_name if task.requested_by else None,
        "requesting_agency": (
            {"code": requesting.code, "name": requesting.name} if requesting else None
        ),
        "state": row.state,
        "state_label": row.state_label,
        "answered_at": task.answered_at,
        "answered_by": task.answered_by.display_name if task.answered_by else None,
        "answer": task.answer,
        "answered_late": row.answered_late,
        "attachments": [f.pk for f in row.files],
        "late_notified_at": task.late_notified_at,
        "may_answer": row.may_answer,
    }


@router.get(
    "/dossiers/{dossier_id}/consultations",
    response=list[ConsultationOut],
    summary="List a dossier's consultations",
)
def list_consultations(request: HttpRequest, dossier_id: int) -> list[dict[str, Any]]:
    """The agencies asked for their opinion or part (T21), with deadlines, state and answers, in
    the order asked; 404 outside your scope."""
    user = acting_user(request, READ)
    _dossier, rows = consultations_of(user, dossier_id)
    return [_consultation_out(row) for row in rows]


@router.post(
    "/dossiers/{dossier_id}/consultations/{task_id}/answer",
    response=ConsultationOut,
    summary="Answer a consultation",
    openapi_extra=json_request_body(AnswerIn),
)
def answer_consultation(
    request: HttpRequest,
    dossier_id: int,
    task_id: int,
    body: Annotated[AnswerIn, JsonOrForm()],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]  # none: JSON call
) -> dict[str, Any]:
    """The consulted agency answers its task, once: a JSON body, or `multipart/form-data` with the
    same fields and the answer's files in `files` (several allowed). Each file is checked like an
    attachment (type sniffed from the content; empty, oversized, disguised or infected files give
    400 with a `code`), and a refused file records nothing. 403 when the task is another agency's,
    409 when it is already answered, the dossier no longer takes answers, or `expected_version`
    is stale; 404 outside your scope."""
    user = acting_user(request, WRITE)
    _dossier, rows = consultations_of(user, dossier_id)
    if not any(row.task.pk == task_id for row in rows):
        raise services.NotFound
    services.answer_consultation(
        task_id,
        user,
        answer=body.answer,
        files=files or (),
        expected_version=body.expected_version,
    )
    _dossier, rows = consultations_of(user, dossier_id)
    return next(_consultation_out(row) for row in rows if row.task.pk == task_id)
