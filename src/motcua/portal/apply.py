"""Submitting online: choose the office, fill the electronic form, attach documents (or reuse
ones already held), pay the fee, review, declare and submit; the confirmation and the
acknowledgement. Thin views over ``dossiers.online`` and ``dossiers.payments``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.catalog import forms as electronic_forms
from motcua.catalog.selectors import procedure_in_force
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.ratelimit import client_address
from motcua.documents.models import AttachmentKind
from motcua.documents.selectors import attachments_of
from motcua.dossiers import online
from motcua.dossiers.models import ApplicantType, Dossier
from motcua.dossiers.payments import amount_due, start_payment
from motcua.dossiers.services import NotFound
from motcua.integrations.payments.gateways import payments_enabled
from motcua.integrations.payments.records import paid_fee
from motcua.portal.accounts import citizen_required
from motcua.portal.forms import (
    ApplicantForm,
    DeclarationForm,
    ElectronicForm,
    OfficeForm,
    ReuseForm,
    UploadForm,
    max_upload_mb,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _draft(request: HttpRequest, dossier_id: int) -> Dossier:
    try:
        return online.draft_for(_user(request), dossier_id)
    except NotFound:
        raise Http404 from None


def _language() -> str:
    return translation.get_language() or "vi"


@never_cache
@citizen_required
def start(request: HttpRequest, code: str) -> HttpResponse:
    """Step 0: where the application goes (the offices that receive the procedure)."""
    version = procedure_in_force(code)
    if version is None or online.online_channel(version) is None:
        raise Http404
    offices = online.offices_for(version, clock.today())
    form = OfficeForm(request.POST if request.method == "POST" else None)
    office_field = form.fields["office"]
    assert isinstance(office_field, forms.ChoiceField)
    office_field.choices = [(o.pk, o.name) for o in offices]
    if len(offices) == 1:
        form.fields["office"].initial = offices[0].pk
    if request.method == "POST" and form.is_valid():
        office = next(o for o in offices if o.pk == form.cleaned_data["office"])
        try:
            dossier = online.start_draft(_user(request), code, office)
        except DomainError as error:
            form.add_error("office", str(error))
        else:
            return redirect("portal:draft", dossier_id=dossier.pk)
    return render(
        request,
        "portal/apply/start.html",
        {"version": version, "form": form, "offices": offices},
        status=400 if form.errors else 200,
    )


def _applicant_initial(dossier: Dossier) -> dict[str, str]:
    organisation = dossier.applicant_type != ApplicantType.CITIZEN
    return {
        "applicant_type": dossier.applicant_type,
        "full_name": dossier.representative_name if organisation else dossier.applicant_name,
        "id_number": "" if organisation else dossier.applicant_id_number,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
        "address": dossier.applicant_address,
        "organisation_name": dossier.applicant_name if organisation else "",
        "tax_code": dossier.applicant_id_number if organisation else "",
        "result_delivery": dossier.result_delivery,
    }


def _details(data: dict[str, str]) -> online.ApplicantDetails:
    return online.ApplicantDetails(
        applicant_type=data.get("applicant_type", ""),
        full_name=data.get("full_name", ""),
        id_number=data.get("id_number", "").strip(),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        address=data.get("address", ""),
        organisation_name=data.get("organisation_name", ""),
        tax_code=data.get("tax_code", ""),
        result_delivery=data.get("result_delivery", ""),
    )


def _context(request: HttpRequest, dossier: Dossier, step: str) -> dict[str, object]:
    application = online.application_of(dossier)
    return {
        "dossier": dossier,
        "version": dossier.procedure_version,
        "application": application,
        "expired": online.draft_is_expired(dossier),
        "step": step,
    }


@never_cache
@citizen_required
def draft(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Step 1: who applies and the electronic form (save as a draft at any time)."""
    dossier = _draft(request, dossier_id)
    context = _context(request, dossier, "info")
    schema = electronic_forms.schema_for(dossier.procedure_version).schema
    sections = electronic_forms.sections(schema, _language())
    application = context["application"]
    saved = {
        f"{electronic_forms.PREFIX}{k}": v
        for k, v in application.form_data.items()  # type: ignore[attr-defined]
    }
    if request.method == "POST":
        applicant = ApplicantForm(request.POST)
        electronic = ElectronicForm(sections, request.POST)
        applicant.is_valid()
        electronic.is_valid()
        submitted = {
            k: str(v) for k, v in request.POST.items() if k.startswith(electronic_forms.PREFIX)
        }
        # Unchecked boxes are not sent: say "no" for every boolean of the schema.
        for section in sections:
            for spec in section.fields:
                if spec.kind == "checkbox":
                    submitted.setdefault(spec.input_name, "")
        try:
            problems = online.save_draft(
                _user(request),
                dossier.pk,
                applicant=_details({k: str(v) for k, v in request.POST.items()}),
                submitted_form=submitted,
            )
        except DomainError as error:
            messages.error(request, str(error))
            return render(
                request,
                "portal/apply/draft.html",
                {**context, "applicant": applicant, "electronic": electronic},
                status=400,
            )
        going_on = request.POST.get("action") == "next"
        if going_on and problems:
            for name, message in problems.items():
                if name.startswith("form:"):
                    field = electronic_forms.PREFIX + name[5:]
                    if field in electronic.fields:
                        electronic.add_error(field, message)
                    else:
                        electronic.add_error(None, message)
                elif name in applicant.fields:
                    applicant.add_error(name, message)
            return render(
                request,
                "portal/apply/draft.html",
                {**context, "applicant": applicant, "electronic": electronic, "problems": True},
                status=400,
            )
        if going_on:
            return redirect("portal:draft_files", dossier_id=dossier.pk)
        messages.success(request, _("Draft saved. You can come back to it later."))
        return redirect("portal:draft", dossier_id=dossier.pk)
    applicant = ApplicantForm(initial=_applicant_initial(dossier))
    electronic = ElectronicForm(sections, initial=saved)
    return render(
        request,
        "portal/apply/draft.html",
        {**context, "applicant": applicant, "electronic": electronic},
    )


