"""Storing dossier files: size, type (sniffed), signature of results, checksum, virus scan,
append-only object names.

``store_attachment`` is the one way a file enters MotCua. It does not know who may attach what to
which dossier, nor the catalogue — ``dossiers.attachments`` checks the dossier's scope and state and
that a named requirement belongs to the dossier's procedure, then calls it.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.documents.files import ALLOWED, SNIFF_BYTES, accepted_type, safe_file_name, sniff
from motcua.documents.models import Attachment, AttachmentKind, ScanStatus
from motcua.documents.scanning import Scanner, ScannerUnavailable, configured_scanner
from motcua.documents.signing import (
    ResultSigner,
    SignatureReport,
    SigningUnavailable,
    UnsignablePdf,
    configured_signer,
    seal_result,
)
from motcua.organizations.models import Agency

MB = 1024 * 1024
logger = logging.getLogger(__name__)


def _megabytes(size: int) -> str:
    return f"{size / MB:.1f}".replace(".", ",")


def _chunks(upload: File) -> Iterator[bytes]:  # type: ignore[type-arg]
    upload.seek(0)
    for chunk in upload.chunks():
        yield bytes(chunk)


def _check_size(uploaded_file: File, shown: str) -> None:  # type: ignore[type-arg]
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
    sign_as: Agency | None = None,
    signature_reason: str = "",
    signer: ResultSigner | Literal["auto"] = "auto",
) -> Attachment:
    """Check and store one file of a dossier; returns the new (immutable) attachment row.

    Refuses, with a translated ``DomainError`` and nothing stored: an empty file, a file over
    ``MOTCUA_MAX_UPLOAD_MB``, a type outside the allow-list for ``kind`` (sniffed from the bytes),
    a file the virus scanner flags, and any upload while a present scanner fails to answer.
    Without a scanner on the server the file is stored marked ``not_scanned``.

    A result (``kind=result``) that is a PDF without signatures is signed for ``sign_as`` (the
    competent agency) before it is stored — the stored object, its size and checksum are the
    signed bytes; a PDF already signed is stored as it is; every result keeps the report of its
    signature check (``signature_status``, ``signature_report``). A result PDF that cannot be
    read, or an agency certificate that cannot be used, refuses the upload.
    """
    kind = AttachmentKind(kind)
    shown = safe_file_name(uploaded_file.name or "")
    _check_size(uploaded_file, shown)

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

    signature: SignatureReport | None = None
    if kind == AttachmentKind.RESULT:
        uploaded_file, signature = _sealed(
            uploaded_file,
            shown=shown,
            is_pdf=file_type.mime == "application/pdf",
            agency=sign_as,
            reason=signature_reason,
            signer=configured_signer() if signer == "auto" else signer,
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
    try:
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
            signature_status=signature.status if signature else "",
            signature_report=signature.as_dict() if signature else {},
        )
    except Exception:
        # No row, so no object either: nothing refers to it (the append-only rule is about
        # objects that rows point at), and a row is never written without its stored file.
        default_storage.delete(stored)
        raise


def store_attachments(
    dossier_id: int,
    uploaded_files: Iterable[File],  # type: ignore[type-arg]
    *,
    kind: AttachmentKind,
    name: str,
    user: User | None,
) -> list[Attachment]:
    """Check and store several files of a dossier, all or none (``store_attachment`` for each).

    When one is refused, the error is raised and those already stored are undone: their rows
    (a savepoint) and their objects, which nothing refers to then.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for uploaded_file in uploaded_files:
                stored.append(
                    store_attachment(dossier_id, uploaded_file, kind=kind, name=name, user=user)
                )
    except BaseException:
        discard_objects(stored)
        raise
    return stored


def discard_objects(attachments: Iterable[Attachment]) -> None:
    """Delete the stored objects of attachments whose rows were rolled back (nothing refers to
    them any more); a failing delete is logged, not raised over the error being handled."""
    for attachment in attachments:
        try:
            default_storage.delete(attachment.storage_name)
        except Exception:  # noqa: BLE001 - cleanup must not hide the original error
            logger.warning("could not delete orphaned object %s", attachment.storage_name)


def _sealed(
    uploaded_file: File,  # type: ignore[type-arg]
    *,
    shown: str,
    is_pdf: bool,
    agency: Agency | None,
    reason: str,
    signer: ResultSigner,
) -> tuple[File, SignatureReport]:  # type: ignore[type-arg]
    """The result's bytes to store (signed when they can and should be) and their report."""
    uploaded_file.seek(0)
    original = bytes(uploaded_file.read())
    try:
        data, report = seal_result(
            original, is_pdf=is_pdf, agency=agency, reason=reason, signer=signer
        )
    except UnsignablePdf as error:
        raise DomainError(
            "result_pdf_unreadable",
            _(
                "“%(name)s” cannot be read as a PDF (it is damaged or protected by a password), "
                "so it cannot be signed. Export the result to PDF again."
            ),
            {"name": shown},
        ) from error
    except SigningUnavailable as error:
        logger.error("signing a result for %s failed: %s", agency, error)
        raise DomainError(
            "signing_unavailable",
            _(
                "The agency's signing certificate cannot be used, so the result was not "
                "stored. Tell the administrator."
            ),
        ) from error
    if data is original:
        uploaded_file.seek(0)
        return uploaded_file, report
    return ContentFile(data, name=uploaded_file.name), report


@dataclass(frozen=True)
class ResultCheck:
    """What checking a PDF someone holds showed: its signatures, and whether MotCua stored
    exactly these bytes as a result (then its e-result code and when)."""

    name: str
    sha256: str
    report: SignatureReport
    stored_as: Attachment | None


def check_result_file(
    uploaded_file: File,  # type: ignore[type-arg]
    *,
    signer: ResultSigner | Literal["auto"] = "auto",
) -> ResultCheck:
    """Check the digital signatures of a result PDF anyone uploads; nothing is stored.

    Refuses an empty file, one over ``MOTCUA_MAX_UPLOAD_MB`` and anything that is not a PDF
    (sniffed from the bytes). Signatures are checked against this installation's trusted roots.
    """
    shown = safe_file_name(uploaded_file.name or "")
    _check_size(uploaded_file, shown)
    uploaded_file.seek(0)
    data = bytes(uploaded_file.read())
    if sniff(data[:SNIFF_BYTES]) != "application/pdf":
        raise DomainError(
            "not_a_pdf",
            _("“%(name)s” is not a PDF file; results are checked as PDF."),
            {"name": shown},
        )
    active = configured_signer() if signer == "auto" else signer
    digest = hashlib.sha256(data).hexdigest()
    stored = (
        Attachment.objects.filter(kind=AttachmentKind.RESULT, sha256=digest)
        .order_by("uploaded_at", "id")
        .first()
    )
    return ResultCheck(shown, digest, active.verify_pdf(data), stored)
