"""A local payment gateway speaking the gateway side of VNPay 2.1.0 (development and tests only).

It is the fake at the outside edge: MotCua talks to it through the same ``VNPayGateway`` client it
would use with the real gateway. The simulator checks the merchant's signed request, shows the
amount and the order, lets the tester pay or cancel, then — like the real gateway — calls the
merchant's IPN URL server to server with the signed result and sends the browser back to the
return URL with the same signed parameters. Mounted only when ``MOTCUA_TEST_PAYMENT_GATEWAY`` is on.

It remembers every order it has shown (``SimulatedOrder``) and answers the merchant API's
``querydr`` (``merchant_webapi/api/transaction``, signed JSON) from that memory, so the
reconciliation talks to it as to VNPay. The tester can tick "the IPN gets lost": the result is
recorded and the browser sent back, but the merchant is not notified — only a query finds it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
from typing import Any
from urllib.parse import urlsplit

import requests
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from motcua.core import clock
from motcua.integrations.models import SimulatedOrder
from motcua.integrations.payments import CANCELLED, RESPONSE_CODES, SUCCESS
from motcua.integrations.payments.gateways import (
    SIMULATOR_HASH_SECRET,
    SIMULATOR_TMN_CODE,
    simulator_enabled,
)
from motcua.integrations.payments.vnpay import (
    QUERY_FOUND,
    QUERY_NOT_FOUND,
    QUERY_REQUEST_FIELDS,
    QUERY_RESPONSE_FIELDS,
    VERSION,
    VN_TZ,
    pipe_hash,
    pipe_hash_matches,
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


def _remember(params: dict[str, str]) -> SimulatedOrder:
    """The simulator's own record of an order it has shown (created on first sight)."""
    order, _created = SimulatedOrder.objects.get_or_create(
        txn_ref=params.get("vnp_TxnRef", ""),
        defaults={
            "tmn_code": params["vnp_TmnCode"],
            "amount": params["vnp_Amount"],
            "order_info": params.get("vnp_OrderInfo", ""),
            "create_date": params.get("vnp_CreateDate", ""),
            "expire_date": params.get("vnp_ExpireDate", ""),
        },
    )
    return order


def _record_result(order: SimulatedOrder, result: dict[str, str], *, ipn_sent: bool) -> None:
    if order.transaction_status != "01":
        return  # settled already: the gateway keeps its first outcome
    paid = result["vnp_ResponseCode"] == SUCCESS
    order.transaction_status = SUCCESS if paid else "02"
    order.transaction_no = result["vnp_TransactionNo"]
    order.bank_code = result["vnp_BankCode"]
    order.pay_date = result["vnp_PayDate"]
    order.ipn_sent = ipn_sent
    order.save()


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
        ipn_lost = request.POST.get("mat_ipn") == "1"
        _record_result(_remember(params), result, ipn_sent=not ipn_lost)
        if ipn_lost:
            logger.info("simulator: IPN of %s not sent (lost on purpose)", params.get("vnp_TxnRef"))
        else:
            answer = call_ipn(params["vnp_ReturnUrl"], query)
            logger.info("simulator: IPN answered %s", answer)
        separator = "&" if "?" in params["vnp_ReturnUrl"] else "?"
        return HttpResponseRedirect(f"{params['vnp_ReturnUrl']}{separator}{query}")
    _remember(params)
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


def _signed_answer(fields: dict[str, str]) -> JsonResponse:
    body = {"vnp_ResponseId": secrets.token_hex(16), "vnp_Command": "querydr", **fields}
    body["vnp_SecureHash"] = pipe_hash(SIMULATOR_HASH_SECRET, body, QUERY_RESPONSE_FIELDS)
    return JsonResponse(body)


def query_answer(body: dict[str, Any]) -> dict[str, str]:
    """The fields of the answer to a querydr request (unsigned; see ``querydr``)."""
    data = {key: str(value) for key, value in body.items()}
    tmn = data.get("vnp_TmnCode", "")
    if any(not data.get(name) for name in QUERY_REQUEST_FIELDS[:7]):
        return {"vnp_ResponseCode": "03", "vnp_Message": "Invalid data format", "vnp_TmnCode": tmn}
    if data["vnp_Command"] != "querydr" or data["vnp_Version"] != VERSION:
        return {"vnp_ResponseCode": "03", "vnp_Message": "Invalid data format", "vnp_TmnCode": tmn}
    if tmn != SIMULATOR_TMN_CODE:
        return {"vnp_ResponseCode": "02", "vnp_Message": "Invalid TmnCode", "vnp_TmnCode": tmn}
    if not pipe_hash_matches(SIMULATOR_HASH_SECRET, data, QUERY_REQUEST_FIELDS):
        return {"vnp_ResponseCode": "97", "vnp_Message": "Invalid Checksum", "vnp_TmnCode": tmn}
    order = SimulatedOrder.objects.filter(txn_ref=data["vnp_TxnRef"], tmn_code=tmn).first()
    if order is None:
        return {
            "vnp_ResponseCode": QUERY_NOT_FOUND,
            "vnp_Message": "Transaction not found",
            "vnp_TmnCode": tmn,
            "vnp_TxnRef": data["vnp_TxnRef"],
        }
    status = order.transaction_status
    if status == "01" and vnp_time(clock.now()) > order.expire_date:
        status = "02"  # never paid, and the payer can no longer pay
    return {
        "vnp_ResponseCode": QUERY_FOUND,
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": tmn,
        "vnp_TxnRef": order.txn_ref,
        "vnp_Amount": order.amount,
        "vnp_OrderInfo": order.order_info,
        "vnp_BankCode": order.bank_code,
        "vnp_PayDate": order.pay_date,
        "vnp_TransactionNo": order.transaction_no or "0",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": status,
    }


@csrf_exempt  # a server-to-server API, authenticated by its HMAC
@require_POST
def querydr(request: HttpRequest) -> HttpResponse:
    """The merchant API (``vnp_Command=querydr``): where an order stands, signed JSON."""
    if not simulator_enabled():
        raise Http404
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return _signed_answer({"vnp_ResponseCode": "03", "vnp_Message": "Invalid data format"})
    return _signed_answer(query_answer(body))


urlpatterns = [
    path("", payment_page, name="payment_simulator"),
    path("merchant_webapi/api/transaction", querydr, name="payment_simulator_querydr"),
]
