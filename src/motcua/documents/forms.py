"""Official forms as PDF: templates + a plain context → HTML → PDF bytes (WeasyPrint).

Scope: the forms of TT 01/2018/TT-VPCP (Mẫu 01–06) and TT 03/2025/TT-VPCP (Mẫu 01–07), keyed by
**purpose + form set**, never by number alone ("Mẫu 05" is the control slip in 2018 and the stop
notice in 2025; forms-and-codes.md §1). The set is chosen by the document's issue date against
``MOTCUA_FORMS_2025_FROM`` (ADR 0012). This module knows nothing of dossiers: ``dossiers.printing``
builds the :class:`PrintedForm` (scope-checked) and calls :func:`render_form`.

- Printed forms are Vietnamese legal documents: their wording is Vietnamese in the templates
  (there is no English official form); only errors shown to users go through gettext.
- Fonts ship with MotCua (Tinos, metric-compatible with Times New Roman, full Vietnamese
  coverage; ``documents/fonts``) and are loaded by file URL: rendering needs no system fonts.
- QR codes (TT 01/2023, secondary source): a versioned payload behind :class:`QrFormatter`
  (MotCua default ``v1|<mã hồ sơ>|<mã TTHC>|<masked identifier>|<document name>``) and a second
  code with the public lookup URL. A full personal ID number is never printed.
- WeasyPrint needs Pango on the system. Without it :func:`render_form` raises a ``DomainError``
  (``pdf_unavailable``) instead of a traceback; :func:`pdf_available` tells operators at start.

Known limits: forms are not digitally signed yet (TT 01/2018 Art 10.3 asks for *ký số*; pyHanko
is the planned tool); the official layout of the 2025 stop notice was not retrieved (fields are
the domain notes' proposal); the consultation request (T21) and the transfer slip (T22) have no
model form in either set: MotCua's own layout, printed without a number.
"""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import models
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.core.errors import DomainError

HERE = Path(__file__).resolve().parent
FONT_DIR = HERE / "fonts"
STYLESHEET = HERE / "templates" / "documents" / "forms" / "forms.css"
FONT_FAMILY = "MotCua Serif"


class FormSet(models.TextChoices):
    """A legally defined set of model forms, in force by issue date."""

    TT01_2018 = "tt01_2018", "TT 01/2018/TT-VPCP"
    TT03_2025 = "tt03_2025", "TT 03/2025/TT-VPCP"


class FormPurpose(models.TextChoices):
    """What a form is for (stable across form sets; the number is not)."""

    RECEIPT = "receipt", _("Receipt and appointment")
    COMPLETION_REQUEST = "completion_request", _("Request to complete (before reception)")
    SUPPLEMENT_REQUEST = "supplement_request", _("Request to supplement (during processing)")
    REFUSAL = "refusal", _("Refusal")
    APOLOGY = "apology", _("Apology and new appointment")
    STOP_NOTICE = "stop_notice", _("Notice of stopping processing")
    CONTROL_SLIP = "control_slip", _("Process control slip")
    REGISTER = "register", _("Dossier register")
    CONSULTATION_REQUEST = "consultation_request", _("Request for coordination or opinion")
    TRANSFER_SLIP = "transfer_slip", _("Transfer slip to the competent agency")


class Paper(StrEnum):
    """Paper of a form (TT 01/2018 Art 9.2: A5 for the slips, A4 for the register)."""

    A5 = "a5"
    A4_LANDSCAPE = "a4-landscape"


@dataclass(frozen=True)
class FormSpec:
    """One model form of one set: its number in that set, official title and paper."""

    number: str | None  # None: the set has no model form for this purpose
    title: str
    paper: Paper
    template: str  # template name under documents/forms/ (a set may override it)


_RECEIPT = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
_REQUEST = "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"
_REFUSAL = "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"
_STOP = "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"
_SLIP = "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"
_REGISTER = "SỔ THEO DÕI HỒ SƠ"
# No model form in either set (forms-and-codes.md §1, §6): MotCua's own layout, in the look of the
# others, printed without a model number.
_CONSULT = "PHIẾU ĐỀ NGHỊ PHỐI HỢP, CHO Ý KIẾN GIẢI QUYẾT HỒ SƠ"
_TRANSFER = "PHIẾU CHUYỂN HỒ SƠ ĐẾN CƠ QUAN CÓ THẨM QUYỀN GIẢI QUYẾT"
S, P = FormSet, FormPurpose