def _files_context(request: HttpRequest, dossier: Dossier) -> dict[str, object]:
    files = list(attachments_of(dossier.pk).filter(kind=AttachmentKind.COMPONENT))
    by_requirement = {f.requirement_id: f for f in files}
    requirements = online.uploadable_requirements(dossier.procedure_version)
    rows = [(r, by_requirement.get(r.pk)) for r in requirements]
    listed = {r.pk for r in requirements}
    others = [f for f in files if f.requirement_id not in listed]
    return {
        **_context(request, dossier, "files"),
        "rows": rows,
        "others": others,
        "reusable": online.reusable_documents(_user(request), excluding=dossier.pk),
        "max_mb": max_upload_mb(),
    }


@never_cache
@citizen_required
def draft_files(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Step 2: the documents (upload, or reuse one already held)."""
    dossier = _draft(request, dossier_id)
    return render(request, "portal/apply/files.html", _files_context(request, dossier))


@require_POST
@citizen_required
def draft_upload(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Attach one file (plain multipart POST; the page script only adds a progress bar)."""
    dossier = _draft(request, dossier_id)
    form = UploadForm(request.POST, request.FILES)
    error = ""
    if not form.is_valid():
        error = _("Choose a file to upload.")
    else:
        try:
            online.attach_file(
                _user(request),
                dossier.pk,
                form.cleaned_data["file"],
                requirement_id=form.cleaned_data["requirement"],
            )
        except DomainError as problem:
            error = str(problem)
    if error:
        context = _files_context(request, dossier)
        context |= {"upload_error": error, "error_requirement": request.POST.get("requirement")}
        return render(request, "portal/apply/files.html", context, status=400)
    messages.success(request, _("File attached."))
    anchor = f"#tp-{form.cleaned_data['requirement']}" if form.cleaned_data["requirement"] else ""
    return after_upload(request, reverse("portal:draft_files", args=[dossier.pk]) + anchor)


def after_upload(request: HttpRequest, url: str) -> HttpResponse:
    """Where to go after an upload: a redirect, or — for the page script's upload request, which
    must not follow it (that would use up the message meant for the page) — the address."""
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"redirect": url})
    return redirect(url)


