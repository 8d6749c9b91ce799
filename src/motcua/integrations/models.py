"""Records of the outside systems MotCua talks to: online payments, identities from an OpenID
Connect provider (the national SSO / VNeID), and the sandbox identities of the test provider.

Payments are the integration's own record of a gateway transaction (amount, gateway reference,
status and every verified callback, raw); what a paid fee means for a dossier is decided in
``dossiers.payments``. A dossier is referenced by string (``"dossiers.Dossier"``), as the layers
require.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentPurpose(models.TextChoices):
    """What a payment pays for."""

    FEE = "fee", _("Fee paid with the online application")
    OBLIGATION = "obligation", _("Financial obligation requested during processing")


class PaymentStatus(models.TextChoices):
    """Where a gateway transaction stands (final once paid, failed or cancelled)."""

    PENDING = "pending", _("Waiting for the payment gateway")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled by the payer")
    EXPIRED = "expired", _("Expired: never paid at the gateway")


class Payment(models.Model):
    """One online payment transaction of a dossier at a payment gateway (VNPay protocol)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=PaymentPurpose.choices)
    amount = models.BigIntegerField(_("amount (VND)"))
    gateway = models.CharField(_("gateway"), max_length=40)
    #: Our order reference at the gateway (``vnp_TxnRef``): unique, letters and digits only.
    txn_ref = models.CharField(_("order reference"), max_length=40, unique=True)
    order_info = models.CharField(_("order description"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    gateway_transaction_no = models.CharField(_("gateway transaction"), max_length=40, blank=True)
    bank_code = models.CharField(_("bank"), max_length=20, blank=True)
    response_code = models.CharField(_("gateway response code"), max_length=4, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    #: Every verified callback (IPN and return), raw, in arrival order: the evidence.
    callbacks = models.JSONField(_("callbacks received"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("online payment")
        verbose_name_plural = _("online payments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["dossier", "status"], name="payment_dossier_status")]

    def __str__(self) -> str:
        return f"{self.txn_ref} {self.amount} VND ({self.status})"


class ReceiptStatus(models.TextChoices):
    """Where a fee receipt stands (a cancelled or replaced receipt keeps its number)."""

    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")
    REPLACED = "replaced", _("Replaced")


class FeeReceipt(models.Model):
    """A receipt for fees and charges (*biên lai thu phí, lệ phí*) issued for a paid payment
    through a receipt provider (integrations.md §6): form number, series, number, what was paid,
    by whom, for which dossier, and the provider's file."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="fee_receipts",
    )
    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="receipts"
    )
    provider = models.CharField(_("receipt provider"), max_length=40)
    form_number = models.CharField(_("form number"), max_length=40)  # mẫu số
    series = models.CharField(_("series"), max_length=40)  # ký hiệu
    number = models.PositiveIntegerField(_("receipt number"))  # số, sequential per series
    provider_ref = models.CharField(_("provider reference"), max_length=100, blank=True)
    amount = models.BigIntegerField(_("amount (VND)"))
    payer_name = models.CharField(_("payer"), max_length=300)
    payer_address = models.CharField(_("payer's address"), max_length=500, blank=True)
    #: ``[{"name": …, "amount": …}]``: the fee lines the amount is made of.
    lines = models.JSONField(_("fee lines"), default=list)
    dossier_code = models.CharField(_("dossier code"), max_length=80)
    issued_at = models.DateTimeField(_("issued at"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("receipt it replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    storage_name = models.CharField(_("stored file"), max_length=500, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("fee receipt")
        verbose_name_plural = _("fee receipts")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "form_number", "series", "number"],
                name="fee_receipt_number_unique",
            ),
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(status="issued"),
                name="fee_receipt_one_valid_per_payment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_number} {self.series} {self.number:07d}"


class ReceiptCounter(models.Model):
    """The last number used in one series of one provider (locked to take the next number)."""

    provider = models.CharField(_("receipt provider"), max_length=40)
    form_number = models.CharField(_("form number"), max_length=40)
    series = models.CharField(_("series"), max_length=40)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("receipt series counter")
        verbose_name_plural = _("receipt series counters")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "form_number", "series"], name="receipt_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_number} {self.series}: {self.last_number}"


class SimulatedOrder(models.Model):
    """An order the local payment gateway simulator has seen (its own memory, as the real
    gateway's; development and tests only): what ``querydr`` answers from."""

    txn_ref = models.CharField(_("order reference"), max_length=100, unique=True)
    tmn_code = models.CharField(_("merchant code"), max_length=20)
    amount = models.CharField(_("amount (VND × 100)"), max_length=20)
    order_info = models.CharField(_("order description"), max_length=255)
    create_date = models.CharField(_("created (yyyyMMddHHmmss)"), max_length=14)
    expire_date = models.CharField(_("expires (yyyyMMddHHmmss)"), max_length=14)
    #: vnp_TransactionStatus: 01 not finished, 00 paid, 02 failed or cancelled.
    transaction_status = models.CharField(_("transaction status"), max_length=2, default="01")
    transaction_no = models.CharField(_("gateway transaction"), max_length=20, blank=True)
    bank_code = models.CharField(_("bank"), max_length=20, blank=True)
    pay_date = models.CharField(_("paid (yyyyMMddHHmmss)"), max_length=14, blank=True)
    ipn_sent = models.BooleanField(_("IPN sent"), default=False)

    class Meta:
        verbose_name = _("simulated gateway order")
        verbose_name_plural = _("simulated gateway orders")

    def __str__(self) -> str:
        return f"{self.txn_ref} ({self.transaction_status})"


class IdentityLink(models.Model):
    """A MotCua account's identity at an OpenID Connect provider (issuer + subject), with the
    verified attributes the provider asserted at the last sign-in."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="identity_links",
    )
    issuer = models.CharField(_("identity provider"), max_length=300)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    id_number = models.CharField(_("citizen identity number"), max_length=20, blank=True)
    #: The provider says the account was verified with VNeID (TaiKhoanDuocXacThucVoiVNeID).
    vneid_verified = models.BooleanField(_("verified with VNeID"), default=False)
    claims = models.JSONField(_("last claims"), default=dict, blank=True)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity link")
        verbose_name_plural = _("identity links")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_link_unique")
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"


class SandboxIdentity(models.Model):
    """A fictional person known to the local test identity provider (development and tests only).

    ``user`` is the provider-side account the OAuth library needs as resource owner; it never signs
    in to the portal itself — the portal maps the claims to its own account.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("provider-side account"),
        on_delete=models.CASCADE,
        related_name="sandbox_identity",
    )
    subject = models.CharField(_("subject"), max_length=100, unique=True)
    id_number = models.CharField(_("citizen identity number"), max_length=20, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    vneid_verified = models.BooleanField(_("verified with VNeID"), default=True)

    class Meta:
        verbose_name = _("sandbox identity")
        verbose_name_plural = _("sandbox identities")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.id_number})"