#: Every form of every set (forms-and-codes.md §1). Titles of TT 03/2025: secondary source.
FORM_SPECS: Mapping[tuple[FormSet, FormPurpose], FormSpec] = {
    (S.TT01_2018, P.RECEIPT): FormSpec("01", _RECEIPT, Paper.A5, "receipt"),
    (S.TT01_2018, P.COMPLETION_REQUEST): FormSpec("02", _REQUEST, Paper.A5, "request"),
    (S.TT01_2018, P.SUPPLEMENT_REQUEST): FormSpec("02", _REQUEST, Paper.A5, "request"),
    (S.TT01_2018, P.REFUSAL): FormSpec("03", _REFUSAL, Paper.A5, "refusal"),
    (S.TT01_2018, P.APOLOGY): FormSpec(
        "04", "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ", Paper.A5, "apology"
    ),
    # TT 01/2018 has no stop notice; MotCua prints the same notice without a model number.
    (S.TT01_2018, P.STOP_NOTICE): FormSpec(None, _STOP, Paper.A5, "stop_notice"),
    (S.TT01_2018, P.CONTROL_SLIP): FormSpec("05", _SLIP, Paper.A5, "control_slip"),
    (S.TT01_2018, P.REGISTER): FormSpec("06", _REGISTER, Paper.A4_LANDSCAPE, "register"),
    (S.TT03_2025, P.RECEIPT): FormSpec("01", _RECEIPT, Paper.A5, "receipt"),
    (S.TT03_2025, P.COMPLETION_REQUEST): FormSpec("02", _REQUEST, Paper.A5, "request"),
    (S.TT03_2025, P.SUPPLEMENT_REQUEST): FormSpec("02", _REQUEST, Paper.A5, "request"),
    (S.TT03_2025, P.REFUSAL): FormSpec("03", _REFUSAL, Paper.A5, "refusal"),
    (S.TT03_2025, P.APOLOGY): FormSpec(
        "04",
        "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
        Paper.A5,
        "apology",
    ),
    (S.TT03_2025, P.STOP_NOTICE): FormSpec("05", _STOP, Paper.A5, "stop_notice"),
    (S.TT03_2025, P.CONTROL_SLIP): FormSpec("06", _SLIP, Paper.A5, "control_slip"),
    (S.TT03_2025, P.REGISTER): FormSpec("07", _REGISTER, Paper.A4_LANDSCAPE, "register"),
    # Consultation (T21, NĐ 61/2018 Art 19.5) and transfer to the competent agency (T22, Art 18):
    # the law names the content (task, deadline; the hand-over), not a model form.
    (S.TT01_2018, P.CONSULTATION_REQUEST): FormSpec(None, _CONSULT, Paper.A5, "consultation"),
    (S.TT03_2025, P.CONSULTATION_REQUEST): FormSpec(None, _CONSULT, Paper.A5, "consultation"),
    (S.TT01_2018, P.TRANSFER_SLIP): FormSpec(None, _TRANSFER, Paper.A5, "transfer_slip"),
    (S.TT03_2025, P.TRANSFER_SLIP): FormSpec(None, _TRANSFER, Paper.A5, "transfer_slip"),
}

#: Form sets in force, by the first issue date each applies to (oldest first).
_DEFAULT_2025_FROM = dt.date(2025, 9, 15)  # TT 03/2025 issue date; effective date not found


def form_set_for(issued_on: dt.date, switch_over: dt.date | None = None) -> FormSet:
    """The form set for a document issued on ``issued_on`` (ADR 0012)."""
    switch: dt.date = (
        switch_over
        if switch_over is not None
        else getattr(settings, "MOTCUA_FORMS_2025_FROM", _DEFAULT_2025_FROM)
    )
    return FormSet.TT03_2025 if issued_on >= switch else FormSet.TT01_2018


