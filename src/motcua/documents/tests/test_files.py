"""Content sniffing against the allow-list, and safe file names."""

from __future__ import annotations

import pytest

from motcua.documents.files import accepted_type, safe_file_name, sniff
from motcua.documents.models import AttachmentKind

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@pytest.mark.parametrize(
    ("head", "mime"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_types_come_from_the_bytes(head, mime):
    assert sniff(head) == mime


def test_a_windows_program_is_refused_whatever_its_name():
    accepted, detected = accepted_type(EXE, AttachmentKind.COMPONENT)
    assert accepted is None
    assert detected == "application/x-msdownload"


def test_plain_text_is_refused_as_unrecognised():
    assert accepted_type(b"hello, this is not a document", AttachmentKind.SCAN) == (None, None)


def test_generated_forms_are_pdf_only():
    assert accepted_type(PDF, AttachmentKind.GENERATED_FORM)[0] is not None
    assert accepted_type(PNG, AttachmentKind.GENERATED_FORM)[0] is None


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("C:\\fakepath\\Tờ khai.pdf", "Tờ khai.pdf"),
        ("../../etc/passwd", "passwd"),
        ("Giấy khai sinh\x00<script>.pdf", "Giấy khai sinh_script_.pdf"),
        ("...hidden.pdf", "hidden.pdf"),
        ("", "tep-tin"),
        ("To\u0301 khai.pdf", "Tó khai.pdf"),  # NFD in, NFC out
    ],
)
def test_names_are_sanitised(given, safe):
    assert safe_file_name(given) == safe


def test_long_names_keep_their_extension():
    name = safe_file_name("a" * 400 + ".pdf")
    assert len(name) == 200
    assert name.endswith(".pdf")
