"""Counter intake (/can-bo/tiep-nhan/): find the procedure, fill the applicant, tick the documents
received, receive (T2) — then the dossier page with the receipt ready to print.

The form carries a one-time token used as an idempotency key: a double-click or a resubmitted
page gives the same dossier, never a second one with a second code.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.backoffice.access import attachments, printing, staff_or_403
from motcua.backoffice.dossier_forms import IntakeForm
from motcua.backoffice.dossier_views import store_files
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import procedure_in_force, search_procedures
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.inbox import (
    competent_agencies_for,
    earlier_applicant,
    intake_offices,
    required_documents,
    where_received,
)
from motcua.dossiers.models import ApplicantType, Channel, ResultDelivery
from motcua.dossiers.services.idempotency import create_once
from motcua.organizations.models import Agency

_FIELD_ERRORS = {
    "applicant_required": "applicant_name",
    "competent_agency_required": "competent_agency",
}


@never_cache
@login_required
def intake_start(request: HttpRequest) -> HttpResponse:
    """Step 1: find the procedure (with or without diacritics, or its code); live with htmx."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    if not intake_offices(user):
        return render(request, "backoffice/forbidden.html", status=403)
    q = request.GET.get("q", "").strip()[:200]
    results = search_procedures(q, limit=20) if q else []
    context = {"q": q, "results": results}
    if request.headers.get("HX-Request") == "true":
        return render(request, "backoffice/intake_start.html#results", context)
    return render(request, "backoffice/intake_start.html", context)


def _agency_for(agencies: list[Agency], pk: int | None) -> Agency | None:
    return next((a for a in agencies if a.pk == pk), agencies[0] if agencies else None)


def _document_choices(version: ProcedureVersion) -> list[tuple[str, str]]:
    return [(str(d.pk), d.name) for d in required_documents(version.pk)]


def _page(
    request: HttpRequest,
    version: ProcedureVersion,
    form: IntakeForm,
    offices: list[Agency],
    office: Agency,
    *,
    status: int = 200,
) -> HttpResponse:
    documents = required_documents(version.pk)
    groups: list[tuple[str, list[Any]]] = []
    for document in documents:
        if not groups or groups[-1][0] != document.group:
            groups.append((document.group, []))
        groups[-1][1].append(document)
    ticked = set(form["documents"].value() or [])
    return render(
        request,
        "backoffice/intake_form.html",
        {
            "version": version,
            "form": form,
            "office": office,
            "offices": offices,
            "groups": groups,
            "ticked": ticked,
            "channels": list(version.channels.all()),
            "uploads": attachments() is not None,
            "rule": where_received(version.procedure.code, office),
        },
        status=status,
    )


def _forms_for(
    request: HttpRequest, user: User, version: ProcedureVersion
) -> tuple[list[Agency], Agency, list[Agency]]:
    offices = intake_offices(user)
    if not offices:
        raise Http404
    try:
        chosen = int(request.POST.get("office") or request.GET.get("office") or offices[0].pk)
    except ValueError:
        chosen = offices[0].pk
    office = _agency_for(offices, chosen)
    assert office is not None
    return offices, office, competent_agencies_for(office, version.procedure.code)