def spec_for(purpose: FormPurpose, form_set: FormSet) -> FormSpec:
    """The model form for ``purpose`` in ``form_set``."""
    return FORM_SPECS[(form_set, purpose)]


# --- QR codes (forms-and-codes.md §4) ----------------------------------------------------------


def mask_identifier(value: str) -> str:
    """A personal identifier with its middle hidden: ``079123456789`` → ``079******789``.

    Pending the official format, a full ID number is never printed (MotCua default)."""
    value = "".join(value.split())
    if not value:
        return ""
    if len(value) <= 4:
        return "*" * len(value)
    keep = 3 if len(value) >= 9 else 1
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


@dataclass(frozen=True)
class QrSubject:
    """What the QR code of a printed paper identifies."""

    dossier_code: str
    procedure_code: str
    identifier: str  # the applicant's identifier, as stored (masked by the formatter)
    document_name: str


class QrFormatter(Protocol):
    """Turns a subject into the QR payload (the national encoding is unknown; §4)."""

    def __call__(self, subject: QrSubject) -> str: ...


def _field(value: str) -> str:
    """One payload field: NFC, one line, no separator inside."""
    text = unicodedata.normalize("NFC", value)
    return " ".join(text.replace("|", "/").split())


def qr_payload_v1(subject: QrSubject) -> str:
    """``v1|<mã hồ sơ>|<mã TTHC>|<masked identifier>|<document name>`` (MotCua default)."""
    return "|".join(
        [
            "v1",
            _field(subject.dossier_code),
            _field(subject.procedure_code),
            _field(mask_identifier(subject.identifier)),
            _field(subject.document_name),
        ]
    )


QR_FORMATTER: QrFormatter = qr_payload_v1


def lookup_url(code: str) -> str:
    """The public lookup page for a dossier code (the portal's ``/tra-cuu/``)."""
    return f"{str(settings.MOTCUA_SITE_URL).rstrip('/')}/tra-cuu/?{urlencode({'ma': code})}"


def qr_data_uri(payload: str) -> str:
    """An SVG data URI of a QR code (error correction M, UTF-8 for Vietnamese)."""
    code = segno.make(payload, error="m", micro=False, encoding="utf-8")
    return str(code.svg_data_uri(scale=4, border=0, omitsize=True))


# --- Official text helpers (NĐ 30/2020 conventions) --------------------------------------------


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(VN_TZ)
    return value


def long_date(value: dt.date | dt.datetime | None) -> str:
    """``ngày 05 tháng 02 năm 2026`` / ``ngày 12 tháng 3 năm 2026``: NĐ 30/2020 writes a 0 before
    days below 10 and before months 1 and 2 only. Blanks to fill in by hand when unknown."""
    if not isinstance(value, dt.date):
        return "ngày … tháng … năm …"
    day = _local(value)
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def clock_time(value: dt.datetime | None) -> str:
    """``09 giờ 30 phút, ngày 02 tháng 3 năm 2026`` (the forms' way of writing an instant)."""
    if not isinstance(value, dt.datetime):
        return "… giờ … phút, ngày … tháng … năm …"
    local = value.astimezone(VN_TZ)
    return f"{local:%H} giờ {local:%M} phút, {long_date(local)}"


def short_date(value: dt.date | dt.datetime | None) -> str:
    """``02/03/2026`` (tables)."""
    return "" if not isinstance(value, dt.date) else f"{_local(value):%d/%m/%Y}"


def short_datetime(value: dt.datetime | None) -> str:
    """``09:30 02/03/2026`` (tables)."""
    return "" if not isinstance(value, dt.datetime) else f"{value.astimezone(VN_TZ):%H:%M %d/%m/%Y}"


# --- The document ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """Top-left block: the superior body, the issuing unit and the place for the date line."""

    superior: str
    unit: str
    place: str


