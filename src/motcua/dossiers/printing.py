"""Official forms of a dossier as PDF: which form applies, and what it says (from the history).

The back office and the API call exactly :func:`form_pdf` and :func:`register_pdf`. Both check
scope through the selectors (outside scope: ``NotFound``, a 404), build the form's content from
the dossier and its append-only history, and let ``documents.forms`` render it with the form set
in force on the document's issue date (ADR 0012).

Which event a form prints (forms-and-codes.md §1; the latest one when several exist):

======================  ==========================================  =========================
form                    printed for                                 issue date
======================  ==========================================  =========================
receipt (Mẫu 01)        reception (T2, T3), reissued at T11          that event
completion_request      the pre-intake completion request (T4)      that event
supplement_request      the supplement request (T10)                that event
refusal (Mẫu 03)        refusal at intake (T7) or after appraisal    that event
                        (T15)
apology (Mẫu 04)        the extension with apology (T14)            that event
stop_notice             stop processing (T16)                       that event
control_slip            any received dossier; one row per hop       the reception
consultation_request    a consultation round (T21): its agencies,   that event
                        question and deadline (no model form)
transfer_slip           a transfer to the competent agency (T22)    that event
                        (no model form)
register                dossiers received at an office in a period  today
======================  ==========================================  =========================

The two forms printed per event (a dossier may have several consultation rounds or transfers)
take the event's history number (``seq``); without it, the latest such event.

Known limit: control-slip rows compare each hop with the deadline that applied to it — the
transfer deadline (Art 18) for the transfer, a consultation's deadline for its answer (T21, one
row per answering agency, after the row asking), the dossier's appointment otherwise; per-step
budgets (calendar-and-deadlines.md §8) are not yet tracked by the services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ, Outcome, classify_finished
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.documents import forms
from motcua.documents.forms import FormPurpose, Letterhead, PrintedForm, QrSubject
from motcua.documents.models import AttachmentKind
from motcua.documents.selectors import attachments_of
from motcua.dossiers.models import (
    Channel,
    ConsultationTask,
    Dossier,
    DossierTransition,
    ResultDelivery,
)
from motcua.dossiers.policy import scope_of
from motcua.dossiers.selectors import dossier_for, dossiers_visible_to
from motcua.dossiers.services import NotFound, StopReason
from motcua.dossiers.workflow import Action, Status
from motcua.organizations.models import Agency

#: At most this many dossiers in one register PDF: rendering must not hold a web worker for
#: minutes (about 25 rows a page). Larger periods are for the asynchronous exports.
REGISTER_MAX_ROWS = 2000


class FormKind(models.TextChoices):
    """The forms printable for one dossier (values are stable API and URL parameters)."""

    RECEIPT = "receipt", _("Receipt and appointment")
    COMPLETION_REQUEST = "completion_request", _("Request to complete the dossier")
    SUPPLEMENT_REQUEST = "supplement_request", _("Request to supplement the dossier")
    REFUSAL = "refusal", _("Refusal slip")
    APOLOGY = "apology", _("Apology letter")
    STOP_NOTICE = "stop_notice", _("Notice of stopping processing")
    CONTROL_SLIP = "control_slip", _("Process control slip")
    CONSULTATION_REQUEST = "consultation_request", _("Request for coordination or opinion")
    TRANSFER_SLIP = "transfer_slip", _("Transfer slip to the competent agency")


#: Forms printed once per history event of their kind (``seq`` picks the event).
EVENT_FORMS = {
    FormKind.CONSULTATION_REQUEST: Action.CONSULT,
    FormKind.TRANSFER_SLIP: Action.TRANSFER_TO_COMPETENT,
}


# --- Official wording (printed forms are Vietnamese legal documents) ---------------------------

_UNIT_WORDS = {
    "working_hours": "giờ làm việc",
    "working_days": "ngày làm việc",
    "calendar_days": "ngày",
    "months": "tháng",
    "same_day": "trong ngày",
}
_DELIVERY = {
    ResultDelivery.COUNTER: "Bộ phận Một cửa nơi nộp hồ sơ",
    ResultDelivery.POST: "địa chỉ của người nộp, qua dịch vụ bưu chính công ích",
    ResultDelivery.ONLINE: "tài khoản trực tuyến (kết quả điện tử)",
}
_CHANNEL = {
    Channel.COUNTER: "nộp trực tiếp",
    Channel.POST: "nộp qua dịch vụ bưu chính",
    Channel.PORTAL: "nộp trực tuyến",
    Channel.NATIONAL_PORTAL: "nộp trực tuyến qua Cổng Dịch vụ công quốc gia",
    Channel.VNEID: "nộp qua ứng dụng VNeID",
}
_STOP_REASONS = {
    StopReason.NO_SUPPLEMENT: "người nộp không bổ sung hồ sơ trong thời hạn",
    StopReason.APPLICANT_REQUEST: "theo đề nghị của người nộp hồ sơ",
    StopReason.SPECIALISED_LAW: "theo quy định của pháp luật chuyên ngành",
    StopReason.OTHER: "lý do khác",
}
_OUTCOME = {
    Outcome.EARLY: "Trước hạn",
    Outcome.ON_TIME: "Đúng hạn",
    Outcome.LATE: "Quá hạn",
    Outcome.LATE_WITH_APOLOGY: "Quá hạn",
}
_PLACE_PREFIXES = ("Thành phố ", "Thị trấn ", "Đặc khu ", "Phường ", "Tỉnh ", "Huyện ", "Thị xã ")


def _today() -> dt.date:
    return clock.now().astimezone(VN_TZ).date()


def _local_date(instant: dt.datetime) -> dt.date:
    return instant.astimezone(VN_TZ).date()


def _place(agency: Agency) -> str:
    """The place in the date line: the agency's administrative unit without its type word."""
    current: Agency | None = agency
    while current is not None:
        unit = current.administrative_unit
        if unit is not None:
            name = unit.name
            for prefix in _PLACE_PREFIXES:
                if name.startswith(prefix):
                    return name.removeprefix(prefix)
            return name.removeprefix("Xã ")
        current = current.parent
    return "……"


