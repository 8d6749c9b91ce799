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
