"""The payment gateway's callbacks: the browser's return and the server-to-server IPN."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from motcua.core.models import User
from motcua.dossiers.payments import payment_return, receive_gateway_notice
from motcua.dossiers.services import NotFound
from motcua.portal.accounts import citizen_required


@csrf_exempt  # a server-to-server call from the gateway, authenticated by its HMAC signature
@require_GET
@never_cache
def ipn(request: HttpRequest) -> HttpResponse:
    """The gateway's notice (VNPay IPN): JSON ``{"RspCode", "Message"}``, idempotent."""
    answer = receive_gateway_notice({k: str(v) for k, v in request.GET.items()})
    return JsonResponse({"RspCode": answer.code, "Message": answer.message})


@require_GET
@never_cache
@citizen_required
def payment_back(request: HttpRequest) -> HttpResponse:
    """Where the gateway sends the payer back: shows the outcome (the IPN decided it)."""
    assert isinstance(request.user, User)
    try:
        view = payment_return(request.user, {k: str(v) for k, v in request.GET.items()})
    except NotFound:
        raise Http404 from None
    return render(
        request, "portal/payment_return.html", {"view": view}, status=200 if view.valid else 400
    )