@dataclass(frozen=True)
class PrintedForm:
    """Everything one printed form shows (built by ``dossiers.printing``)."""

    purpose: FormPurpose
    issued_on: dt.date
    letterhead: Letterhead
    data: Mapping[str, Any]
    qr: QrSubject | None = None
    form_set: FormSet | None = None  # None: chosen by ``issued_on``
    number_line: bool = False  # "Số: …" under the unit (letters and notices)
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def chosen_set(self) -> FormSet:
        return self.form_set or form_set_for(self.issued_on)

    @property
    def spec(self) -> FormSpec:
        return spec_for(self.purpose, self.chosen_set)


def template_names(form_set: FormSet, spec: FormSpec) -> list[str]:
    """A set's own template first, then the shared one (how a new set overrides a layout)."""
    return [
        f"documents/forms/{form_set.value}/{spec.template}.html",
        f"documents/forms/{spec.template}.html",
    ]


def form_context(form: PrintedForm) -> dict[str, Any]:
    """The template context of ``form`` (public for tests: what the PDF will say)."""
    spec = form.spec
    context: dict[str, Any] = {
        "form": form,
        "spec": spec,
        "form_set": form.chosen_set,
        "circular": form.chosen_set.label,
        "letterhead": form.letterhead,
        "issued_on": form.issued_on,
        "d": form.data,
        "paper": spec.paper.value,
    }
    if form.qr is not None:
        payload = QR_FORMATTER(form.qr)
        url = lookup_url(form.qr.dossier_code)
        context |= {
            "qr_payload": payload,
            "qr_payload_image": qr_data_uri(payload),
            "lookup_url": url,
            "qr_lookup_image": qr_data_uri(url),
        }
    return context


def form_html(form: PrintedForm) -> str:
    """The form as an HTML document (NFC throughout)."""
    spec = form.spec
    with translation.override("vi"):
        html = render_to_string(template_names(form.chosen_set, spec), form_context(form))
    return unicodedata.normalize("NFC", html)


# --- PDF ---------------------------------------------------------------------------------------


def _pdf_unavailable() -> DomainError:
    return DomainError(
        "pdf_unavailable", _("PDF rendering is not available on this server (install Pango).")
    )


@functools.cache
def _engine() -> tuple[Any, Any, list[Any]]:
    """WeasyPrint's HTML class, a font configuration with MotCua's fonts, and the stylesheets —
    built once per process (loading fonts is the slow part of a render)."""
    # Imported here, not at module import: WeasyPrint loads Pango through ctypes and fails with
    # OSError on a server without it; the rest of MotCua must still start (ADR 0012).
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    faces = []
    for weight, style, file in (
        (400, "normal", "Tinos-Regular.ttf"),
        (700, "normal", "Tinos-Bold.ttf"),
        (400, "italic", "Tinos-Italic.ttf"),
        (700, "italic", "Tinos-BoldItalic.ttf"),
    ):
        faces.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; font-weight: {weight}; "
            f"font-style: {style}; src: url('{(FONT_DIR / file).as_uri()}'); }}"
        )
    sheets = [
        CSS(string="\n".join(faces), font_config=fonts),
        CSS(filename=str(STYLESHEET), font_config=fonts),
    ]
    return HTML, fonts, sheets


# Drop the cached fonts before interpreter shutdown (WeasyPrint's finaliser needs its modules).
atexit.register(_engine.cache_clear)


def pdf_available() -> bool:
    """Whether this server can render PDFs (WeasyPrint and Pango are loadable)."""
    try:
        _engine()
    except (OSError, ImportError):
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    """Render an HTML document of ``documents/forms`` to PDF bytes."""
    try:
        html_class, fonts, sheets = _engine()
    except (OSError, ImportError) as error:
        raise _pdf_unavailable() from error
    document = html_class(string=html, base_url=str(HERE))
    pdf = document.write_pdf(stylesheets=sheets, font_config=fonts)
    assert isinstance(pdf, bytes)
    return pdf


def render_form(form: PrintedForm) -> bytes:
    """The PDF of ``form``."""
    return html_to_pdf(form_html(form))


def file_name(form: PrintedForm, code: str) -> str:
    """``<code>-<purpose>.pdf`` (ASCII, safe in any download header)."""
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in code) or "ho-so"
    return f"{safe}-{form.purpose.value.replace('_', '-')}.pdf"
