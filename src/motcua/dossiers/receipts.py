"""Fee receipts of a dossier (*biên lai thu phí, lệ phí*, NĐ 61/2018 Art 22; integrations.md §6):
issued when a payment succeeds, cancelled or replaced by the one-stop office, downloaded by the
applicant and the officers who may see the dossier.

A paid payment gets exactly one valid receipt (a partial unique constraint; issuing locks the
payment row and returns the receipt it already has). The receipt is issued right after the
payment is recorded — by the IPN or by the reconciliation, whichever comes first; a fee paid with
a draft at its submission, once there is a reference to print — outside the payment's
transaction, so a failing provider never loses a payment; the reconciliation issues any receipt
still missing (``issue_missing_receipts``). The provider is
``integrations.receipts.LocalReceiptProvider`` (the only one available; vendor e-receipt APIs
such as Viettel's are not), printing through the official-forms machinery with the dossier code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.documents import forms
from motcua.dossiers.models import Dossier
from motcua.dossiers.policy import scope_of
from motcua.dossiers.printing import _letterhead
from motcua.dossiers.selectors import dossier_for
from motcua.dossiers.services import NotFound
from motcua.dossiers.workflow import Action
from motcua.integrations.models import (
    FeeReceipt,
    Payment,
    PaymentPurpose,
    PaymentStatus,
    ReceiptStatus,
)
from motcua.integrations.receipts import (
    FeeLine,
    IssuedReceipt,
    LocalReceiptProvider,
    ReceiptDocument,
    ReceiptProvider,
    ReceiptRef,
    ReceiptRequest,
    amount_in_words,
)

logger = logging.getLogger("motcua.payments.receipts")
TITLE = "BIÊN LAI THU PHÍ, LỆ PHÍ"
METHODS = {"vnpay": "Thanh toán trực tuyến qua cổng thanh toán VNPAY"}


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def render_receipt(document: ReceiptDocument) -> bytes:
    """The receipt as PDF (A5, the official-forms layout, the dossier code and its QR codes)."""
    request, ref = document.request, document.ref
    letterhead = forms.Letterhead(request.collector_superior, request.collector, request.place)
    data = {
        "form_number": ref.form_number,
        "series": ref.series,
        "number_text": ref.number_text,
        "payer_name": request.payer_name,
        "payer_address": request.payer_address,
        "payer_identifier": request.payer_identifier,
        "dossier_code": request.dossier_code,
        "code_label": request.code_label,
        "lines": [
            {"name": line.name, "amount_text": _money(line.amount)} for line in request.lines
        ],
        "amount_text": _money(request.amount),
        "amount_words": amount_in_words(request.amount),
        "payment_method": request.payment_method,
        "payment_reference": request.payment_reference,
        "paid_at": request.paid_at,
        "issued_at": document.issued_at,
        "provider_label": document.provider_label,
        "replaces": document.replaces,
    }
    qr = forms.QrSubject(request.dossier_code, request.procedure_code, "", TITLE)
    payload = forms.QR_FORMATTER(qr)
    url = forms.lookup_url(request.dossier_code)
    context: dict[str, Any] = {
        "form": {"purpose": "fee_receipt", "number_line": False},
        "spec": {"title": TITLE, "number": None},
        "circular": "Biên lai điện tử",
        "letterhead": letterhead,
        "issued_on": document.issued_at.astimezone(VN_TZ).date(),
        "paper": forms.Paper.A5.value,
        "d": data,
        "qr_payload_image": forms.qr_data_uri(payload),
        "lookup_url": url,
        "qr_lookup_image": forms.qr_data_uri(url),
    }
    with translation.override("vi"):
        html = render_to_string("documents/forms/fee_receipt.html", context)
    return forms.html_to_pdf(html)


def receipt_provider() -> ReceiptProvider:
    """The configured provider (only the local one exists; see the module docstring)."""
    return LocalReceiptProvider(render_receipt)


def _lines(payment: Payment, dossier: Dossier) -> tuple[FeeLine, ...]:
    if payment.purpose == PaymentPurpose.OBLIGATION:
        request = dossier.transitions.filter(action=Action.REQUEST_PAYMENT).order_by("-seq").first()
        note = request.reason if request is not None else ""
        return (FeeLine(note or "Nghĩa vụ tài chính", payment.amount),)
    return (FeeLine(f"Phí, lệ phí: {dossier.procedure_version.name}", payment.amount),)


def receipt_request(payment: Payment) -> ReceiptRequest:
    """What the receipt of ``payment`` says (the dossier's applicant, office and code)."""
    dossier = (
        Dossier.objects.select_related(
            "procedure_version__procedure", "receiving_office__parent__administrative_unit"
        )
        .filter(pk=payment.dossier_id)
        .get()
    )
    office = dossier.receiving_office
    letterhead = _letterhead(office) if office is not None else forms.Letterhead("", "", "……")
    return ReceiptRequest(
        dossier_code=dossier.code or dossier.submission_ref or f"#{dossier.pk}",
        code_label="Mã hồ sơ" if dossier.code else "Mã số nộp hồ sơ trực tuyến",
        payer_name=dossier.applicant_name,
        payer_address=dossier.applicant_address,
        payer_identifier=forms.mask_identifier(dossier.applicant_id_number),
        lines=_lines(payment, dossier),
        collector_superior=letterhead.superior,
        collector=letterhead.unit,
        place=letterhead.place,
        paid_at=payment.paid_at or clock.now(),
        payment_method=METHODS.get(payment.gateway, payment.gateway),
        payment_reference=payment.gateway_transaction_no or payment.txn_ref,
        procedure_code=dossier.procedure_version.procedure.code,
    )


def _store(
    payment: Payment,
    request: ReceiptRequest,
    issued: IssuedReceipt,
    provider: ReceiptProvider,
    replaces: FeeReceipt | None = None,
) -> FeeReceipt:
    ref = issued.ref
    name = f"receipts/{ref.form_number}/{ref.series}/{ref.number:07d}-{uuid.uuid4().hex}.pdf"
    stored = default_storage.save(name, ContentFile(issued.pdf))
    return FeeReceipt.objects.create(
        dossier_id=payment.dossier_id,
        payment=payment,
        provider=provider.name,
        form_number=ref.form_number,
        series=ref.series,
        number=ref.number,
        provider_ref=ref.provider_ref,
        amount=request.amount,
        payer_name=request.payer_name,
        payer_address=request.payer_address,
        lines=[{"name": line.name, "amount": line.amount} for line in request.lines],
        dossier_code=request.dossier_code,
        issued_at=issued.issued_at,
        replaces=replaces,
        storage_name=stored,
        sha256=hashlib.sha256(issued.pdf).hexdigest(),
    )


def issue_receipt(payment_id: int, provider: ReceiptProvider | None = None) -> FeeReceipt | None:
    """Issue the receipt of a paid payment, once: the receipt it already has when there is one
    (issued, or cancelled by an officer — never silently re-issued); None when not paid."""
    provider = provider or receipt_provider()
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(pk=payment_id).first()
        if payment is None or payment.status != PaymentStatus.PAID:
            return None
        existing = payment.receipts.order_by("-issued_at", "-id").first()
        if existing is not None:
            return existing
        references = Dossier.objects.values_list("code", "submission_ref").get(
            pk=payment.dossier_id
        )
        if not any(references):
            return None  # a draft: issued at submission, when there is a reference to print
        request = receipt_request(payment)
        issued = provider.issue(request)
        return _store(payment, request, issued, provider)


def issue_receipt_safely(payment_id: int) -> FeeReceipt | None:
    """``issue_receipt`` for the payment paths: a failing provider is logged, not raised (the
    reconciliation retries)."""
    try:
        return issue_receipt(payment_id)
    except Exception:
        logger.exception("fee receipt of payment %s not issued (retried later)", payment_id)
        return None


def issue_missing_receipts(since: dt.datetime) -> int:
    """Issue the receipts still missing for payments paid since ``since``; how many."""
    missing = Payment.objects.filter(
        status=PaymentStatus.PAID, paid_at__gte=since, receipts__isnull=True
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(missing) if issue_receipt_safely(pk) is not None)


def may_manage_receipts(user: User, dossier: Dossier) -> bool:
    """Fees are collected by the one-stop office: only its staff cancel or replace receipts."""
    today = clock.now().astimezone(VN_TZ).date()
    return dossier.receiving_office_id in scope_of(user, today).one_stop


def _officer_receipt(user: User, receipt_id: int) -> FeeReceipt:
    receipt = FeeReceipt.objects.select_for_update().filter(pk=receipt_id).first()
    if receipt is None:
        raise NotFound
    dossier = dossier_for(user, receipt.dossier_id)  # NotFound outside the user's scope
    if not may_manage_receipts(user, dossier):
        # Fees are collected by the one-stop office: only its staff cancel or replace receipts.
        raise DomainError("not_allowed", _("Only the one-stop office's staff manage receipts."))
    if receipt.status != ReceiptStatus.ISSUED:
        raise DomainError("receipt_not_valid", _("This receipt was already cancelled or replaced."))
    return receipt


def _ref(receipt: FeeReceipt) -> ReceiptRef:
    return ReceiptRef(receipt.form_number, receipt.series, receipt.number, receipt.provider_ref)


def _require_reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise DomainError("reason_required", _("Give the reason."))
    return reason[:500]


def cancel_receipt(user: User, receipt_id: int, *, reason: str) -> FeeReceipt:
    """Cancel a receipt issued by mistake (the number stays used; the payment keeps no receipt)."""
    reason = _require_reason(reason)
    with transaction.atomic():
        receipt = _officer_receipt(user, receipt_id)
        receipt_provider().cancel(_ref(receipt), reason)
        receipt.status = ReceiptStatus.CANCELLED
        receipt.cancelled_at = clock.now()
        receipt.cancelled_by = user
        receipt.cancel_reason = reason
        receipt.save()
        return receipt


def replace_receipt(
    user: User,
    receipt_id: int,
    *,
    reason: str,
    payer_name: str | None = None,
    payer_address: str | None = None,
) -> FeeReceipt:
    """Replace a receipt with a wrong detail: the old one is marked replaced, a new one (a new
    number, naming the old one) is issued for the same payment."""
    reason = _require_reason(reason)
    with transaction.atomic():
        old = _officer_receipt(user, receipt_id)
        payment = Payment.objects.select_for_update().get(pk=old.payment_id)
        base = receipt_request(payment)
        request = ReceiptRequest(
            **{
                **base.__dict__,
                "payer_name": payer_name or old.payer_name,
                "payer_address": old.payer_address if payer_address is None else payer_address,
            }
        )
        provider = receipt_provider()
        old.status = ReceiptStatus.REPLACED
        old.cancelled_at = clock.now()
        old.cancelled_by = user
        old.cancel_reason = reason
        old.save()
        issued = provider.replace(_ref(old), request, reason)
        return _store(payment, request, issued, provider, replaces=old)


@dataclass(frozen=True)
class ReceiptFile:
    name: str
    file: File  # type: ignore[type-arg]


def receipts_of(user: User, dossier_id: int) -> list[FeeReceipt]:
    """The receipts of a dossier the user may see (newest first)."""
    dossier = dossier_for(user, dossier_id)
    return list(FeeReceipt.objects.filter(dossier=dossier).order_by("-issued_at", "-id"))


def receipt_file(user: User, dossier_id: int, receipt_id: int) -> ReceiptFile:
    """The PDF of a receipt of a dossier the user may see."""
    dossier = dossier_for(user, dossier_id)
    receipt = FeeReceipt.objects.filter(pk=receipt_id, dossier=dossier).first()
    if receipt is None or not receipt.storage_name:
        raise NotFound
    name = f"bien-lai-{receipt.series}-{receipt.number:07d}.pdf".replace("/", "-")
    return ReceiptFile(name, default_storage.open(receipt.storage_name, "rb"))