def _letterhead(agency: Agency) -> Letterhead:
    superior = agency.parent.name if agency.parent is not None else ""
    return Letterhead(superior=superior, unit=agency.name, place=_place(agency))


def _name(user: User | None) -> str:
    return user.display_name if user is not None else ""


def _amount(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _time_limit(dossier: Dossier) -> str:
    if dossier.time_limit_amount is None:
        return "theo quy định của thủ tục hành chính"
    unit = dossier.time_limit_unit
    if unit == "same_day":
        return "trong ngày"
    return f"{_amount(Decimal(dossier.time_limit_amount))} {_UNIT_WORDS.get(unit, unit)}"


def _request_text(dossier: Dossier) -> str:
    version = dossier.procedure_version
    text = version.name
    if dossier.subject:
        text = f"{text} — {dossier.subject}"
    return text


def _applicant(dossier: Dossier) -> dict[str, Any]:
    return {
        "applicant_name": dossier.applicant_name,
        "address": dossier.applicant_address,
        "identifier": forms.mask_identifier(dossier.applicant_id_number),
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "request": _request_text(dossier),
        "procedure": dossier.procedure_version.name,
        "code": dossier.code or dossier.submission_ref or "",
        "code_label": "Mã hồ sơ" if dossier.code else "Mã số nộp hồ sơ trực tuyến",
    }


def _qr(dossier: Dossier, title: str) -> QrSubject:
    return QrSubject(
        dossier_code=dossier.code or dossier.submission_ref or "",
        procedure_code=dossier.procedure_version.procedure.code,
        identifier=dossier.applicant_id_number,
        document_name=title,
    )


def _last(dossier: Dossier, *actions: Action) -> DossierTransition | None:
    return (
        dossier.transitions.filter(action__in=actions)
        .select_related("actor", "actor_agency")
        .order_by("-seq")
        .first()
    )


def _not_applicable(message: Any) -> DomainError:
    return DomainError("form_not_applicable", message)


def _components(dossier: Dossier, *, catalogue_list: bool = True) -> list[dict[str, Any]]:
    """The receipt's component table: what the officer ticked as received at the desk (with the
    catalogue's quantities), else the files received, else (``catalogue_list``) the catalogue's
    list."""
    reception = (
        dossier.transitions.filter(action__in=[Action.RECEIVE, Action.ACCEPT_ONLINE])
        .order_by("seq")
        .first()
    )
    ticked = (reception.data or {}).get("documents_received") if reception else None
    if ticked:
        catalogue = {r.name: r for r in dossier.procedure_version.documents.all()}
        rows = []
        for name in ticked:
            requirement = catalogue.get(str(name))
            rows.append(
                {
                    "name": short_name(str(name)),
                    "originals": requirement.originals if requirement else None,
                    "copies": requirement.copies if requirement else None,
                    "note": "",
                }
            )
        return rows
    files = [
        a
        for a in attachments_of(dossier.pk)
        if a.kind in {AttachmentKind.COMPONENT, AttachmentKind.SCAN}
    ]
    if files:
        return [
            {
                "name": a.name,
                "originals": None,
                "copies": None,
                "note": "Bản số hóa" if a.digitised else "Bản điện tử",
            }
            for a in files
        ]
    if not catalogue_list:
        return []
    return [
        {"name": short_name(r.name), "originals": r.originals, "copies": r.copies, "note": ""}
        for r in dossier.procedure_version.documents.order_by("group_order", "order")
        if (r.originals or 0) + (r.copies or 0) > 0  # rows of 0 are the catalogue's notes
    ]


def short_name(text: str, limit: int = 140) -> str:
    """A catalogue component's name as a receipt line: its first clause, without list dashes
    (the national catalogue's names carry whole paragraphs of cases and notes)."""
    name = " ".join(text.split()).lstrip("-–+* ").strip()
    for stop in (";", ". "):
        head, found, _rest = name.partition(stop)
        if found and len(head) >= 12:
            name = head
    if len(name) > limit:
        name = name[: limit - 1].rsplit(" ", 1)[0] + "…"
    return name.rstrip(" .;:")


def _form(
    dossier: Dossier,
    purpose: FormPurpose,
    event_at: dt.datetime,
    issuer: Agency,
    data: dict[str, Any],
    *,
    number_line: bool = False,
) -> PrintedForm:
    issued_on = _local_date(event_at)
    title = forms.spec_for(purpose, forms.form_set_for(issued_on)).title
    return PrintedForm(
        purpose=purpose,
        issued_on=issued_on,
        letterhead=_letterhead(issuer),
        data=data,
        qr=_qr(dossier, title),
        number_line=number_line,
    )


def _receipt(dossier: Dossier) -> PrintedForm:
    event = _last(dossier, Action.RECEIVE, Action.ACCEPT_ONLINE, Action.RECEIVE_SUPPLEMENT)
    if event is None or not dossier.code:
        raise _not_applicable(_("This dossier has not been received, so it has no receipt."))
    office = dossier.receiving_office
    data = _applicant(dossier) | {
        "office_name": office.name,
        "submitter": dossier.representative_name or dossier.applicant_name,
        "representative": bool(dossier.representative_name),
        "channel": _CHANNEL.get(Channel(dossier.channel), ""),
        "components": _components(dossier),
        "sets_count": dossier.sets_count,
        "time_limit": _time_limit(dossier),
        "received_at": event.at,
        "due_at": event.due_after or dossier.due_original,
        "delivery": _DELIVERY[ResultDelivery(dossier.result_delivery)],
        "officer": _name(event.actor),
        "reissued": event.action == Action.RECEIVE_SUPPLEMENT,
    }
    return _form(dossier, FormPurpose.RECEIPT, event.at, office, data)


def _request(dossier: Dossier, kind: FormKind) -> PrintedForm:
    pre_intake = kind == FormKind.COMPLETION_REQUEST
    action = Action.REQUEST_COMPLETION if pre_intake else Action.REQUEST_SUPPLEMENT
    event = _last(dossier, action)
    if event is None:
        raise _not_applicable(
            _("No completion was requested for this dossier.")
            if pre_intake
            else _("No supplement was requested for this dossier.")
        )
    issuer = event.actor_agency or dossier.receiving_office
    office = dossier.receiving_office
    data = _applicant(dossier) | {
        "office_name": office.name,
        "verb": "hoàn thiện" if pre_intake else "bổ sung",
        "items": list(event.data.get("missing", [])),
        "reason": event.reason,
        "submitted_at": dossier.submitted_at if pre_intake else None,
        "contact": _name(event.actor) or office.name,
        "contact_phone": issuer.phone or office.phone,
        "officer": _name(event.actor),
    }
    purpose = FormPurpose.COMPLETION_REQUEST if pre_intake else FormPurpose.SUPPLEMENT_REQUEST
    return _form(dossier, purpose, event.at, issuer, data)


def _refusal(dossier: Dossier) -> PrintedForm:
    event = _last(dossier, Action.REFUSE_INTAKE, Action.REFUSE_AFTER_APPRAISAL)
    if event is None:
        raise _not_applicable(_("This dossier was not refused."))
    after_appraisal = event.action == Action.REFUSE_AFTER_APPRAISAL
    issuer = event.actor_agency or (
        dossier.competent_agency if after_appraisal else dossier.receiving_office
    )
    data = _applicant(dossier) | {
        "office_name": dossier.receiving_office.name,
        "unit_name": issuer.name,
        "after_appraisal": after_appraisal,
        "submitted_at": dossier.submitted_at,
        "reason": event.reason,
        "signer_title": "THỦ TRƯỞNG CƠ QUAN" if after_appraisal else "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "signer_how": "(Ký, ghi rõ họ tên và đóng dấu)"
        if after_appraisal
        else "(Ký và ghi rõ họ tên)",
        "signer": _name(event.actor),
    }
    return _form(dossier, FormPurpose.REFUSAL, event.at, issuer, data, number_line=after_appraisal)


def _apology(dossier: Dossier) -> PrintedForm:
    event = _last(dossier, Action.EXTEND)
    if event is None:
        raise _not_applicable(
            _("The time limit of this dossier was not extended, so there is no apology letter.")
        )
    issuer = event.actor_agency or dossier.competent_agency
    data = _applicant(dossier) | {
        "office_name": dossier.receiving_office.name,
        "unit_name": issuer.name,
        "received_at": dossier.received_at,
        "previous_due": event.due_before,
        "new_due": event.due_after,
        "reason": event.reason,
        "signer": _name(event.actor),
    }
    return _form(dossier, FormPurpose.APOLOGY, event.at, issuer, data, number_line=True)


def _stop_notice(dossier: Dossier) -> PrintedForm:
    event = _last(dossier, Action.STOP)
    if event is None:
        raise _not_applicable(_("Processing of this dossier was not stopped."))
    issuer = event.actor_agency or dossier.competent_agency
    code = str(event.data.get("reason_code", StopReason.OTHER))
    data = _applicant(dossier) | {
        "office_name": dossier.receiving_office.name,
        "unit_name": issuer.name,
        "received_at": dossier.received_at,
        "stopped_at": event.at,
        "reason_label": _STOP_REASONS.get(code, _STOP_REASONS[StopReason.OTHER]),
        "reason": event.reason,
        "signer": _name(event.actor),
    }
    return _form(dossier, FormPurpose.STOP_NOTICE, event.at, issuer, data, number_line=True)


def _event(dossier: Dossier, action: Action, seq: int | None) -> DossierTransition | None:
    """The history row ``seq`` when it is such an event (else ``NotFound``: a wrong address),
    or the latest such event when ``seq`` is None."""
    if seq is None:
        return _last(dossier, action)
    event = (
        dossier.transitions.filter(action=action, seq=seq)
        .select_related("actor", "actor_agency")
        .first()
    )
    if event is None:
        raise NotFound
    return event


def _consultation_request(dossier: Dossier, seq: int | None = None) -> PrintedForm:
    """The request sent in one consultation round (T21): its agencies, question and deadline."""
    event = _event(dossier, Action.CONSULT, seq)
    if event is None:
        raise _not_applicable(_("No other agency was consulted on this dossier."))
    asked_by = _instant(event.data.get("deadline"))
    tasks = list(
        ConsultationTask.objects.filter(dossier_id=dossier.pk, request_seq=event.seq)
        .select_related("agency")
        .order_by("agency__name", "id")
    )
    agencies: list[dict[str, Any]]
    if tasks:
        agencies = [{"name": t.agency.name, "deadline": t.deadline} for t in tasks]
    else:  # rounds recorded before the task rows existed: the history row says it all
        ids = [pk for pk in event.data.get("agencies", []) if isinstance(pk, int)]
        names = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))
        agencies = [{"name": names[pk], "deadline": asked_by} for pk in ids if pk in names]
    deadlines = [a["deadline"] for a in agencies if a["deadline"] is not None]
    issuer = event.actor_agency or dossier.competent_agency
    data = _applicant(dossier) | {
        "seq": event.seq,
        "office_name": dossier.receiving_office.name,
        "unit_name": issuer.name,
        "agencies": agencies,
        "task": tasks[0].task if tasks else event.reason,
        "deadline": min(deadlines) if deadlines else asked_by,
        "received_at": dossier.received_at,
        "due_at": event.due_after or event.due_before or dossier.due_current,
        "contact": _name(event.actor),
        "contact_phone": issuer.phone,
        "signer": "",  # the head of the agency signs; the asking officer is the contact
    }
    return _form(
        dossier, FormPurpose.CONSULTATION_REQUEST, event.at, issuer, data, number_line=True
    )


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (a reason printed inside a numbered line)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else f"{text}."


