"""Public check of an electronic result (/kiem-tra-ket-qua/): anyone uploads a result PDF and sees
whether it was digitally signed by an agency this system trusts and is unchanged since; nothing is
stored. Rate limited per client address, like the dossier lookup."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core.errors import DomainError
from motcua.core.ratelimit import allow, client_address
from motcua.documents.services import check_result_file
from motcua.portal.forms import max_upload_mb

ATTEMPTS, WINDOW = 20, 600  # per client address


@never_cache
def verify_result(request: HttpRequest) -> HttpResponse:
    """Upload a result PDF; see its signatures (signer, time, valid or not) and whether MotCua
    stored exactly this file as a result."""
    context: dict[str, object] = {"max_mb": max_upload_mb()}
    status = 200
    if request.method == "POST":
        if not allow(f"verify:{client_address(request)}", limit=ATTEMPTS, window_seconds=WINDOW):
            context["limited"] = True
            return render(request, "portal/verify_result.html", context, status=429)
        upload = request.FILES.get("file")
        if upload is None:
            context["error"], status = _("Choose the result file (PDF) to check."), 400
        else:
            try:
                context["check"] = check_result_file(upload)
            except DomainError as problem:
                context["error"], status = str(problem), 400
    return render(request, "portal/verify_result.html", context, status=status)