@never_cache
@login_required
def intake_form(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the applicant, the documents received, delivery; receive → the dossier page."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    if not intake_offices(user):
        return render(request, "backoffice/forbidden.html", status=403)
    version = procedure_in_force(code)
    if version is None:
        raise Http404
    offices, office, agencies = _forms_for(request, user, version)
    kwargs: dict[str, Any] = {
        "offices": offices,
        "agencies": agencies,
        "document_choices": _document_choices(version),
    }
    if request.method != "POST":
        form = IntakeForm(
            initial={
                "token": uuid.uuid4().hex,
                "office": office.pk,
                "competent_agency": agencies[0].pk if agencies else None,
                "channel": Channel.COUNTER,
                "applicant_type": ApplicantType.CITIZEN,
                "sets_count": 1,
                "result_delivery": ResultDelivery.COUNTER,
            },
            **kwargs,
        )
        return _page(request, version, form, offices, office)

    if "lookup" in request.POST:
        return _lookup(request, user, version, offices, office, kwargs)
    form = IntakeForm(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, _("Check the form below."))
        return _page(request, version, form, offices, office, status=400)
    data = form.cleaned_data
    competent = _agency_for(agencies, data.get("competent_agency"))
    received = [str(d) for d in data["documents"]]
    names = dict(_document_choices(version))
    dossier_input = services.DossierInput(
        procedure_code=version.procedure.code,
        receiving_office=office,
        competent_agency=competent if len(agencies) > 1 else None,
        channel=Channel(data["channel"]),
        applicant_name=data["applicant_name"],
        applicant_type=ApplicantType(data["applicant_type"]),
        applicant_id_number=data["id_number"],
        applicant_phone=data["phone"],
        applicant_email=data["email"],
        applicant_address=data["address"],
        representative_name=data["representative_name"],
        subject=data["subject"],
        sets_count=data["sets_count"],
        result_delivery=ResultDelivery(data["result_delivery"]),
        extra={"documents_received": [names.get(pk, pk) for pk in received]},
    )
    try:
        dossier, created = create_once(
            f"backoffice:{user.pk}",
            data["token"],
            {"form": "intake"},
            lambda claim: services.receive_dossier(dossier_input, user, claim=claim),
        )
    except DomainError as error:
        field = _FIELD_ERRORS.get(error.code)
        if field:
            form.add_error(field, str(error))
        else:
            messages.error(request, str(error))
        return _page(request, version, form, offices, office, status=400)
    if created:
        _store_scans(request, user, dossier.pk, version)
        messages.success(
            request,
            _("Received: dossier %(code)s. Print the receipt for the applicant.")
            % {"code": dossier.code},
        )
    return redirect(reverse("backoffice:dossier", args=[dossier.pk]) + "?tiep-nhan=1")


def _store_scans(
    request: HttpRequest, user: User, dossier_id: int, version: ProcedureVersion
) -> None:
    """File the scans sent with the intake form under their documents (the receipt lists them).

    The dossier is already received: a refused file is reported, to be attached again from the
    dossier page.
    """
    module = attachments()
    if module is None or not request.FILES:
        return
    printer = printing()
    stored: list[str] = []
    refused: list[str] = []
    for document in required_documents(version.pk):
        files = request.FILES.getlist(f"scan-{document.pk}")
        if files:
            name = printer.short_name(document.name) if printer else document.name[:200]
            done, failed = store_files(
                module, user, dossier_id, files, "scan", document.pk, name=name
            )
            stored += done
            refused += failed
    done, failed = store_files(
        module, user, dossier_id, request.FILES.getlist("scans"), "scan", None
    )
    stored += done
    refused += failed
    if stored:
        messages.info(request, _("Scans attached: %(count)d.") % {"count": len(stored)})
    if refused:
        messages.error(request, " ".join(refused))


def _lookup(
    request: HttpRequest,
    user: User,
    version: ProcedureVersion,
    offices: list[Agency],
    office: Agency,
    kwargs: dict[str, Any],
) -> HttpResponse:
    """Fill the applicant from the newest earlier dossier with the same ID number or phone."""
    values = request.POST.copy()
    found = earlier_applicant(
        user, id_number=values.get("id_number", ""), phone=values.get("phone", "")
    )
    if found is None:
        messages.info(request, _("No earlier dossier with this ID number or phone."))
    else:
        for key, value in (
            ("applicant_name", found.name),
            ("applicant_type", found.applicant_type),
            ("id_number", found.id_number),
            ("phone", found.phone),
            ("email", found.email),
            ("address", found.address),
        ):
            if value and not values.get(key, "").strip():
                values[key] = value
        messages.info(
            request,
            _("Filled from the earlier dossier %(code)s: check the details with the applicant.")
            % {"code": found.code},
        )
    form = IntakeForm(initial=values.dict(), **kwargs)
    form.initial["documents"] = values.getlist("documents")
    return _page(request, version, form, offices, office)