def _transfer_slip(dossier: Dossier, seq: int | None = None) -> PrintedForm:
    """The slip that goes with a transfer to the competent agency (T22): from, to, why, when,
    the components and the paper originals' hand-over."""
    event = _event(dossier, Action.TRANSFER_TO_COMPETENT, seq)
    if event is None:
        raise _not_applicable(_("This dossier was not sent to another competent agency."))
    before = event.data.get("before") or {}
    source, target = before.get("competent_agency"), event.data.get("to_agency")
    names: dict[Any, str] = dict(
        Agency.objects.filter(
            pk__in=[pk for pk in (source, target) if isinstance(pk, int)]
        ).values_list("pk", "name")
    )
    sender = event.actor_agency or dossier.receiving_office
    data = _applicant(dossier) | {
        "seq": event.seq,
        "office_name": dossier.receiving_office.name,
        "sender": sender.name,
        "from_agency": names.get(source, "……"),
        "to_agency": names.get(target, "……"),
        "transferred_at": event.at,
        "reason": _sentence(event.reason),
        "received_at": dossier.received_at,
        "due_at": event.due_after or dossier.due_current,
        "paper": bool(event.data.get("paper")),
        "paper_due": _instant(event.data.get("paper_due")),
        "paper_sent_at": _instant(event.data.get("paper_sent_at")),
        "components": _components(dossier, catalogue_list=False),
        "officer": _name(event.actor),
    }
    return _form(dossier, FormPurpose.TRANSFER_SLIP, event.at, sender, data)


