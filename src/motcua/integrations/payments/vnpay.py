"""The VNPay payment gateway protocol, version 2.1.0 (merchant side), and its signing rules.

Protocol (VNPay merchant integration guide 2.1.0, secondary source; the same shape as the
gateway's published samples):

- **Pay**: redirect the payer to ``<pay URL>?<params>&vnp_SecureHash=<hash>`` with ``vnp_Version``
  2.1.0, ``vnp_Command`` pay, ``vnp_TmnCode`` (merchant), ``vnp_Amount`` (VND × 100),
  ``vnp_CurrCode`` VND, ``vnp_TxnRef`` (our order), ``vnp_OrderInfo``, ``vnp_OrderType``,
  ``vnp_Locale`` (vn/en), ``vnp_ReturnUrl``, ``vnp_IpAddr``, ``vnp_CreateDate`` and
  ``vnp_ExpireDate`` (``yyyyMMddHHmmss``, Vietnam time).
- **Hash**: HMAC-SHA512 with the merchant's secret over the parameters sorted by name, each
  ``name=value`` URL-encoded (``quote_plus``) and joined with ``&``; lower-case hex.
- **Return URL** (the browser) and **IPN** (server to server, GET) carry ``vnp_ResponseCode``,
  ``vnp_TransactionStatus``, ``vnp_TransactionNo``, ``vnp_BankCode``, ``vnp_PayDate``,
  ``vnp_Amount``, ``vnp_TxnRef`` … and ``vnp_SecureHash`` over the other ``vnp_`` parameters
  (``vnp_SecureHash`` and ``vnp_SecureHashType`` excluded). Only the IPN may change an order;
  it is answered with JSON ``{"RspCode": "00", "Message": "Confirm Success"}`` (01 order not found,
  02 already confirmed, 04 invalid amount, 97 invalid signature, 99 other).
- **Query** (``querydr``, reconciliation; VNPay's "Truy vấn kết quả thanh toán" API): POST JSON
  to the merchant API URL with ``vnp_RequestId`` (unique per request), ``vnp_Version``,
  ``vnp_Command`` querydr, ``vnp_TmnCode``, ``vnp_TxnRef``, ``vnp_OrderInfo``,
  ``vnp_TransactionDate`` (the pay request's ``vnp_CreateDate``), ``vnp_CreateDate`` (now),
  ``vnp_IpAddr`` and ``vnp_SecureHash`` = HMAC-SHA512 over the values **joined with ``|`` in a
  fixed order** (``QUERY_REQUEST_FIELDS``), not over the sorted query string. The JSON answer is
  signed likewise over ``QUERY_RESPONSE_FIELDS`` (absent fields as empty strings, the two
  promotion fields included). ``vnp_ResponseCode`` is the query's own result (00 found, 91 not
  found, 94 duplicate request, 97 bad signature, 99 other); ``vnp_TransactionStatus`` the
  order's (00 paid, 01 not finished, 02 failed, others: see the guide).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus

import requests

from motcua.core import clock
from motcua.integrations.payments import (
    GatewayNotice,
    InvalidSignature,
    PaymentOrder,
    PaymentQuery,
    QueryFailedError,
)

VERSION = "2.1.0"
VN_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
EXPIRES_AFTER = dt.timedelta(minutes=15)
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})
#: The querydr request's signed fields, in VNPay's documented order.
QUERY_REQUEST_FIELDS = (
    "vnp_RequestId",
    "vnp_Version",
    "vnp_Command",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_TransactionDate",
    "vnp_CreateDate",
    "vnp_IpAddr",
    "vnp_OrderInfo",
)
#: The querydr answer's signed fields, in VNPay's documented order (not the JSON body's order).
QUERY_RESPONSE_FIELDS = (
    "vnp_ResponseId",
    "vnp_Command",
    "vnp_ResponseCode",
    "vnp_Message",
    "vnp_TmnCode",
    "vnp_TxnRef",
    "vnp_Amount",
    "vnp_BankCode",
    "vnp_PayDate",
    "vnp_TransactionNo",
    "vnp_TransactionType",
    "vnp_TransactionStatus",
    "vnp_OrderInfo",
    "vnp_PromotionCode",
    "vnp_PromotionAmount",
)
QUERY_FOUND, QUERY_NOT_FOUND = "00", "91"
QUERY_TIMEOUT_SECONDS = 15
#: Sends a JSON body to a URL and returns the decoded JSON answer (``requests`` by default; the
#: tests pass Django's test client, so the simulator answers through its real endpoint).
JsonPost = Callable[[str, dict[str, str]], Any]


def vnp_time(instant: dt.datetime) -> str:
    """``yyyyMMddHHmmss`` in Vietnam time (GMT+7), as the gateway expects."""
    return instant.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")


def hash_data(params: Mapping[str, str]) -> str:
    """The signed string: ``vnp_`` parameters sorted by name, URL-encoded, joined with ``&``."""
    return "&".join(
        f"{key}={quote_plus(str(value))}"
        for key, value in sorted(params.items())
        if key.startswith("vnp_") and key not in HASH_FIELDS_EXCLUDED and value != ""
    )


def secure_hash(secret: str, params: Mapping[str, str]) -> str:
    """HMAC-SHA512 of ``hash_data(params)`` with the merchant's secret, lower-case hex."""
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed_query(secret: str, params: Mapping[str, str]) -> str:
    """The query string with ``vnp_SecureHash`` appended."""
    return f"{hash_data(params)}&vnp_SecureHash={secure_hash(secret, params)}"


