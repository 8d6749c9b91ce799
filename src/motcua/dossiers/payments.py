"""Online payment of a dossier's fees: what is owed, starting a payment, and what a verified
gateway notice does to the dossier.

Two moments (NĐ 61/2018 Art 22, confirmed: legal text: fees may be paid online):

- the **application fee**, paid with an online application before it is submitted (the draft);
  the submission then records ``paid_online`` (national ``DuocThanhToanTrucTuyen``);
- a **financial obligation** requested during processing (T12, state 6): a successful payment
  confirms it (T13, ``confirm_payment`` by the system) — exactly once, however often the
  gateway repeats its notice.

Only the gateway's server-to-server notice (IPN) changes anything; the browser's return only
shows where the payment stands (VNPay's rule: the return URL can be forged or never arrive).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.models import Dossier, OnlineApplication
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.services import NotFound, confirm_payment
from motcua.dossiers.workflow import Action, Status
from motcua.integrations.models import Payment, PaymentPurpose
from motcua.integrations.payments import InvalidSignature, PaymentOrder
from motcua.integrations.payments.gateways import configured_gateway
from motcua.integrations.payments.records import (
    BAD_SIGNATURE,
    IPN_MESSAGES,
    OTHER,
    apply_notice,
    open_payment,
    paid_fee,
    payment_by_ref,
    payments_of,
)

logger = logging.getLogger("motcua.payments")


@dataclass(frozen=True)
class AmountDue:
    """What the applicant can pay online now, and why."""

    amount: int
    purpose: PaymentPurpose


def amount_due(dossier: Dossier) -> AmountDue | None:
    """The amount payable online now: the draft's fee (unless paid), or the amount requested
    during processing (state 6); None when nothing is owed."""
    if dossier.status == Status.DRAFT:
        application = OnlineApplication.objects.filter(dossier=dossier).first()
        if application is None or not application.fee_amount or paid_fee(dossier.pk):
            return None
        return AmountDue(int(application.fee_amount), PaymentPurpose.FEE)
    if dossier.status == Status.AWAITING_PAYMENT:
        request = dossier.transitions.filter(action=Action.REQUEST_PAYMENT).order_by("-seq").first()
        if request is None or not request.data.get("amount"):
            return None
        return AmountDue(int(request.data["amount"]), PaymentPurpose.OBLIGATION)
    return None


def start_payment(
    user: User,
    dossier_id: int,
    *,
    return_url: str,
    client_ip: str,
    language: str = "vi",
    at: dt.datetime | None = None,
) -> str:
    """Open a payment for what the applicant owes and return the gateway URL to send them to."""
    dossier = dossier_for(user, dossier_id)
    if dossier.applicant_user_id != user.pk:
        raise NotFound
    gateway = configured_gateway()
    if gateway is None:
        raise DomainError(
            "payments_unavailable", _("Online payment is not available; pay at the office.")
        )
    due = amount_due(dossier)
    if due is None:
        raise DomainError("nothing_to_pay", _("There is nothing to pay online for this dossier."))
    reference = dossier.code or dossier.submission_ref or f"#{dossier.pk}"
    payment = open_payment(
        dossier.pk,
        purpose=due.purpose,
        amount=due.amount,
        gateway=gateway.name,
        order_info=f"Thanh toan le phi ho so {reference}",
        user=user,
    )
    order = PaymentOrder(
        txn_ref=payment.txn_ref,
        amount=payment.amount,
        order_info=payment.order_info,
        return_url=return_url,
        client_ip=client_ip,
        created_at=at or clock.now(),
        locale="en" if language == "en" else "vn",
    )
    return gateway.payment_url(order)


@dataclass(frozen=True)
class IpnAnswer:
    """The answer the gateway expects (``{"RspCode": …, "Message": …}``)."""

    code: str
    message: str


def receive_gateway_notice(params: Mapping[str, str]) -> IpnAnswer:
    """Handle the gateway's server-to-server notice (IPN): verify, record once, and confirm a
    requested payment (T13, as the system). A tampered notice changes nothing (97)."""
    gateway = configured_gateway()
    if gateway is None:
        return IpnAnswer(OTHER, IPN_MESSAGES[OTHER])
    try:
        notice = gateway.parse_notice(params)
    except InvalidSignature:
        logger.warning("payment notice refused: bad signature (%s)", params.get("vnp_TxnRef"))
        return IpnAnswer(BAD_SIGNATURE, IPN_MESSAGES[BAD_SIGNATURE])
    with transaction.atomic():
        outcome = apply_notice(notice, source="ipn")
        payment = outcome.payment
        if outcome.newly_paid and payment is not None:
            _settle(payment)
    return IpnAnswer(outcome.code, outcome.message)


def _settle(payment: Payment) -> None:
    """What a newly paid payment does to its dossier (inside the notice's transaction)."""
    if payment.purpose != PaymentPurpose.OBLIGATION:
        return  # an application fee: recorded with the submission
    dossier = Dossier.objects.filter(pk=payment.dossier_id).only("status").first()
    if dossier is None or dossier.status != Status.AWAITING_PAYMENT:
        logger.warning("payment %s arrived for a dossier no longer waiting", payment.txn_ref)
        return
    confirm_payment(
        payment.dossier_id,
        None,
        paid_online=True,
        receipt=f"{payment.gateway}:{payment.gateway_transaction_no or payment.txn_ref}",
    )


@dataclass(frozen=True)
class ReturnView:
    """What the browser's return tells the payer (never changes anything)."""

    valid: bool
    payment: Payment | None
    gateway_says_paid: bool


def payment_return(user: User, params: Mapping[str, str]) -> ReturnView:
    """Read the gateway's return parameters for the payer (verified; the IPN decides)."""
    gateway = configured_gateway()
    if gateway is None:
        return ReturnView(False, None, False)
    try:
        notice = gateway.parse_notice(params)
    except InvalidSignature:
        return ReturnView(False, None, False)
    payment = payment_by_ref(notice.txn_ref)
    if payment is None:
        return ReturnView(True, None, notice.succeeded)
    dossier_for(user, payment.dossier_id)  # NotFound when it is not the user's
    return ReturnView(True, payment, notice.succeeded)


def dossier_payments(user: User, dossier_id: int) -> list[Payment]:
    """The payments of a dossier the user may see, newest first."""
    dossier = dossier_for(user, dossier_id)
    return list(payments_of(dossier.pk))