def _instant(value: object) -> dt.datetime | None:
    """An ISO instant from a history row's details (None when absent or unreadable)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _when(instant: dt.datetime) -> str:
    return f"{instant.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


def _outcome(at: dt.datetime, due: dt.datetime | None) -> str:
    if due is None:
        return ""
    return _OUTCOME.get(classify_finished(at, due).outcome, "")


def _hops(dossier: Dossier) -> list[dict[str, Any]]:
    """One control-slip row per hand-over in the history (T8, T9, T21, T10/T11, T15–T19)."""
    history = list(dossier.transitions.select_related("actor", "actor_agency").order_by("seq"))
    agencies = {
        a.pk: a.name
        for a in Agency.objects.filter(
            pk__in={
                pk
                for t in history
                for pk in [*t.data.get("agencies", []), t.data.get("to_agency")]
                if isinstance(pk, int)
            }
        )
    }
    handlers = {
        u.pk: u.display_name
        for u in User.objects.filter(
            pk__in={t.data["handler"] for t in history if t.data.get("handler")}
        )
    }
    office, lead = dossier.receiving_office.name, dossier.competent_agency.name
    rows: list[dict[str, Any]] = []
    for t in history:
        unit = t.actor_agency.name if t.actor_agency else lead
        row: dict[str, Any] = {"at": t.at, "giver": _name(t.actor), "receiver": "", "note": ""}
        due = t.due_before or dossier.due_legal
        match t.action:
            case Action.TRANSFER:
                transfer_due = t.data.get("transfer_due")
                limit = dt.datetime.fromisoformat(transfer_due) if transfer_due else None
                row |= {
                    "giver_unit": office,
                    "receiver_unit": lead,
                    "outcome": "Quá hạn" if t.data.get("late") else _outcome(t.at, limit),
                    "note": "Chuyển hồ sơ đến cơ quan giải quyết",
                }
            case Action.ASSIGN:
                row |= {
                    "giver_unit": f"Lãnh đạo {unit}",
                    "receiver_unit": f"Chuyên viên thụ lý ({unit})",
                    "receiver": handlers.get(t.data.get("handler"), ""),
                    "outcome": _outcome(t.at, due),
                    "note": "Phân công thụ lý",
                }
            case Action.FORWARD_STEP:
                row |= {
                    "giver_unit": unit,
                    "receiver_unit": str(t.data.get("step", "")),
                    "outcome": _outcome(t.at, due),
                    "note": t.reason,
                }
            case Action.CONSULT:
                names = [agencies.get(pk, "") for pk in t.data.get("agencies", [])]
                deadline = _instant(t.data.get("deadline"))
                row |= {
                    "giver_unit": unit,
                    "receiver_unit": ", ".join(n for n in names if n),
                    "outcome": _outcome(t.at, due),
                    "note": (f"Lấy ý kiến/phối hợp: {t.reason}" if t.reason else "Phối hợp")
                    + (f" (hạn trả lời {_when(deadline)})" if deadline else ""),
                }
            case Action.ANSWER_CONSULTATION:
                names = [agencies.get(pk, "") for pk in t.data.get("agencies", [])]
                deadline = _instant(t.data.get("deadline"))
                row |= {
                    "giver_unit": ", ".join(n for n in names if n) or unit,
                    "receiver_unit": lead,
                    "outcome": "Quá hạn" if t.data.get("late") else _outcome(t.at, deadline),
                    "note": "Trả lời ý kiến phối hợp"
                    + (f" (hạn {_when(deadline)})" if deadline else ""),
                }
            case Action.TRANSFER_TO_COMPETENT:
                target = agencies.get(t.data.get("to_agency"), "")
                paper_due = _instant(t.data.get("paper_due"))
                row |= {
                    "giver_unit": office,
                    "receiver_unit": target or lead,
                    "outcome": "Quá hạn" if t.data.get("late") else "",
                    "note": "Chuyển đến cơ quan có thẩm quyền"
                    + (f": {t.reason}" if t.reason else "")
                    + (f"; bản giấy chuyển trước {_when(paper_due)}" if paper_due else ""),
                }
            case Action.REQUEST_SUPPLEMENT:
                row |= {
                    "giver_unit": unit,
                    "receiver_unit": f"{office} (người nộp hồ sơ)",
                    "outcome": _outcome(t.at, due),
                    "note": "Yêu cầu bổ sung hồ sơ",
                }
            case Action.RECEIVE_SUPPLEMENT:
                row |= {
                    "giver_unit": "Người nộp hồ sơ",
                    "receiver_unit": office,
                    "outcome": "",
                    "note": "Nhận hồ sơ bổ sung; thời hạn giải quyết tính lại",
                }
            case Action.ISSUE_RESULT | Action.REFUSE_AFTER_APPRAISAL | Action.STOP:
                notes = {
                    Action.ISSUE_RESULT: "Có kết quả: "
                    + ", ".join(str(r.get("code", "")) for r in t.data.get("results", [])),
                    Action.REFUSE_AFTER_APPRAISAL: "Từ chối giải quyết",
                    Action.STOP: "Dừng giải quyết",
                }
                legal = dossier.due_legal
                outcome = (
                    _OUTCOME.get(classify_finished(t.at, legal, dossier.due_current).outcome, "")
                    if legal is not None
                    else ""
                )
                row |= {
                    "giver_unit": unit,
                    "receiver_unit": office,
                    "outcome": outcome,
                    "note": notes[Action(t.action)],
                }
            case Action.RETURN_RESULT:
                row |= {
                    "giver_unit": office,
                    "receiver_unit": "Người nhận kết quả",
                    "receiver": str(t.data.get("received_by", "")),
                    "outcome": "",
                    "note": "Trả kết quả",
                }
            case _:
                continue
        rows.append(row)
    return rows


def _control_slip(dossier: Dossier) -> PrintedForm:
    if not dossier.code or dossier.received_at is None:
        raise _not_applicable(_("This dossier has not been received, so it has no control slip."))
    history = dossier.transitions.filter(action=Action.CONSULT)
    consulted = {pk for t in history for pk in t.data.get("agencies", [])}
    coordinating = ", ".join(
        a.name for a in Agency.objects.filter(pk__in=consulted).order_by("name")
    )
    data = _applicant(dossier) | {
        "lead_agency": dossier.competent_agency.name,
        "coordinating": coordinating,
        "rows": _hops(dossier),
    }
    return _form(
        dossier, FormPurpose.CONTROL_SLIP, dossier.received_at, dossier.receiving_office, data
    )


_BUILDERS = {
    FormKind.RECEIPT: _receipt,
    FormKind.REFUSAL: _refusal,
    FormKind.APOLOGY: _apology,
    FormKind.STOP_NOTICE: _stop_notice,
    FormKind.CONTROL_SLIP: _control_slip,
}


_EVENT_BUILDERS = {
    FormKind.CONSULTATION_REQUEST: _consultation_request,
    FormKind.TRANSFER_SLIP: _transfer_slip,
}


def printed_form(dossier: Dossier, form: FormKind | str, seq: int | None = None) -> PrintedForm:
    """The content of ``form`` for ``dossier`` (no scope check: callers pass a dossier they got
    through a selector); ``form_not_applicable`` when the dossier's history has no such event.

    ``seq`` picks the history event of the forms printed per event (``EVENT_FORMS``); it is
    ``NotFound`` when that row is not such an event, or for the other forms."""
    kind = FormKind(form)
    if kind in _EVENT_BUILDERS:
        return _EVENT_BUILDERS[kind](dossier, seq)
    if seq is not None:
        raise NotFound
    if kind in {FormKind.COMPLETION_REQUEST, FormKind.SUPPLEMENT_REQUEST}:
        return _request(dossier, kind)
    return _BUILDERS[kind](dossier)


def forms_available(dossier: Dossier) -> list[FormKind]:
    """The forms that can be printed for ``dossier`` now (for the back office's buttons)."""
    done = set(dossier.transitions.values_list("action", flat=True))
    received = bool(dossier.code)
    checks = {
        FormKind.RECEIPT: received,
        FormKind.COMPLETION_REQUEST: Action.REQUEST_COMPLETION in done,
        FormKind.SUPPLEMENT_REQUEST: Action.REQUEST_SUPPLEMENT in done,
        FormKind.REFUSAL: bool({Action.REFUSE_INTAKE, Action.REFUSE_AFTER_APPRAISAL} & done),
        FormKind.APOLOGY: Action.EXTEND in done,
        FormKind.STOP_NOTICE: Action.STOP in done,
        FormKind.CONTROL_SLIP: received,
        FormKind.CONSULTATION_REQUEST: Action.CONSULT in done,
        FormKind.TRANSFER_SLIP: Action.TRANSFER_TO_COMPETENT in done,
    }
    return [kind for kind in FormKind if checks[kind]]


@dataclass(frozen=True)
class EventForm:
    """A form printed for one history event: which, the event's number and when it happened."""

    kind: FormKind
    seq: int
    at: dt.datetime


def event_forms(history: Iterable[DossierTransition]) -> list[EventForm]:
    """The per-event forms of a dossier's history (oldest first): one consultation request per
    round, one transfer slip per transfer (for the back office's links)."""
    kinds = {action.value: kind for kind, action in EVENT_FORMS.items()}
    return [EventForm(kinds[t.action], t.seq, t.at) for t in history if t.action in kinds]


def _pdf(dossier: Dossier, form: FormKind | str, seq: int | None = None) -> tuple[str, bytes]:
    printed = printed_form(dossier, form, seq)
    code = dossier.code or dossier.submission_ref or str(dossier.pk)
    name = forms.file_name(printed, code)
    if FormKind(form) in EVENT_FORMS:
        name = name.removesuffix(".pdf") + f"-{printed.data['seq']}.pdf"
    return name, forms.render_form(printed)


def form_pdf(
    user: User, dossier_id: int, form: FormKind | str, seq: int | None = None
) -> tuple[str, bytes]:
    """The PDF of ``form`` for a dossier ``user`` may see: (file name, bytes).

    Raises ``NotFound`` outside scope (and for a ``seq`` that is not an event of ``form``),
    ``form_not_applicable`` when the dossier never had the event the form records (e.g. a
    refusal slip for a dossier that was not refused), and ``pdf_unavailable`` on a server
    without Pango."""
    return _pdf(dossier_for(user, dossier_id), form, seq)


def operator_form_pdf(code: str, form: FormKind | str) -> tuple[str, bytes]:
    """The PDF of ``form`` for the dossier with ``code``, for operators on the server (the
    ``motcua print-form`` command; they already hold the database)."""
    dossier = (
        Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_office", "competent_agency"
        )
        .filter(code=code.strip())
        .first()
    )
    if dossier is None:
        raise NotFound
    return _pdf(dossier, form)


