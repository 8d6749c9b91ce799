"""What a file really is: content sniffing against an allow-list, and safe names (pure rules).

The type comes from the bytes (``filetype`` reads the magic numbers of the first 8 KiB), never
from the file name or the browser's claim: a ``.pdf`` that is really a Windows program is refused.

Allow-list (docs/documents.md):

- every kind of attachment: PDF, JPEG, PNG, TIFF, WEBP — what scanners, phones and the national
  e-dossier formats produce;
- application components only, additionally DOCX, XLSX and ODT: many declaration forms
  (*tờ khai*) in the national catalogue are published as office files that applicants fill in.
  Macro-enabled formats (DOCM, XLSM), legacy binary Office files (DOC, XLS) and archives are not
  accepted. Results, scans and generated forms must be PDF or images (a result is a signed PDF,
  NĐ 45/2020 Art 14.3, secondary source).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import filetype

from motcua.documents.models import AttachmentKind

#: Bytes read to sniff a type (filetype's own window).
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    """An accepted content type and the extension objects of that type are stored with."""

    mime: str
    extension: str
    label: str


_IMAGES_AND_PDF = (
    FileType("application/pdf", "pdf", "PDF"),
    FileType("image/jpeg", "jpg", "JPEG"),
    FileType("image/png", "png", "PNG"),
    FileType("image/tiff", "tif", "TIFF"),
    FileType("image/webp", "webp", "WEBP"),
)
_OFFICE = (
    FileType(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX"
    ),
    FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX"),
    FileType("application/vnd.oasis.opendocument.text", "odt", "ODT"),
)

#: The allow-list per kind of attachment.
ALLOWED: dict[AttachmentKind, tuple[FileType, ...]] = {
    AttachmentKind.COMPONENT: _IMAGES_AND_PDF + _OFFICE,
    AttachmentKind.SCAN: _IMAGES_AND_PDF,
    AttachmentKind.SUPPLEMENT: _IMAGES_AND_PDF,
    AttachmentKind.RESULT: _IMAGES_AND_PDF,
    AttachmentKind.GENERATED_FORM: (_IMAGES_AND_PDF[0],),
}


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes of a file reveal, or None when unknown."""
    kind = filetype.guess(head[:SNIFF_BYTES])
    return None if kind is None else str(kind.mime)


def accepted_type(head: bytes, kind: AttachmentKind) -> tuple[FileType | None, str | None]:
    """(the accepted type, None) or (None, what was detected — None when unrecognisable)."""
    detected = sniff(head)
    for candidate in ALLOWED[kind]:
        if candidate.mime == detected:
            return candidate, detected
    return None, detected


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*]+")
MAX_NAME = 200


def safe_file_name(name: str) -> str:
    """A file name fit to show and to offer on download: NFC, no folders, no control or
    reserved characters, no leading dots, at most 200 characters (extension kept)."""
    name = unicodedata.normalize("NFC", name or "")
    # Browsers on Windows send "C:\\fakepath\\x.pdf"; keep the last component of either style.
    name = PureWindowsPath(PurePosixPath(name).name).name
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_NAME]
    return name or "tep-tin"
