"""Fee receipts (biên lai) on the back office: download one of a dossier the officer may see."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache

from motcua.backoffice.access import staff_or_403
from motcua.dossiers.receipts import receipt_file
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