def _register_note(dossier: Dossier) -> str:
    notes = {
        Status.WITHDRAWN: "Rút hồ sơ",
        Status.STOPPED: "Dừng/từ chối giải quyết",
        Status.AWAITING_SUPPLEMENT: "Chờ bổ sung",
        Status.AWAITING_PAYMENT: "Chờ thực hiện nghĩa vụ tài chính",
    }
    note = notes.get(Status(dossier.status), "")
    if dossier.extension_count:
        note = ", ".join(n for n in (note, "Gia hạn có xin lỗi") if n)
    return note


def register_rows(dossiers: list[Dossier]) -> list[dict[str, Any]]:
    """The register's rows (2018 Mẫu 06 / 2025 Mẫu 07 columns)."""
    return [
        {
            "code": d.code,
            "procedure": d.procedure_version.name,
            "sets": d.sets_count,
            "applicant": d.applicant_name,
            "address": d.applicant_address,
            "phone": d.applicant_phone,
            "agency": d.competent_agency.name,
            "received_at": d.received_at,
            "due_at": d.due_current,
            "transferred_at": d.transferred_at,
            "resolved_at": d.resolved_at,
            "returned_at": d.returned_at,
            "note": _register_note(d),
        }
        for d in dossiers
    ]


def register_pdf(
    user: User, office: Agency, date_from: dt.date, date_to: dt.date
) -> tuple[str, bytes]:
    """The dossier register (*Sổ theo dõi hồ sơ*, A4 landscape) of dossiers received at
    ``office`` between the two local dates (inclusive): (file name, bytes).

    Only the office's one-stop staff, its centre head and province supervisors may print it
    (others: ``NotFound``). At most ``REGISTER_MAX_ROWS`` dossiers per PDF (``register_too_large``).
    """
    if date_to < date_from:
        raise DomainError("bad_period", _("The end date is before the start date."))
    scope = scope_of(user, _today())
    if not (scope.everything or office.pk in scope.one_stop):
        raise NotFound
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=VN_TZ)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=VN_TZ)
    found = dossiers_visible_to(user).filter(
        receiving_office=office, received_at__gte=start, received_at__lt=end
    )
    count = found.count()
    if count > REGISTER_MAX_ROWS:
        raise DomainError(
            "register_too_large",
            _(
                "%(count)s dossiers were received in this period; one register PDF holds at "
                "most %(limit)s. Choose a shorter period."
            ),
            {
                "count": f"{count:,}".replace(",", "."),
                "limit": f"{REGISTER_MAX_ROWS:,}".replace(",", "."),
            },
        )
    dossiers = list(found.order_by("received_at", "code"))
    today = _today()
    printed = PrintedForm(
        purpose=FormPurpose.REGISTER,
        issued_on=today,
        letterhead=_letterhead(office),
        data={
            "office_name": office.name,
            "date_from": date_from,
            "date_to": date_to,
            "rows": register_rows(dossiers),
            "prepared_by": user.display_name,
        },
    )
    name = f"so-theo-doi-{office.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"
    return name, forms.render_form(printed)
