"""Dossier attachments: upload (multipart), list, download (streamed). Thin: parse → one
scope-checked call in ``dossiers.attachments`` → serialise. Outside scope: 404.

Mounted by ``api.urls`` next to the dossier endpoints (paths ``/dossiers/{id}/attachments``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import Field

from motcua.api.auth import AUTH, acting_user
from motcua.documents.models import Attachment, AttachmentKind
from motcua.dossiers import attachments
from motcua.dossiers.services import NotFound

router = Router(tags=["attachments"], auth=AUTH)

READ, WRITE = "dossiers:read", "dossiers:write"


class SignatureOut(Schema):
    field: str = Field(description="The PDF signature field.")
    signer: str = Field(description="The certificate's common name: the agency that signed.")
    organisation: str = Field(description="The certificate's organisation (O).")
    issuer: str = Field(description="The certification authority that issued the certificate.")
    serial: str = Field(description="The certificate's serial number (hex).")
    signed_at: dt.datetime | None = Field(
        description="Signing time as the signer states it (no time-stamp authority)."
    )
    intact: bool = Field(description="The signed bytes are unchanged and the signature is right.")
    trusted: bool = Field(description="The certificate chains to a trusted root.")
    whole_document: bool = Field(description="Nothing but signatures was added after it.")
    reason: str
    demo: bool = Field(description="Issued by the MotCua demo CA: no legal value.")
    valid: bool = Field(description="intact, trusted and covering the whole document.")


class SignatureReportOut(Schema):
    status: str = Field(description="valid | untrusted | invalid | unsigned | not_pdf")
    applied: bool = Field(description="MotCua signed the file when storing it.")
    checked_at: dt.datetime | None
    signatures: list[SignatureOut]


class AttachmentOut(Schema):
    id: int
    dossier_id: int
    kind: str
    name: str
    requirement_id: int | None
    result_code: str
    original_name: str
    content_type: str = Field(description="Sniffed from the bytes, not the file name.")
    size: int
    sha256: str
    scan_status: str = Field(description="`clean` or `not_scanned` (no scanner on the server).")
    digitised: bool
    reused: bool
    from_national_store: bool
    replaces_id: int | None
    uploaded_by: str | None
    uploaded_at: dt.datetime
    signature: SignatureReportOut | None = Field(
        description="Results: the check of the file's digital signatures when it was stored "
        "(PDF results are signed with the competent agency's certificate). Null: not checked."
    )


class UploadIn(Schema):
    """Form fields of an upload (multipart/form-data, the file in ``file``)."""

    kind: str = Field(
        AttachmentKind.COMPONENT.value,
        description="component | scan | supplement | result (with result_code)",
    )
    name: str = Field("", max_length=300)
    requirement_id: int | None = None
    result_code: str = Field("", description="For kind=result: the code <dossier code>-KQn.")
    digitised: bool | None = None
    reused: bool = False
    replaces_id: int | None = None


def _out(attachment: Attachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "dossier_id": attachment.dossier_id,
        "kind": attachment.kind,
        "name": attachment.name,
        "requirement_id": attachment.requirement_id,
        "result_code": attachment.result_code,
        "original_name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "scan_status": attachment.scan_status,
        "digitised": attachment.digitised,
        "reused": attachment.reused,
        "from_national_store": attachment.from_national_store,
        "replaces_id": attachment.replaces_id,
        "uploaded_by": attachment.uploaded_by.display_name if attachment.uploaded_by else None,
        "uploaded_at": attachment.uploaded_at,
        "signature": attachment.signature_report if attachment.signature_status else None,
    }


@router.post(
    "/dossiers/{dossier_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a file to a dossier",
)
def upload(
    request: HttpRequest,
    dossier_id: int,
    file: File[UploadedFile],
    data: Form[UploadIn],
) -> Status[dict[str, Any]]:
    """Store a file of the dossier. The type is sniffed from the content (PDF, JPEG, PNG, TIFF,
    WEBP; DOCX/XLSX/ODT for components); empty, oversized, disguised or infected files are
    refused (400 with a `code`). Result files need `kind=result` and their `result_code`; a PDF
    result without signatures is signed with the competent agency's certificate before it is
    stored, one already signed is kept as it is (`signature` reports the check)."""
    user = acting_user(request, WRITE)
    if data.kind == AttachmentKind.RESULT:
        stored = attachments.attach_result(
            user, dossier_id, file, result_code=data.result_code, name=data.name
        )
    else:
        stored = attachments.upload_attachment(
            user,
            dossier_id,
            file,
            kind=data.kind,
            name=data.name,
            requirement_id=data.requirement_id,
            digitised=data.digitised,
            reused=data.reused,
            replaces_id=data.replaces_id,
        )
    return Status(201, _out(stored))


@router.get(
    "/dossiers/{dossier_id}/attachments",
    response=list[AttachmentOut],
    summary="List a dossier's files",
)
def list_attachments(request: HttpRequest, dossier_id: int) -> list[dict[str, Any]]:
    """The dossier's current files (replaced ones are left out), oldest first."""
    user = acting_user(request, READ)
    return [_out(a) for a in attachments.dossier_attachments(user, dossier_id)]


@router.get(
    "/dossiers/{dossier_id}/attachments/{attachment_id}/content",
    summary="Download a file",
    response={200: None},
)
def download(request: HttpRequest, dossier_id: int, attachment_id: int) -> FileResponse:
    """The file's bytes, streamed, with its sniffed content type; 404 outside your scope."""
    user = acting_user(request, READ)
    attachment, handle = attachments.open_for_download(user, attachment_id)
    if attachment.dossier_id != dossier_id:
        handle.close()
        raise NotFound
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
