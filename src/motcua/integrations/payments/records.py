"""The payment record: open an order, apply a verified gateway notice exactly once.

``apply_notice`` is idempotent: a repeated IPN for an order already settled changes nothing and is
answered "already confirmed" (02); an amount that differs from the order is refused (04); an
unknown order is 01. The dossier consequences (confirming a requested payment) belong to
``dossiers.payments``, which calls this inside its own transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from motcua.core import clock
from motcua.core.models import User
from motcua.integrations.models import Payment, PaymentPurpose, PaymentStatus
from motcua.integrations.payments import GatewayNotice

#: IPN answers (VNPay 2.1.0).
CONFIRMED, NOT_FOUND, ALREADY, BAD_AMOUNT, BAD_SIGNATURE, OTHER = "00", "01", "02", "04", "97", "99"
IPN_MESSAGES = {
    CONFIRMED: "Confirm Success",
    NOT_FOUND: "Order not found",
    ALREADY: "Order already confirmed",
    BAD_AMOUNT: "Invalid amount",
    BAD_SIGNATURE: "Invalid signature",
    OTHER: "Unknown error",
}


def new_txn_ref(dossier_id: int) -> str:
    """A unique order reference (letters and digits only, as the gateway requires)."""
    return f"HS{dossier_id}T{secrets.token_hex(5).upper()}"


def open_payment(
    dossier_id: int,
    *,
    purpose: PaymentPurpose,
    amount: int,
    gateway: str,
    order_info: str,
    user: User | None,
) -> Payment:
    """Record a new pending order before sending the payer to the gateway."""
    return Payment.objects.create(
        dossier_id=dossier_id,
        purpose=purpose,
        amount=amount,
        gateway=gateway,
        txn_ref=new_txn_ref(dossier_id),
        order_info=order_info[:255],
        created_by=user,
        created_at=clock.now(),
    )


@dataclass(frozen=True)
class NoticeOutcome:
    """What applying a notice did: the IPN answer code, the payment, whether it just got paid."""

    code: str
    payment: Payment | None
    newly_paid: bool = False

    @property
    def message(self) -> str:
        return IPN_MESSAGES[self.code]


def apply_notice(notice: GatewayNotice, *, source: str) -> NoticeOutcome:
    """Settle the order named by a verified notice, once (locks the payment row)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(txn_ref=notice.txn_ref).first()
        if payment is None:
            return NoticeOutcome(NOT_FOUND, None)
        if notice.amount != payment.amount:
            return NoticeOutcome(BAD_AMOUNT, payment)
        if payment.status != PaymentStatus.PENDING:
            return NoticeOutcome(ALREADY, payment)
        payment.callbacks = [*payment.callbacks, {"source": source, "params": notice.raw}]
        payment.response_code = notice.response_code
        payment.gateway_transaction_no = notice.transaction_no
        payment.bank_code = notice.bank_code
        if notice.succeeded:
            payment.status = PaymentStatus.PAID
            payment.paid_at = clock.now()
        elif notice.cancelled:
            payment.status = PaymentStatus.CANCELLED
        else:
            payment.status = PaymentStatus.FAILED
        payment.save()
        return NoticeOutcome(CONFIRMED, payment, newly_paid=payment.status == PaymentStatus.PAID)


def pending_payments(*, created_after: dt.datetime, created_before: dt.datetime) -> list[Payment]:
    """Pending payments created in a window (what the reconciliation asks the gateway about)."""
    return list(
        Payment.objects.filter(
            status=PaymentStatus.PENDING,
            created_at__gte=created_after,
            created_at__lt=created_before,
        ).order_by("created_at", "id")
    )


def expire_payment(payment_id: int, *, evidence: dict[str, str]) -> bool:
    """Close a pending payment the gateway never settled (locks the row; False if settled)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None or payment.status != PaymentStatus.PENDING:
            return False
        payment.callbacks = [*payment.callbacks, {"source": "querydr", "params": evidence}]
        payment.status = PaymentStatus.EXPIRED
        payment.save()
        return True


def payments_of(dossier_id: int) -> QuerySet[Payment]:
    """The dossier's payments, newest first."""
    return Payment.objects.filter(dossier_id=dossier_id).order_by("-created_at", "-id")


def payment_by_ref(txn_ref: str) -> Payment | None:
    return Payment.objects.filter(txn_ref=txn_ref).first()


def paid_fee(dossier_id: int) -> Payment | None:
    """The paid application fee of a dossier, if any."""
    return (
        Payment.objects.filter(
            dossier_id=dossier_id, purpose=PaymentPurpose.FEE, status=PaymentStatus.PAID
        )
        .order_by("-paid_at")
        .first()
    )
