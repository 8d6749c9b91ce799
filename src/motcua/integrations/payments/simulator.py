"""A local payment gateway speaking the gateway side of VNPay 2.1.0 (development and tests only).

It is the fake at the outside edge: MotCua talks to it through the same ``VNPayGateway`` client it
would use with the real gateway. The simulator checks the merchant's signed request, shows the
amount and the order, lets the tester pay or cancel, then — like the real gateway — calls the
merchant's IPN URL server to server with the signed result and sends the browser back to the
return URL with the same signed parameters. Mounted only when ``MOTCUA_TEST_PAYMENT_GATEWAY`` is on.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from urllib.parse import urlsplit

import requests
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from motcua.core import clock
from motcua.integrations.payments import CANCELLED, RESPONSE_CODES, SUCCESS
from motcua.integrations.payments.gateways import (
    SIMULATOR_HASH_SECRET,
    SIMULATOR_TMN_CODE,
    simulator_enabled,
)
from motcua.integrations.payments.vnpay import (
    VN_TZ,
    signature_matches,
    signed_query,
    vnp_time,
)

logger = logging.getLogger("motcua.payments.simulator")

#: Where the merchant registered its IPN endpoint (VNPay registers it per merchant account): the
#: path on the merchant's own origin, i.e. the origin of the return URL.
IPN_PATH = "/thanh-toan/vnpay/ipn/"
IPN_TIMEOUT_SECONDS = 10


def _request_params(data: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in data.items() if k.startswith("vnp_")}


def _valid(params: dict[str, str]) -> str | None:
    """The problem with a pay request, or None when the simulator accepts it."""
    if params.get("vnp_TmnCode") != SIMULATOR_TMN_CODE:
        return "Mã website (vnp_TmnCode) không tồn tại"
    if not signature_matches(SIMULATOR_HASH_SECRET, params):
        return "Sai chữ ký (vnp_SecureHash)"
    expires = params.get("vnp_ExpireDate", "")
    try:
        expires_at = dt.datetime.strptime(expires, "%Y%m%d%H%M%S").replace(tzinfo=VN_TZ)
    except ValueError:
        return "Thiếu thời hạn thanh toán (vnp_ExpireDate)"
    if clock.now() > expires_at:
        return "Giao dịch đã quá thời gian chờ thanh toán"
    if not params.get("vnp_Amount", "").isdigit() or not params.get("vnp_ReturnUrl"):
        return "Dữ liệu gửi sang không đúng định dạng"
    return None


def result_params(params: dict[str, str], *, paid: bool) -> dict[str, str]:
    return {
        "vnp_Amount": params["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{secrets.randbelow(10**8):08d}" if paid else "",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": params.get("vnp_OrderInfo", ""),
        "vnp_PayDate": vnp_time(clock.now()),
        "vnp_ResponseCode": SUCCESS if paid else CANCELLED,
        "vnp_TmnCode": params["vnp_TmnCode"],
        "vnp_TransactionNo": f"{secrets.randbelow(10**8):08d}" if paid else "0",
        "vnp_TransactionStatus": SUCCESS if paid else "02",
        "vnp_TxnRef": params.get("vnp_TxnRef", ""),
    }


def call_ipn(return_url: str, query: str) -> str:
    """Notify the merchant server to server (GET, as the real gateway does); its answer."""
    origin = urlsplit(return_url)
    url = f"{origin.scheme}://{origin.netloc}{IPN_PATH}?{query}"
    try:
        response = requests.get(url, timeout=IPN_TIMEOUT_SECONDS)
        return response.text[:200]
    except requests.RequestException as error:
        # The real gateway retries later; the merchant must also accept a late IPN.
        logger.warning("simulator: IPN to %s failed: %s", url, error)
        return f"error: {error}"


@require_http_methods(["GET", "POST"])
def payment_page(request: HttpRequest) -> HttpResponse:
    """The gateway's payment page: check the signed request, then pay or cancel."""
    if not simulator_enabled():
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    params = _request_params({k: str(v) for k, v in source.items()})
    problem = _valid(params)
    if problem is not None:
        return render(
            request, "integrations/payment_simulator.html", {"problem": problem}, status=400
        )
    if request.method == "POST":
        paid = request.POST.get("ket_qua") == "thanh_toan"
        result = result_params(params, paid=paid)
        query = signed_query(SIMULATOR_HASH_SECRET, result)
        answer = call_ipn(params["vnp_ReturnUrl"], query)
        logger.info("simulator: IPN answered %s", answer)
        separator = "&" if "?" in params["vnp_ReturnUrl"] else "?"
        return HttpResponseRedirect(f"{params['vnp_ReturnUrl']}{separator}{query}")
    return render(
        request,
        "integrations/payment_simulator.html",
        {
            "params": sorted(params.items()),
            "amount_text": f"{int(params['vnp_Amount']) // 100:,}".replace(",", "."),
            "order_info": params.get("vnp_OrderInfo", ""),
            "txn_ref": params.get("vnp_TxnRef", ""),
            "codes": RESPONSE_CODES,
        },
    )


urlpatterns = [path("", payment_page, name="payment_simulator")]
