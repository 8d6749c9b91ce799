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
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import quote_plus

from motcua.integrations.payments import GatewayNotice, InvalidSignature, PaymentOrder

VERSION = "2.1.0"
VN_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")
EXPIRES_AFTER = dt.timedelta(minutes=15)
HASH_FIELDS_EXCLUDED = frozenset({"vnp_SecureHash", "vnp_SecureHashType"})


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

    def __init__(self, *, tmn_code: str, hash_secret: str, pay_url: str) -> None:
        self.tmn_code = tmn_code
        self.hash_secret = hash_secret
        self.pay_url = pay_url

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
