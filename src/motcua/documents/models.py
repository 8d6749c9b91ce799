"""Dossier attachments: the files of a dossier, append-only, with the national sync flags.

A stored object is never overwritten or deleted: a replaced file is a new row pointing at the one it
replaces (``replaces``). Objects are named by content hash plus a random UUID, so two uploads never
share a name even when their bytes are equal. The content type is the one sniffed from the bytes,
never the one the browser or the file name claims. National sync flags (forms-and-codes.md §10:
``DuocSoHoa``, ``DuocTaiSuDung``, ``DuocLayTuKhoDMQG``) are recorded at upload, not reconstructed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    """What a file is to the dossier."""

    COMPONENT = "component", _("Application component")
    SCAN = "scan", _("Scan of a paper document")
    SUPPLEMENT = "supplement", _("Supplementary document")
    RESULT = "result", _("Result document")
    GENERATED_FORM = "generated_form", _("Generated form")


class ScanStatus(models.TextChoices):
    """Whether a virus scanner looked at the file (an infected file is refused, never stored)."""

    CLEAN = "clean", _("Scanned, clean")
    NOT_SCANNED = "not_scanned", _("Not scanned (no scanner on this server)")


class SignatureStatus(models.TextChoices):
    """What the digital signature check of a stored result found (docs/documents.md, signatures).

    Only results are checked; an empty value means the file was not checked (other kinds, or a
    result stored before signing existed).
    """

    VALID = "valid", _("Digitally signed, signature valid")
    UNTRUSTED = "untrusted", _("Digitally signed, certificate not trusted")
    INVALID = "invalid", _("Digital signature not valid")
    UNSIGNED = "unsigned", _("PDF without a digital signature")
    NOT_PDF = "not_pdf", _("Not a PDF: carries no digital signature")


class Attachment(models.Model):
    """One stored file of a dossier (append-only; a replacement is a new row)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("kind of file"), max_length=20, choices=AttachmentKind.choices)
    requirement = models.ForeignKey(
        "catalog.DocumentRequirement",
        verbose_name=_("required document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The catalogue's dossier component this file satisfies, if any."),
    )
    name = models.CharField(_("name"), max_length=300)
    result_code = models.CharField(
        _("result code"),
        max_length=80,
        blank=True,
        help_text=_("Electronic result code <dossier code>-KQn (results only)."),
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    storage_name = models.CharField(_("stored object"), max_length=500, unique=True)
    scan_status = models.CharField(_("virus scan"), max_length=20, choices=ScanStatus.choices)
    scanner = models.CharField(_("scanned by"), max_length=100, blank=True)
    # National sync flags (forms-and-codes.md §10).
    digitised = models.BooleanField(_("digitised"), default=False)  # DuocSoHoa
    reused = models.BooleanField(_("reused"), default=False)  # DuocTaiSuDung
    from_national_store = models.BooleanField(  # DuocLayTuKhoDMQG
        _("taken from the national data store"), default=False
    )
    # The signature check of a result, made when it was stored (documents.signing); the report
    # lists each signature: signer, organisation, issuer, time, intact, trusted, coverage.
    signature_status = models.CharField(
        _("digital signature"),
        max_length=20,
        choices=SignatureStatus.choices,
        blank=True,
        help_text=_("Checked when a result is stored; empty: not checked."),
    )
    signature_report = models.JSONField(_("signature report"), default=dict, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["dossier", "uploaded_at", "id"]
        indexes = [models.Index(fields=["dossier", "kind"], name="attachment_dossier_kind")]

    def __str__(self) -> str:
        return f"{self.name} ({self.original_name})"
