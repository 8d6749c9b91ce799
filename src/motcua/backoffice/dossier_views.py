"""The dossier page (/can-bo/ho-so/<id>/), its action forms and the printed forms.

Each action is a small POST form carrying the version the officer saw (``expected_version``): when
someone else acted first — or the same officer double-clicked — the service refuses the stale
request and the page says so, without a second transition.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.backoffice.access import attachments, printing, staff_or_403
from motcua.backoffice.dossier_forms import (
    ACTION_FORMS,
    ActionForm,
    AnswerConsultationForm,
    MissingDocumentsForm,
    RegisterForm,
    lines,
)
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.consultations import ConsultationRow, consultations_of, dossier_consultations
from motcua.dossiers.inbox import (
    TimeBadge,
    appointment_on,
    consultable_agencies,
    dossier_hops,
    due_horizon,
    extension_bounds,
    handlers_for,
    intake_offices,
    process_steps,
    required_documents,
    time_badge,
)
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.receipts import may_manage_receipts, receipts_of
from motcua.dossiers.selectors import actions_available, dossier_for, dossier_timeline
from motcua.dossiers.workflow import TERMINAL, Action, Status
from motcua.organizations.models import Agency

#: Actions that end or leave the dossier: shown apart, as "other actions", below the main ones.
_SECONDARY = {
    Action.WITHDRAW,
    Action.REFUSE_INTAKE,
    Action.REFUSE_AFTER_APPRAISAL,
    Action.STOP,
    Action.EXTEND,
    Action.CONSULT,
    Action.TRANSFER_TO_COMPETENT,
}
#: Button styles: the action that moves the dossier forward is the primary one.
_PRIMARY = {
    Action.ACCEPT_ONLINE,
    Action.TRANSFER,
    Action.ISSUE_RESULT,
    Action.RETURN_RESULT,
    Action.RECEIVE_SUPPLEMENT,
    Action.CONFIRM_PAYMENT,
}
_DANGER = {Action.REFUSE_INTAKE, Action.REFUSE_AFTER_APPRAISAL, Action.STOP, Action.WITHDRAW}

#: Printed forms (documents area: ``motcua.dossiers.printing.FormKind``) and when they apply.
_FORM_LABELS = {
    "receipt": gettext_lazy("Receipt and appointment (Mẫu 01)"),
    "completion_request": gettext_lazy("Request to complete (Mẫu 02)"),
    "supplement_request": gettext_lazy("Request to supplement (Mẫu 02)"),
    "refusal": gettext_lazy("Refusal (Mẫu 03)"),
    "apology": gettext_lazy("Apology and new appointment (Mẫu 04)"),
    "stop_notice": gettext_lazy("Notice of stopping (Mẫu 05)"),
    "control_slip": gettext_lazy("Process control slip"),
    "consultation_request": gettext_lazy("Request for coordination or opinion"),
    "transfer_slip": gettext_lazy("Transfer slip to the competent agency"),
}


def _form_context(dossier: Dossier, action: Action) -> dict[str, Any]:
    """Choices the action's form offers (read from selectors)."""
    if action in {Action.REQUEST_COMPLETION, Action.REQUEST_SUPPLEMENT}:
        return {
            "document_names": [d.name for d in required_documents(dossier.procedure_version_id)]
        }
    if action == Action.ASSIGN:
        return {"handlers": handlers_for(dossier)}
    if action == Action.FORWARD_STEP:
        return {"steps": process_steps(dossier)}
    if action in {Action.CONSULT, Action.TRANSFER_TO_COMPETENT}:
        return {"agencies": consultable_agencies(dossier)}
    if action == Action.EXTEND:
        return {"earliest_date": extension_bounds(dossier).earliest_date}
    return {}


def _initial(dossier: Dossier, action: Action) -> dict[str, Any]:
    initial: dict[str, Any] = {"action": action.value, "expected_version": dossier.version}
    version = dossier.procedure_version
    if action == Action.ISSUE_RESULT:
        names = [str(r.get("name", "")) for r in (version.results or []) if isinstance(r, dict)]
        initial["results"] = "\n".join(n for n in names if n) or version.name
    elif action == Action.RETURN_RESULT:
        initial["method"] = dossier.result_delivery
    elif action == Action.REQUEST_PAYMENT:
        fees = [c.fee_amount for c in version.channels.all() if c.fee_amount]
        if fees:
            initial["amount"] = fees[0]
    return initial


