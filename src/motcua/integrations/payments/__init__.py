"""Online payment of fees: one Protocol, a client for the VNPay 2.1.0 protocol, and a local gateway
simulator that speaks the gateway side of the same protocol (development and tests).

The interface (``PaymentGateway``) is what the rest of MotCua uses: build the signed URL that
sends the payer to the gateway, and turn a callback (the browser's return or the gateway's
server-to-server IPN) into a verified ``GatewayNotice`` — or refuse it when its signature does
not match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

#: vnp_ResponseCode → meaning (VNPay 2.1.0 merchant documentation, secondary source).
RESPONSE_CODES: dict[str, str] = {
    "00": "Giao dịch thành công",
    "07": "Trừ tiền thành công, giao dịch bị nghi ngờ",
    "09": "Thẻ/Tài khoản chưa đăng ký dịch vụ InternetBanking",
    "10": "Xác thực thông tin thẻ/tài khoản không đúng quá 3 lần",
    "11": "Đã hết hạn chờ thanh toán",
    "12": "Thẻ/Tài khoản bị khóa",
    "13": "Nhập sai mật khẩu xác thực giao dịch (OTP)",
    "24": "Khách hàng hủy giao dịch",
    "51": "Tài khoản không đủ số dư",
    "65": "Tài khoản đã vượt quá hạn mức giao dịch trong ngày",
    "75": "Ngân hàng thanh toán đang bảo trì",
    "79": "Nhập sai mật khẩu thanh toán quá số lần quy định",
    "99": "Lỗi khác",
}
SUCCESS = "00"
CANCELLED = "24"


class InvalidSignature(Exception):  # noqa: N818 - the gateway's own wording
    """A callback whose secure hash does not match its parameters (tampered or misconfigured)."""


@dataclass(frozen=True)
class PaymentOrder:
    """What we ask the gateway to collect."""

    txn_ref: str
    amount: int  # VND
    order_info: str
    return_url: str
    client_ip: str
    created_at: dt.datetime
    locale: str = "vn"


@dataclass(frozen=True)
class GatewayNotice:
    """A verified callback: the gateway's answer about one order."""

    txn_ref: str
    amount: int  # VND
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    pay_date: str
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.response_code == SUCCESS and self.transaction_status in {"", SUCCESS}

    @property
    def cancelled(self) -> bool:
        return self.response_code == CANCELLED

    @property
    def pending(self) -> bool:
        """The gateway has not settled the order yet (a ``querydr`` answer only)."""
        return self.transaction_status == PENDING_STATUS


#: ``vnp_TransactionStatus`` of an order the gateway has not finished (querydr).
PENDING_STATUS = "01"


class QueryFailedError(Exception):
    """The gateway's query API could not be reached, refused the query or answered unsigned."""


@dataclass(frozen=True)
class PaymentQuery:
    """What the gateway needs to find one of our orders (reconciliation)."""

    txn_ref: str
    order_info: str
    created_at: dt.datetime  # when the order was sent to the gateway (``vnp_CreateDate`` of pay)
    client_ip: str = "127.0.0.1"


class PaymentGateway(Protocol):
    """A payment gateway as MotCua sees it (VNPay, the simulator, later PayGov)."""

    name: str

    def payment_url(self, order: PaymentOrder) -> str:
        """The signed URL that takes the payer to the gateway's payment page."""
        ...

    def parse_notice(self, params: Mapping[str, str]) -> GatewayNotice:
        """Verify and read a callback; ``InvalidSignature`` when it was tampered with."""
        ...

    def query(self, query: PaymentQuery) -> GatewayNotice | None:
        """Ask the gateway where an order stands (reconciliation): a verified notice
        (``pending`` while unsettled), None when the gateway does not know the order;
        ``QueryFailedError`` when the gateway could not answer."""
        ...
