"""Fee receipts (biên lai) on the back office: download one of a dossier the officer may see;
cancel or replace one (the receiving one-stop office's staff, with a reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_or_403
from motcua.core.errors import DomainError
from motcua.dossiers.receipts import cancel_receipt, receipt_file, receipts_of, replace_receipt
from motcua.dossiers.services import NotFound


@never_cache
@login_required
def receipt_download(request: HttpRequest, dossier_id: int, receipt_id: int) -> HttpResponseBase:
    """The receipt's PDF (404 outside the officer's scope)."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        found = receipt_file(user, dossier_id, receipt_id)
    except NotFound:
        raise Http404 from None
    response = FileResponse(found.file, content_type="application/pdf", filename=found.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def receipt_change(request: HttpRequest, dossier_id: int, receipt_id: int) -> HttpResponse:
    """Cancel (``action=cancel``) or replace (``action=replace``, optionally with the payer's
    corrected name) a receipt of the dossier; the outcome is a message on the dossier page."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    try:
        if not any(r.pk == receipt_id for r in receipts_of(user, dossier_id)):
            raise Http404
    except NotFound:
        raise Http404 from None
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    try:
        if action == "cancel":
            done = cancel_receipt(user, receipt_id, reason=reason)
            messages.success(
                request, _("Receipt %(number)s was cancelled.") % {"number": done.number}
            )
        elif action == "replace":
            payer = " ".join(request.POST.get("payer_name", "").split()) or None
            new = replace_receipt(user, receipt_id, reason=reason, payer_name=payer)
            messages.success(
                request, _("A new receipt, number %(number)s, was issued.") % {"number": new.number}
            )
        else:
            messages.error(request, _("Choose to cancel or to replace the receipt."))
    except NotFound:
        raise Http404 from None
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("backoffice:dossier", dossier_id=dossier_id)