def _form(
    dossier: Dossier, action: Action, data: Any = None, context: dict[str, Any] | None = None
) -> ActionForm:
    cls = ACTION_FORMS[action]
    return cls(
        data,
        initial=_initial(dossier, action),
        context=context if context is not None else _form_context(dossier, action),
        auto_id=f"{action.value}-%s",
    )


def _printable(dossier: Dossier, actions_done: set[str]) -> list[tuple[str, str]]:
    """The official forms that exist for this dossier now."""
    module = printing()
    if module is None:
        return []
    kinds = {str(getattr(kind, "value", kind)) for kind in module.FormKind}
    wanted = []
    if dossier.code:
        wanted += ["receipt", "control_slip"]
    if Action.REQUEST_COMPLETION in actions_done:
        wanted.append("completion_request")
    if Action.REQUEST_SUPPLEMENT in actions_done:
        wanted.append("supplement_request")
    if actions_done & {Action.REFUSE_INTAKE, Action.REFUSE_AFTER_APPRAISAL}:
        wanted.append("refusal")
    if Action.EXTEND in actions_done:
        wanted.append("apology")
    if Action.STOP in actions_done:
        wanted.append("stop_notice")
    return [(kind, str(_FORM_LABELS[kind])) for kind in wanted if kind in kinds]


def _printable_events(entries: list[Any]) -> list[dict[str, Any]]:
    """One link per consultation round and per transfer to the competent agency (their forms
    are printed per history event)."""
    module = printing()
    if module is None or not hasattr(module, "event_forms"):
        return []
    return [
        {"kind": str(e.kind), "seq": e.seq, "at": e.at, "label": str(_FORM_LABELS[str(e.kind)])}
        for e in module.event_forms(entries)
        if str(e.kind) in _FORM_LABELS
    ]


def _files(user: User, dossier: Dossier) -> list[Any] | None:
    """The dossier's current files (None while the attachments module is absent)."""
    module = attachments()
    if module is None:
        return None
    return list(module.dossier_attachments(user, dossier.pk))


def _answer_forms(
    rows: list[ConsultationRow], bound: tuple[int, AnswerConsultationForm] | None
) -> list[dict[str, Any]]:
    """An answer form per task the user may answer (the bound one when it was refused)."""
    forms = []
    for row in rows:
        if not row.may_answer:
            continue
        if bound is not None and bound[0] == row.task.pk:
            form, is_open = bound[1], True
        else:
            form, is_open = AnswerConsultationForm(auto_id=f"answer-{row.task.pk}-%s"), False
        forms.append({"row": row, "form": form, "open": is_open})
    return forms


