"""The VNPay 2.1.0 protocol: signing the pay URL, verifying callbacks, refusing tampering."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from urllib.parse import parse_qsl, quote_plus, urlsplit

import pytest

from motcua.integrations.payments import InvalidSignature, PaymentOrder
from motcua.integrations.payments.vnpay import (
    VNPayGateway,
    hash_data,
    secure_hash,
    signed_query,
)

SECRET = "SECRETKEYFORTESTS"
ORDER = PaymentOrder(
    txn_ref="HS42TABCDEF",
    amount=7000,
    order_info="Thanh toan le phi ho so HS-260302-0A1B2C3D",
    return_url="http://127.0.0.1:8000/thanh-toan/vnpay/tra-ve/",
    client_ip="127.0.0.1",
    created_at=dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC),
)


def gateway() -> VNPayGateway:
    return VNPayGateway(tmn_code="MOTCUA01", hash_secret=SECRET, pay_url="https://pay.example/")


def test_the_hash_is_hmac_sha512_over_sorted_url_encoded_parameters():
    params = {"vnp_TxnRef": "A 1", "vnp_Amount": "700000", "vnp_Command": "pay"}
    expected_data = "vnp_Amount=700000&vnp_Command=pay&vnp_TxnRef=A+1"
    assert hash_data(params) == expected_data
    expected = hmac.new(SECRET.encode(), expected_data.encode(), hashlib.sha512).hexdigest()
    assert secure_hash(SECRET, params) == expected


def test_the_pay_url_carries_the_order_in_vnd_times_100_in_vietnam_time():
    url = gateway().payment_url(ORDER)
    query = dict(parse_qsl(urlsplit(url).query))
    assert url.startswith("https://pay.example/?")
    assert query["vnp_Version"] == "2.1.0"
    assert query["vnp_Command"] == "pay"
    assert query["vnp_Amount"] == "700000"
    assert query["vnp_CurrCode"] == "VND"
    assert query["vnp_CreateDate"] == "20260302090000"  # 02:00 UTC = 09:00 in Vietnam
    assert query["vnp_ExpireDate"] == "20260302091500"
    unsigned = {k: v for k, v in query.items() if k != "vnp_SecureHash"}
    assert query["vnp_SecureHash"] == secure_hash(SECRET, unsigned)
    assert quote_plus(ORDER.return_url) in url


def _callback(**changes: str) -> dict[str, str]:
    params = {
        "vnp_Amount": "700000",
        "vnp_BankCode": "NCB",
        "vnp_OrderInfo": ORDER.order_info,
        "vnp_PayDate": "20260302091000",
        "vnp_ResponseCode": "00",
        "vnp_TmnCode": "MOTCUA01",
        "vnp_TransactionNo": "14012345",
        "vnp_TransactionStatus": "00",
        "vnp_TxnRef": ORDER.txn_ref,
    }
    signed = dict(parse_qsl(signed_query(SECRET, params)))
    return {**signed, **changes}


def test_a_signed_callback_is_read():
    notice = gateway().parse_notice(_callback())
    assert notice.txn_ref == ORDER.txn_ref
    assert notice.amount == 7000
    assert notice.succeeded


@pytest.mark.parametrize(
    "tampering",
    [
        {"vnp_Amount": "100"},
        {"vnp_ResponseCode": "00", "vnp_TxnRef": "HS1TOTHER"},
        {"vnp_SecureHash": "0" * 128},
        {"vnp_SecureHash": ""},
    ],
)
def test_a_tampered_callback_is_refused(tampering):
    with pytest.raises(InvalidSignature):
        gateway().parse_notice(_callback(**tampering))


def test_a_callback_for_another_merchant_is_refused():
    other = VNPayGateway(tmn_code="OTHER", hash_secret=SECRET, pay_url="https://pay.example/")
    with pytest.raises(InvalidSignature):
        other.parse_notice(_callback())
