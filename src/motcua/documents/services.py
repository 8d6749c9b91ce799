"""Storing dossier files: size, type (sniffed), checksum, virus scan, append-only object names.

``store_attachment`` is the one way a file enters MotCua. It does not know who may attach what to
which dossier, nor the catalogue — ``dossiers.attachments`` checks the dossier's scope and state and
that a named requirement belongs to the dossier's procedure, then calls it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Literal

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.documents.files import ALLOWED, SNIFF_BYTES, accepted_type, safe_file_name
from motcua.documents.models import Attachment, AttachmentKind, ScanStatus
from motcua.documents.scanning import Scanner, ScannerUnavailable, configured_scanner

MB = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def _chunks(upload: File) -> Iterator[bytes]:  # type: ignore[type-arg]
    upload.seek(0)
    for chunk in upload.chunks():
        yield bytes(chunk)


def store_attachment(
    dossier_id: int,
    uploaded_file: File,  # type: ignore[type-arg]
    *,
    kind: AttachmentKind,
    name: str,
    requirement_id: int | None = None,
    user: User | None,
    digitised: bool = False,
    reused: bool = False,
    from_national_store: bool = False,
    result_code: str = "",
    replaces_id: int | None = None,
    scanner: Scanner | Literal["auto"] | None = "auto",
) -> Attachment:
    """Check and store one file of a dossier; returns the new (immutable) attachment row.

    Refuses, with a translated ``DomainError`` and nothing stored: an empty file, a file over
    ``MOTCUA_MAX_UPLOAD_MB``, a type outside the allow-list for ``kind`` (sniffed from the bytes),
    a file the virus scanner flags, and any upload while a present scanner fails to answer.
    Without a scanner on the server the file is stored marked ``not_scanned``.
    """
    kind = AttachmentKind(kind)
    shown = safe_file_name(uploaded_file.name or "")
    size = uploaded_file.size or 0
    if size <= 0:
        raise DomainError("empty_file", _("“%(name)s” is empty (0 bytes)."), {"name": shown})
    limit = int(settings.MOTCUA_MAX_UPLOAD_BYTES)
    if size > limit:
        raise DomainError(
            "file_too_large",
            _("“%(name)s” is %(size)s MB; files may be at most %(limit)s MB."),
            {"name": shown, "size": _megabytes(size), "limit": _megabytes(limit)},
        )

    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    file_type, detected = accepted_type(bytes(head), kind)
    if file_type is None:
        raise DomainError(
            "file_type_not_allowed",
            _(
                "“%(name)s” is not an accepted file (its content is %(detected)s). "
                "Accepted here: %(allowed)s."
            ),
            {
                "name": shown,
                "detected": detected or _("of an unrecognised type"),
                "allowed": ", ".join(t.label for t in ALLOWED[kind]),
            },
        )

    digest = hashlib.sha256()
    counted = 0
    for chunk in _chunks(uploaded_file):
        digest.update(chunk)
        counted += len(chunk)
    if counted == 0:
        raise DomainError("empty_file", _("“%(name)s” is empty (0 bytes)."), {"name": shown})
    sha256 = digest.hexdigest()

    active = configured_scanner() if scanner == "auto" else scanner
    scan_status, scanned_by = ScanStatus.NOT_SCANNED, ""
    if active is not None:
        try:
            verdict = active.scan(_chunks(uploaded_file))
        except ScannerUnavailable as error:
            raise DomainError(
                "scanner_unavailable",
                _("The virus scanner did not answer, so the file was not stored. Try again."),
            ) from error
        if not verdict.clean:
            raise DomainError(
                "file_infected",
                _("“%(name)s” was refused: the virus scanner found %(signature)s."),
                {"name": shown, "signature": verdict.signature or "malware"},
            )
        scan_status, scanned_by = ScanStatus.CLEAN, active.name

    # Never overwrite: content hash + random UUID, saved with the storage's no-overwrite rule.
    object_name = f"dossiers/{dossier_id}/{sha256}-{uuid.uuid4().hex}.{file_type.extension}"
    uploaded_file.seek(0)
    stored = default_storage.save(object_name, uploaded_file)
    label = nfc(name).strip() or shown
    return Attachment.objects.create(
        dossier_id=dossier_id,
        kind=kind,
        requirement_id=requirement_id,
        name=label[:300],
        result_code=result_code,
        original_name=shown,
        content_type=file_type.mime,
        size=counted,
        sha256=sha256,
        storage_name=stored,
        scan_status=scan_status,
        scanner=scanned_by,
        digitised=digitised,
        reused=reused,
        from_national_store=from_national_store,
        replaces_id=replaces_id,
        uploaded_by=user,
        uploaded_at=clock.now(),
    )
