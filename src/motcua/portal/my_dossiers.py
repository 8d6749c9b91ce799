"""The citizen's dossiers (/ho-so-cua-toi/): status in plain words, history, appointment and why
it moved, documents; answer a supplement request; withdraw; choose how to get the result;
download the electronic result; rate the service."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.documents.models import AttachmentKind
from motcua.dossiers import feedback, online
from motcua.dossiers.attachments import dossier_attachments, open_for_download
from motcua.dossiers.models import Dossier, Satisfaction
from motcua.dossiers.payments import amount_due, dossier_payments
from motcua.dossiers.receipts import receipt_file, receipts_of
from motcua.dossiers.selectors import dossier_timeline
from motcua.dossiers.services import NotFound, withdraw_dossier
from motcua.dossiers.workflow import Status
from motcua.integrations.payments.gateways import payments_enabled
from motcua.portal.accounts import citizen_required
from motcua.portal.apply import after_upload
from motcua.portal.forms import (
    DeliveryForm,
    RatingForm,
    SupplementForm,
    WithdrawForm,
    max_upload_mb,
)
from motcua.portal.wording import NEEDS_YOU, action_words, status_words

WITHDRAWABLE = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.IN_PROCESS,
        Status.AWAITING_SUPPLEMENT,
        Status.AWAITING_PAYMENT,
    }
)
DELIVERY_CHANGEABLE = frozenset(
    {Status.SUBMITTED, Status.RECEIVED, Status.IN_PROCESS, Status.AWAITING_SUPPLEMENT}
    | {Status.AWAITING_PAYMENT}
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _own(request: HttpRequest, dossier_id: int) -> Dossier:
    try:
        return online.own_dossier(_user(request), dossier_id)
    except NotFound:
        raise Http404 from None


@never_cache
@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    """Drafts to finish and dossiers sent, with what each is waiting for."""
    user = _user(request)
    now = clock.now()
    drafts = [(d, d.online_application.expires_at <= now) for d in online.drafts_of(user)]
    dossiers = [
        (d, status_words(d.status), d.status in NEEDS_YOU) for d in online.my_dossiers(user)
    ]
    return render(request, "portal/my/list.html", {"drafts": drafts, "dossiers": dossiers})


@never_cache
@citizen_required
def dossier_page(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """One dossier as its applicant sees it."""
    dossier = _own(request, dossier_id)
    user = _user(request)
    language = translation.get_language() or "vi"
    explanation = dossier.due_explanation if isinstance(dossier.due_explanation, dict) else {}
    timeline = [(entry, action_words(entry.action)) for entry in dossier_timeline(dossier)]
    files = list(dossier_attachments(user, dossier.pk))
    rating = feedback.rating_of(dossier)
    return render(
        request,
        "portal/my/dossier.html",
        {
            "dossier": dossier,
            "status_words": status_words(dossier.status),
            "needs_you": dossier.status in NEEDS_YOU,
            "timeline": timeline,
            "explanation": explanation.get(language, []),
            "extension": explanation.get("extension"),
            "components": [f for f in files if f.kind != AttachmentKind.RESULT],
            "results": [f for f in files if f.kind == AttachmentKind.RESULT],
            "supplement_request": online.supplement_request(dossier),
            "supplement_sent": online.supplement_sent(dossier),
            "withdrawable": dossier.status in WITHDRAWABLE,
            "delivery_form": DeliveryForm(initial={"result_delivery": dossier.result_delivery})
            if dossier.status in DELIVERY_CHANGEABLE
            else None,
            "due": amount_due(dossier),
            "payments_enabled": payments_enabled(),
            "payments": dossier_payments(user, dossier.pk),
            "receipts": receipts_of(user, dossier.pk),
            "may_rate": feedback.may_rate(dossier),
            "rating": rating,
        },
    )


@citizen_required
def download(request: HttpRequest, dossier_id: int, attachment_id: int) -> HttpResponseBase:
    """Download one file of the citizen's dossier (results included)."""
    dossier = _own(request, dossier_id)
    try:
        attachment, stored = open_for_download(_user(request), attachment_id)
    except NotFound:
        raise Http404 from None
    if attachment.dossier_id != dossier.pk:
        raise Http404
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@citizen_required
def receipt(request: HttpRequest, dossier_id: int, receipt_id: int) -> HttpResponseBase:
    """Download a fee receipt (biên lai) of the citizen's dossier."""
    dossier = _own(request, dossier_id)
    try:
        found = receipt_file(_user(request), dossier.pk, receipt_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(
        found.file, as_attachment=True, filename=found.name, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@citizen_required
def supplement(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Answer a supplement request: upload the missing documents once."""
    dossier = _own(request, dossier_id)
    request_entry = online.supplement_request(dossier)
    if request_entry is None:
        raise Http404
    form = SupplementForm(request.POST if request.method == "POST" else None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        files = request.FILES.getlist("files")
        try:
            online.send_supplement(
                _user(request), dossier.pk, list(files), note=form.cleaned_data["note"]
            )
        except DomainError as problem:
            error, status = str(problem), 400
        else:
            messages.success(request, _("Documents sent. The office will check them and tell you."))
            return after_upload(request, reverse("portal:dossier", args=[dossier.pk]))
    return render(
        request,
        "portal/my/supplement.html",
        {
            "dossier": dossier,
            "request_entry": request_entry,
            "sent": online.supplement_sent(dossier),
            "form": form,
            "error": error,
            "max_mb": max_upload_mb(),
        },
        status=status,
    )


@never_cache
@citizen_required
def withdraw(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Withdraw the dossier (T17), after a confirmation step."""
    dossier = _own(request, dossier_id)
    if dossier.status not in WITHDRAWABLE:
        raise Http404
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                withdraw_dossier(dossier.pk, _user(request), reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Your dossier was withdrawn."))
                return redirect("portal:dossier", dossier_id=dossier.pk)
        status = 400
    return render(
        request, "portal/my/withdraw.html", {"dossier": dossier, "form": form}, status=status
    )


@require_POST
@citizen_required
def delivery(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Choose how to receive the result (before it is issued)."""
    dossier = _own(request, dossier_id)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            online.choose_result_delivery(
                _user(request), dossier.pk, form.cleaned_data["result_delivery"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your choice is saved."))
    else:
        messages.error(request, _("Choose how to receive the result."))
    return redirect("portal:dossier", dossier_id=dossier.pk)


@never_cache
@citizen_required
def rate(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Rate the service for this dossier (once, changeable for a while)."""
    dossier = _own(request, dossier_id)
    if not feedback.may_rate(dossier):
        raise Http404
    existing = feedback.rating_of(dossier)
    initial = {f"c_{k}": v for k, v in (existing.answers if existing else {}).items()}
    if existing:
        initial["comment"] = existing.comment
    form = RatingForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        answers = {
            name[2:]: str(value or "")
            for name, value in form.cleaned_data.items()
            if name.startswith("c_")
        }
        try:
            feedback.rate_dossier(
                _user(request), dossier.pk, answers, comment=form.cleaned_data["comment"]
            )
        except DomainError as error:
            if error.code == "rating_incomplete":
                for criterion in feedback.CRITERIA:
                    if criterion.required and not answers.get(criterion.key):
                        form.add_error(f"c_{criterion.key}", _("Choose an answer."))
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect("portal:dossier", dossier_id=dossier.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "portal/my/rate.html",
        {
            "dossier": dossier,
            "form": form,
            "existing": existing,
            "editable_until": feedback.rating_editable_until(existing) if existing else None,
            "levels": Satisfaction.choices,
        },
        status=status,
    )