def _render_page(
    request: HttpRequest,
    user: User,
    dossier: Dossier,
    *,
    bound: ActionForm | None = None,
    answer: tuple[int, AnswerConsultationForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    actions = actions_available(user, dossier)
    consultations = dossier_consultations(user, dossier)
    module = attachments()
    forms = []
    for action in actions:
        if action not in ACTION_FORMS:
            continue
        form = bound if bound is not None and bound["action"].value() == action.value else None
        forms.append(
            {
                "action": action,
                "label": action.label,
                "form": form or _form(dossier, action),
                "simple": ACTION_FORMS[action] is ActionForm,
                "open": form is not None,
                "secondary": action in _SECONDARY,
                "style": "primary"
                if action in _PRIMARY
                else "danger"
                if action in _DANGER
                else "outline",
            }
        )
    entries = list(dossier_timeline(dossier))
    hops = dossier_hops(dossier, entries)
    now = clock.now()
    badge = time_badge(dossier, now, due_horizon(dossier.receiving_office, now))
    explanation = dossier.due_explanation or {}
    language = "en" if get_language() == "en" else "vi"
    extension = explanation.get("extension") if isinstance(explanation, dict) else None
    steps = process_steps(dossier) if any(f["action"] == Action.FORWARD_STEP for f in forms) else []
    return render(
        request,
        "backoffice/dossier.html",
        {
            "dossier": dossier,
            "just_received": "tiep-nhan" in request.GET,
            "status_label": Status(dossier.status).label,
            "main_forms": [f for f in forms if not f["secondary"]],
            "other_forms": [f for f in forms if f["secondary"]],
            "hops": hops,
            "badge": badge,
            "badge_label": TimeBadge.LABELS.get(badge, ""),
            "explanation": explanation.get(language, []) if isinstance(explanation, dict) else [],
            "extension": extension,
            "documents": required_documents(dossier.procedure_version_id),
            "printable": _printable(dossier, {e.action for e in entries}),
            "printable_events": _printable_events(entries),
            "steps": steps,
            "fees": [c for c in dossier.procedure_version.channels.all() if c.fee_text],
            "files": _files(user, dossier),
            "uploads": module is not None
            and Status(dossier.status) not in TERMINAL
            and module.may_add_files(user, dossier),
            "consultations": consultations,
            "answer_forms": _answer_forms(consultations, answer),
            "fee_receipts": receipts_of(user, dossier.pk),
            "manage_receipts": may_manage_receipts(user, dossier),
        },
        status=status,
    )


@never_cache
@login_required
def dossier_page(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Everything about one dossier and exactly the actions this user may take now."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        dossier = dossier_for(user, dossier_id)
    except services.NotFound:
        raise Http404 from None
    return _render_page(request, user, dossier)


def _missing_list(form: ActionForm) -> list[str]:
    assert isinstance(form, MissingDocumentsForm)
    return form.missing()


Perform = Callable[[Dossier, User, ActionForm, int], Dossier]


def _agencies(ids: list[int]) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=ids))


_PERFORM: dict[Action, Perform] = {
    Action.ACCEPT_ONLINE: lambda d, u, f, v: services.accept_online(d.pk, u, expected_version=v),
    Action.REQUEST_COMPLETION: lambda d, u, f, v: services.request_completion(
        d.pk, u, missing=_missing_list(f), reason=f.cleaned_data["reason"], expected_version=v
    ),
    Action.REFUSE_INTAKE: lambda d, u, f, v: services.refuse_intake(
        d.pk, u, reason=f.cleaned_data["reason"], expected_version=v
    ),
    Action.WITHDRAW: lambda d, u, f, v: services.withdraw_dossier(
        d.pk, u, reason=f.cleaned_data["reason"], expected_version=v
    ),
    Action.TRANSFER: lambda d, u, f, v: services.transfer_dossier(d.pk, u, expected_version=v),
    Action.ASSIGN: lambda d, u, f, v: services.assign_handler(
        d.pk,
        u,
        handler=User.objects.get(pk=f.cleaned_data["handler"]),
        note=f.cleaned_data["reason"],
        expected_version=v,
    ),
    Action.FORWARD_STEP: lambda d, u, f, v: services.forward_step(
        d.pk, u, step=f.cleaned_data["step"], note=f.cleaned_data["reason"], expected_version=v
    ),
    Action.CONSULT: lambda d, u, f, v: services.consult_agencies(
        d.pk,
        u,
        agencies=_agencies(f.cleaned_data["agencies"]),
        task=f.cleaned_data["reason"],
        deadline=appointment_on(d, f.cleaned_data["deadline"]),
        expected_version=v,
    ),
    Action.TRANSFER_TO_COMPETENT: lambda d, u, f, v: services.transfer_to_competent_office(
        d.pk,
        u,
        agency=Agency.objects.get(pk=f.cleaned_data["agency"]),
        reason=f.cleaned_data["reason"],
        paper_sent_at=clock.now() if f.cleaned_data["paper_sent"] else None,
        expected_version=v,
    ),
    Action.REQUEST_SUPPLEMENT: lambda d, u, f, v: services.request_supplement(
        d.pk,
        u,
        missing=_missing_list(f),
        reason=f.cleaned_data["reason"],
        override=f.cleaned_data["override"],
        expected_version=v,
    ),
    Action.RECEIVE_SUPPLEMENT: lambda d, u, f, v: services.receive_supplement(
        d.pk, u, expected_version=v
    ),
    Action.REQUEST_PAYMENT: lambda d, u, f, v: services.request_payment(
        d.pk, u, amount=f.cleaned_data["amount"], note=f.cleaned_data["reason"], expected_version=v
    ),
    Action.CONFIRM_PAYMENT: lambda d, u, f, v: services.confirm_payment(
        d.pk,
        u,
        paid_online=f.cleaned_data["paid_online"],
        receipt=f.cleaned_data["receipt"],
        expected_version=v,
    ),
    Action.EXTEND: lambda d, u, f, v: services.extend_deadline(
        d.pk,
        u,
        new_due=appointment_on(d, f.cleaned_data["new_date"]),
        reason=f.cleaned_data["reason"],
        expected_version=v,
    ),
    Action.REFUSE_AFTER_APPRAISAL: lambda d, u, f, v: services.refuse_after_appraisal(
        d.pk, u, reason=f.cleaned_data["reason"], expected_version=v
    ),
    Action.STOP: lambda d, u, f, v: services.stop_processing(
        d.pk,
        u,
        reason_code=f.cleaned_data["reason_code"],
        reason=f.cleaned_data["reason"],
        expected_version=v,
    ),
    Action.ISSUE_RESULT: lambda d, u, f, v: services.issue_result(
        d.pk,
        u,
        results=lines(f.cleaned_data["results"]),
        note=f.cleaned_data["reason"],
        expected_version=v,
    ),
    Action.RETURN_RESULT: lambda d, u, f, v: services.return_result(
        d.pk,
        u,
        method=ResultDelivery(f.cleaned_data["method"]),
        received_by=f.cleaned_data["received_by"],
        expected_version=v,
    ),
    Action.HAND_TO_POST: lambda d, u, f, v: services.hand_to_post(
        d.pk, u, tracking_code=f.cleaned_data["tracking_code"], expected_version=v
    ),
}


def _stale(request: HttpRequest, dossier_id: int) -> HttpResponse:
    messages.warning(
        request,
        _(
            "Someone else acted on this dossier first (or the form was sent twice). "
            "Nothing was changed: here is the dossier as it is now."
        ),
    )
    return redirect("backoffice:dossier", dossier_id=dossier_id)


@require_POST
@login_required
def dossier_action(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Perform one action on the dossier (POST from the dossier page)."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        dossier = dossier_for(user, dossier_id)
    except services.NotFound:
        raise Http404 from None
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        return HttpResponse(status=400)
    if action not in _PERFORM:
        return HttpResponse(status=400)
    form = _form(dossier, action, request.POST)
    if not form.is_valid():
        if "expected_version" in form.errors or "action" in form.errors:
            return HttpResponse(status=400)
        messages.error(request, _("Check the form below."))
        return _render_page(request, user, dossier, bound=form, status=400)
    expected = form.cleaned_data["expected_version"]
    if dossier.version != expected:
        return _stale(request, dossier_id)  # the page was out of date: nothing to try
    try:
        dossier = _PERFORM[action](dossier, user, form, expected)
    except DomainError as error:
        current = Dossier.objects.filter(pk=dossier_id).values_list("version", flat=True).first()
        if error.code == "stale" or current != expected:
            return _stale(request, dossier_id)
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, str(error))
        return _render_page(request, user, dossier, bound=form, status=400)
    messages.success(
        request,
        _("Done: %(action)s. The dossier is now “%(status)s”.")
        % {"action": action.label, "status": Status(dossier.status).label},
    )
    return redirect("backoffice:dossier", dossier_id=dossier_id)


@require_POST
@login_required
def consultation_answer(request: HttpRequest, dossier_id: int, task_id: int) -> HttpResponse:
    """A consulted agency's officer answers their agency's task (T21), with optional files."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        dossier, rows = consultations_of(user, dossier_id)
    except services.NotFound:
        raise Http404 from None
    if not any(row.task.pk == task_id for row in rows):
        raise Http404
    form = AnswerConsultationForm(request.POST, auto_id=f"answer-{task_id}-%s")
    if not form.is_valid():
        messages.error(request, _("Check the form below."))
        return _render_page(request, user, dossier, answer=(task_id, form), status=400)
    try:
        task = services.answer_consultation(
            task_id, user, answer=form.cleaned_data["answer"], files=request.FILES.getlist("files")
        )
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, str(error))
        dossier = dossier_for(user, dossier_id)
        return _render_page(request, user, dossier, answer=(task_id, form), status=400)
    messages.success(
        request,
        _("Your agency's answer was sent: %(agency)s, dossier %(code)s.")
        % {"agency": task.agency.name, "code": dossier},
    )
    return redirect("backoffice:dossier", dossier_id=dossier_id)


def _pdf_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in filename) or "motcua.pdf"
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def dossier_print(
    request: HttpRequest, dossier_id: int, form: str, seq: int | None = None
) -> HttpResponse:
    """An official form of the dossier as a PDF shown in the browser (print from there); ``seq``
    names the history event of the forms printed per event (consultation round, transfer)."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    module = printing()
    if module is None:
        raise Http404
    try:
        kind = module.FormKind(form)
    except ValueError:
        raise Http404 from None
    try:
        if seq is None:
            filename, content = module.form_pdf(user, dossier_id, kind)
        else:
            filename, content = module.form_pdf(user, dossier_id, kind, seq)
    except services.NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("backoffice:dossier", dossier_id=dossier_id)
    return _pdf_response(str(filename), bytes(content))


@never_cache
@login_required
def register(request: HttpRequest) -> HttpResponse:
    """The dossier register (Sổ theo dõi hồ sơ) of the user's office for a period, as a PDF."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    offices = intake_offices(user)
    module = printing()
    today = clock.now().date()
    form = RegisterForm(
        request.GET or None,
        offices=offices,
        initial={
            "date_from": today.replace(day=1),
            "date_to": today,
            "office": offices[0].pk if offices else None,
        },
    )
    if module is not None and offices and request.GET and form.is_valid():
        data = form.cleaned_data
        office = next(o for o in offices if o.pk == data["office"])
        if data["date_to"] < data["date_from"]:
            form.add_error("date_to", _("The end of the period is before its start."))
        else:
            try:
                filename, content = module.register_pdf(
                    user, office, data["date_from"], data["date_to"]
                )
            except DomainError as error:
                messages.error(request, str(error))
            else:
                return _pdf_response(str(filename), bytes(content))
    return render(
        request,
        "backoffice/register.html",
        {"form": form, "available": module is not None, "offices": offices},
        status=400 if request.GET and form.errors else 200,
    )


@require_POST
@login_required
def dossier_upload(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Attach scans or files to the dossier (each file checked and stored by the service)."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    module = attachments()
    if module is None:
        raise Http404
    try:
        dossier_for(user, dossier_id)
    except services.NotFound:
        raise Http404 from None
    kind = request.POST.get("kind", "scan")
    try:
        requirement = int(request.POST.get("requirement") or 0) or None
    except ValueError:
        requirement = None
    stored, refused = store_files(
        module, user, dossier_id, request.FILES.getlist("files"), kind, requirement
    )
    _report_files(request, stored, refused)
    return redirect("backoffice:dossier", dossier_id=dossier_id)


def store_files(
    module: Any,
    user: User,
    dossier_id: int,
    files: list[Any],
    kind: str,
    requirement: int | None,
    name: str = "",
) -> tuple[list[str], list[str]]:
    """Store each file through ``dossiers.attachments``; (stored names, refusal messages)."""
    stored: list[str] = []
    refused: list[str] = []
    for upload in files:
        try:
            attachment = module.upload_attachment(
                user, dossier_id, upload, kind=kind, name=name, requirement_id=requirement
            )
            stored.append(str(attachment.name))
        except DomainError as error:
            refused.append(str(error))
    return stored, refused


def _report_files(request: HttpRequest, stored: list[str], refused: list[str]) -> None:
    if stored:
        messages.success(
            request,
            _("Files attached (%(count)d): %(names)s")
            % {"count": len(stored), "names": ", ".join(stored)},
        )
    if refused:
        messages.error(request, " ".join(refused))
    if not stored and not refused:
        messages.warning(request, _("Choose the files to attach."))


@never_cache
@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponseBase:
    """One stored file of a dossier the user may see (404 otherwise)."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    module = attachments()
    if module is None:
        raise Http404
    try:
        attachment, handle = module.open_for_download(user, attachment_id)
    except services.NotFound:
        raise Http404 from None
    response = FileResponse(
        handle,
        content_type=str(attachment.content_type),
        filename=str(attachment.original_name),
        as_attachment=not str(attachment.content_type).startswith(("application/pdf", "image/")),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