def signature_matches(secret: str, params: Mapping[str, str]) -> bool:
    """Whether ``vnp_SecureHash`` signs the other parameters (constant-time comparison)."""
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, secure_hash(secret, params))


def pipe_hash(secret: str, params: Mapping[str, Any], fields: tuple[str, ...]) -> str:
    """HMAC-SHA512 over the values of ``fields`` joined with ``|`` (querydr), lower-case hex."""
    data = "|".join(str(params.get(name, "") or "") for name in fields)
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def pipe_hash_matches(secret: str, params: Mapping[str, Any], fields: tuple[str, ...]) -> bool:
    given = str(params.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, pipe_hash(secret, params, fields))


def query_params(
    tmn_code: str, secret: str, query: PaymentQuery, *, at: dt.datetime | None = None
) -> dict[str, str]:
    """A signed querydr request body."""
    params = {
        "vnp_RequestId": secrets.token_hex(16),
        "vnp_Version": VERSION,
        "vnp_Command": "querydr",
        "vnp_TmnCode": tmn_code,
        "vnp_TxnRef": query.txn_ref,
        "vnp_OrderInfo": query.order_info,
        "vnp_TransactionDate": vnp_time(query.created_at),
        "vnp_CreateDate": vnp_time(at or clock.now()),
        "vnp_IpAddr": query.client_ip,
    }
    return {**params, "vnp_SecureHash": pipe_hash(secret, params, QUERY_REQUEST_FIELDS)}


def post_json(url: str, body: dict[str, str]) -> Any:
    """POST ``body`` as JSON and decode the answer (``QueryFailedError`` on any transport error)."""
    try:
        response = requests.post(url, json=body, timeout=QUERY_TIMEOUT_SECONDS)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise QueryFailedError(str(error)) from error


def request_params(tmn_code: str, order: PaymentOrder) -> dict[str, str]:
    """The parameters of a pay request (unsigned)."""
    return {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": tmn_code,
        "vnp_Amount": str(order.amount * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": order.txn_ref,
        "vnp_OrderInfo": order.order_info,
        "vnp_OrderType": "other",
        "vnp_Locale": order.locale,
        "vnp_ReturnUrl": order.return_url,
        "vnp_IpAddr": order.client_ip,
        "vnp_CreateDate": vnp_time(order.created_at),
        "vnp_ExpireDate": vnp_time(order.created_at + EXPIRES_AFTER),
    }


class VNPayGateway:
    """The merchant side of VNPay 2.1.0 (``PaymentGateway``)."""

    name = "vnpay"

    def __init__(
        self,
        *,
        tmn_code: str,
        hash_secret: str,
        pay_url: str,
        api_url: str = "",
        post: JsonPost = post_json,
    ) -> None:
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.pay_url = pay_url
        self.api_url = api_url
        self.post = post

    def query(self, query: PaymentQuery) -> GatewayNotice | None:
        if not self.api_url:
            raise QueryFailedError("no query API URL configured")
        body = query_params(self.tmn_code, self.hash_secret, query)
        answer = self.post(self.api_url, body)
        if not isinstance(answer, dict):
            raise QueryFailedError("the gateway's answer is not a JSON object")
        data = {key: "" if value is None else str(value) for key, value in answer.items()}
        if not pipe_hash_matches(self.hash_secret, data, QUERY_RESPONSE_FIELDS):
            raise QueryFailedError(f"unsigned or tampered answer ({data.get('vnp_ResponseCode')})")
        if data.get("vnp_TmnCode") != self.tmn_code or data.get("vnp_TxnRef", "") not in {
            "",
            query.txn_ref,
        }:
            raise QueryFailedError("the answer is about another merchant or order")
        code = data.get("vnp_ResponseCode", "")
        if code == QUERY_NOT_FOUND:
            return None
        if code != QUERY_FOUND:
            raise QueryFailedError(f"querydr refused: {code} {data.get('vnp_Message', '')}")
        try:
            amount = int(data.get("vnp_Amount", "")) // 100
        except ValueError:
            raise QueryFailedError("the answer has no amount") from None
        status = data.get("vnp_TransactionStatus", "")
        return GatewayNotice(
            txn_ref=query.txn_ref,
            amount=amount,
            # The order outcome: 00 paid, otherwise its transaction status (01 pending, 02 failed).
            response_code=status,
            transaction_status=status,
            transaction_no=data.get("vnp_TransactionNo", ""),
            bank_code=data.get("vnp_BankCode", ""),
            pay_date=data.get("vnp_PayDate", ""),
            raw=data,
        )

    def payment_url(self, order: PaymentOrder) -> str:
        params = request_params(self.tmn_code, order)
        return f"{self.pay_url}?{signed_query(self.hash_secret, params)}"

    def parse_notice(self, params: Mapping[str, str]) -> GatewayNotice:
        data = {key: str(value) for key, value in params.items() if key.startswith("vnp_")}
        if not signature_matches(self.hash_secret, data):
            raise InvalidSignature
        if data.get("vnp_TmnCode", self.tmn_code) != self.tmn_code:
            raise InvalidSignature
        try:
            amount = int(data.get("vnp_Amount", "")) // 100
        except ValueError:
            raise InvalidSignature from None
        return GatewayNotice(
            txn_ref=data.get("vnp_TxnRef", ""),
            amount=amount,
            response_code=data.get("vnp_ResponseCode", ""),
            transaction_status=data.get("vnp_TransactionStatus", ""),
            transaction_no=data.get("vnp_TransactionNo", ""),
            bank_code=data.get("vnp_BankCode", ""),
            pay_date=data.get("vnp_PayDate", ""),
            raw=data,
        )