@require_POST
@citizen_required
def draft_reuse(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Attach a document the citizen already holds (marked reused)."""
    dossier = _draft(request, dossier_id)
    form = ReuseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a document."))
        return redirect("portal:draft_files", dossier_id=dossier.pk)
    try:
        online.reuse_document(
            _user(request),
            dossier.pk,
            form.cleaned_data["attachment"],
            requirement_id=form.cleaned_data["requirement"],
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Document attached from your earlier dossiers."))
    return redirect("portal:draft_files", dossier_id=dossier.pk)


@never_cache
@citizen_required
def draft_review(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Step 3: review everything, pay the fee, declare and submit (POST submits)."""
    user = _user(request)
    try:
        dossier = online.own_dossier(user, dossier_id)
        return redirect("portal:submitted", dossier_id=dossier.pk)  # already submitted
    except NotFound:
        dossier = _draft(request, dossier_id)
    form = DeclarationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            submitted = online.submit_draft(
                user, dossier.pk, declared=bool(form.cleaned_data["declared"])
            )
        except DomainError as error:
            if error.code == "declaration_required":
                form.add_error("declared", str(error))
            else:
                form.add_error(None, str(error))
            status = 400
        else:
            return redirect("portal:submitted", dossier_id=submitted.pk)
    schema = electronic_forms.schema_for(dossier.procedure_version).schema
    sections = electronic_forms.sections(schema, _language())
    application = online.application_of(dossier)
    answers = [
        (
            section.title,
            [(spec, application.form_data.get(spec.name)) for spec in section.fields],
        )
        for section in sections
    ]
    problems = online.form_problems(dossier)
    return render(
        request,
        "portal/apply/review.html",
        {
            **_context(request, dossier, "review"),
            "form": form,
            "answers": answers,
            "problems": problems,
            "files": attachments_of(dossier.pk).filter(kind=AttachmentKind.COMPONENT),
            "due": amount_due(dossier),
            "paid": paid_fee(dossier.pk),
            "payments_enabled": payments_enabled(),
            "estimate": online.appointment_estimate(
                dossier.procedure_version, clock.now(), dossier.receiving_office
            ),
        },
        status=status,
    )


@require_POST
@citizen_required
def pay(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """Go to the payment gateway for what is owed (the draft's fee, or a requested amount)."""
    try:
        url = start_payment(
            _user(request),
            dossier_id,
            return_url=request.build_absolute_uri("/thanh-toan/vnpay/tra-ve/"),
            client_ip=client_address(request),
            language=_language(),
        )
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(request.POST.get("back") or "portal:my_dossiers")
    return redirect(url)


@never_cache
@citizen_required
def submitted(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The confirmation: the submission reference, the estimated appointment, what happens next."""
    try:
        dossier = online.own_dossier(_user(request), dossier_id)
    except NotFound:
        raise Http404 from None
    estimate = None
    if dossier.submitted_at is not None:
        estimate = online.appointment_estimate(
            dossier.procedure_version, dossier.submitted_at, dossier.receiving_office
        )
    return render(
        request, "portal/apply/submitted.html", {"dossier": dossier, "estimate": estimate}
    )


@citizen_required
def acknowledgement(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The acknowledgement as a PDF download."""
    try:
        name, pdf = online.acknowledgement_pdf(_user(request), dossier_id)
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("portal:submitted", dossier_id=dossier_id)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
