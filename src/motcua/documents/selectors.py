"""Reads of attachments (no scope here: ``dossiers.attachments`` checks who may see a dossier)."""

from __future__ import annotations

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet

from motcua.documents.models import Attachment


def attachments_of(dossier_id: int, *, include_replaced: bool = False) -> QuerySet[Attachment]:
    """A dossier's files, oldest first; by default without those a newer file replaced."""
    found = Attachment.objects.filter(dossier_id=dossier_id).select_related(
        "requirement", "uploaded_by"
    )
    if not include_replaced:
        found = found.filter(replaced_by__isnull=True)
    return found.order_by("uploaded_at", "id")


def open_attachment(attachment: Attachment) -> File:  # type: ignore[type-arg]
    """The stored bytes of ``attachment``, opened for reading (local folder or S3)."""
    return default_storage.open(attachment.storage_name, "rb")
