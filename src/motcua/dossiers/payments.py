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

**Reconciliation** (integrations.md §1.3): an IPN can get lost, so ``reconcile_payments`` asks the
gateway (``querydr``) about pending payments — every 15 minutes those between 15 minutes and an
hour old, once a day all of the last day's — and records what it answers exactly as the IPN would
(the same row lock and the same settlement: a later or repeated IPN changes nothing). An order the
gateway reports failed is closed; one it does not know, 30 minutes after it was opened (the pay
link expires after 15), is closed as expired. A paid payment then gets its fee receipt
(``dossiers.receipts``); the reconciliation also issues any receipt still missing.
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
from motcua.dossiers.receipts import issue_missing_receipts, issue_receipt_safely
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.services import NotFound, confirm_payment
from motcua.dossiers.workflow import Action, Status
from motcua.integrations.models import Payment, PaymentPurpose, PaymentStatus
from motcua.integrations.payments import (
    GatewayNotice,
    InvalidSignature,
    PaymentGateway,
    PaymentOrder,
    PaymentQuery,
    QueryFailedError,
)
from motcua.integrations.payments.gateways import configured_gateway
from motcua.integrations.payments.records import (
    BAD_SIGNATURE,
    IPN_MESSAGES,
    OTHER,
    NoticeOutcome,
    apply_notice,
    expire_payment,
    open_payment,
    paid_fee,
    payment_by_ref,
    payments_of,
    pending_payments,
)
from motcua.integrations.payments.vnpay import EXPIRES_AFTER

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
        created_at=at or payment.created_at,
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
    outcome = record_notice(notice, source="ipn")
    return IpnAnswer(outcome.code, outcome.message)


def record_notice(notice: GatewayNotice, *, source: str) -> NoticeOutcome:
    """Apply a verified gateway answer once (IPN or query), settle the dossier in the same
    transaction, then issue the fee receipt of a payment that just got paid."""
    with transaction.atomic():
        outcome = apply_notice(notice, source=source)
        payment = outcome.payment
        if outcome.newly_paid and payment is not None:
            _settle(payment)
    if outcome.newly_paid and outcome.payment is not None:
        issue_receipt_safely(outcome.payment.pk)
    return outcome


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


#: The frequent pass looks at payments between these ages; the daily pass at the last day's.
RECONCILE_AFTER = dt.timedelta(minutes=15)
FREQUENT_WINDOW = dt.timedelta(hours=1)
FULL_PASS_WINDOW = dt.timedelta(days=1)
#: An order the gateway does not know this long after it was opened is closed as expired.
UNKNOWN_EXPIRES_AFTER = EXPIRES_AFTER + dt.timedelta(minutes=15)


@dataclass
class ReconcileSummary:
    """What one reconciliation pass did (printed by the command, returned by the task)."""

    checked: int = 0
    paid: int = 0
    closed: int = 0
    pending: int = 0
    errors: int = 0
    receipts: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def reconcile_payments(
    *, full_day: bool = False, now: dt.datetime | None = None, gateway: PaymentGateway | None = None
) -> ReconcileSummary:
    """Ask the gateway about pending payments and record its answers as the IPN would."""
    now = now or clock.now()
    summary = ReconcileSummary()
    gateway = gateway or configured_gateway()
    if gateway is None:
        return summary
    window = FULL_PASS_WINDOW if full_day else FREQUENT_WINDOW
    for payment in pending_payments(
        created_after=now - window, created_before=now - RECONCILE_AFTER
    ):
        summary.checked += 1
        query = PaymentQuery(payment.txn_ref, payment.order_info, payment.created_at)
        try:
            notice = gateway.query(query)
        except QueryFailedError as error:
            logger.warning("reconciliation: %s not checked: %s", payment.txn_ref, error)
            summary.errors += 1
            continue
        if notice is None:
            if payment.created_at <= now - UNKNOWN_EXPIRES_AFTER and expire_payment(
                payment.pk, evidence={"vnp_TxnRef": payment.txn_ref, "vnp_ResponseCode": "91"}
            ):
                summary.closed += 1
            else:
                summary.pending += 1
            continue
        if notice.pending:
            summary.pending += 1
            continue
        outcome = record_notice(notice, source="querydr")
        if outcome.newly_paid:
            summary.paid += 1
        elif outcome.payment is not None and outcome.payment.status != PaymentStatus.PENDING:
            summary.closed += int(outcome.code == "00")
        if outcome.code not in {"00", "02"}:
            logger.warning("reconciliation: %s answered %s", payment.txn_ref, outcome.code)
            summary.errors += 1
    summary.receipts = issue_missing_receipts(now - FULL_PASS_WINDOW)
    return summary


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
