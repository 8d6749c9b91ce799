"""Fee receipts (*biên lai thu phí, lệ phí*) through a provider adapter (integrations.md §6).

``ReceiptProvider`` is what MotCua uses: issue a receipt for a paid amount, cancel one, replace one
(a new receipt that names the one it replaces). In production receipts are e-receipts of a
commercial e-invoice provider (Viettel and others), each with its own vendor API — none is
available to this project, so the only implementation is ``LocalReceiptProvider``: it numbers
receipts itself (sequential per form number and series, under a row lock, so two payments never
get the same number) and renders the PDF through a renderer it is given (``dossiers.receipts``
passes the official-forms machinery). Its form number and series are placeholders: the legal
template of e-receipts was not obtained (integrations.md §6, "Unknown").

What is stored (``integrations.FeeReceipt``) is decided by ``dossiers.receipts``; this module only
talks to the provider and keeps the numbering of the local one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from django.db import transaction

from motcua.core import clock
from motcua.integrations.models import ReceiptCounter

VN_TZ = dt.timezone(dt.timedelta(hours=7), "Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class FeeLine:
    """One fee or charge on a receipt."""

    name: str
    amount: int  # VND


@dataclass(frozen=True)
class ReceiptRef:
    """How a provider identifies a receipt it issued."""

    form_number: str
    series: str
    number: int
    provider_ref: str = ""

    @property
    def number_text(self) -> str:
        return f"{self.number:07d}"


@dataclass(frozen=True)
class ReceiptRequest:
    """What a receipt must say: who paid what, for which dossier, to which collecting unit."""

    dossier_code: str
    code_label: str  # "Mã hồ sơ" or "Mã số nộp hồ sơ trực tuyến"
    payer_name: str
    payer_address: str
    payer_identifier: str  # masked (never a full ID number on paper)
    lines: tuple[FeeLine, ...]
    collector_superior: str
    collector: str
    place: str
    paid_at: dt.datetime
    payment_method: str
    payment_reference: str
    procedure_code: str = ""

    @property
    def amount(self) -> int:
        return sum(line.amount for line in self.lines)


@dataclass(frozen=True)
class ReceiptDocument:
    """A numbered receipt, ready to print (what a local renderer receives)."""

    ref: ReceiptRef
    request: ReceiptRequest
    issued_at: dt.datetime
    provider_label: str
    replaces: ReceiptRef | None = None


@dataclass(frozen=True)
class IssuedReceipt:
    """What the provider answered: the receipt's identity, time and file."""

    ref: ReceiptRef
    issued_at: dt.datetime
    pdf: bytes = field(repr=False)


class ReceiptProvider(Protocol):
    """An e-receipt provider as MotCua sees it (the local one; later a vendor's API)."""

    name: str

    def issue(self, request: ReceiptRequest) -> IssuedReceipt:
        """Issue a receipt for ``request`` (numbered by the provider)."""
        ...

    def cancel(self, ref: ReceiptRef, reason: str) -> None:
        """Cancel an issued receipt (its number is not reused)."""
        ...

    def replace(self, ref: ReceiptRef, request: ReceiptRequest, reason: str) -> IssuedReceipt:
        """Issue a new receipt that replaces ``ref`` (which the provider marks as replaced)."""
        ...


Renderer = Callable[[ReceiptDocument], bytes]

#: Placeholders until the legal template of e-receipts is known (integrations.md §6).
LOCAL_FORM_NUMBER = "01BLP0-001"
LOCAL_SERIES_PREFIX = "MC"


def local_series(at: dt.datetime) -> str:
    """``MC26E``: the local provider's series, one per calendar year (E: electronic)."""
    return f"{LOCAL_SERIES_PREFIX}{at.astimezone(VN_TZ).year % 100:02d}E"


class LocalReceiptProvider:
    """Receipts numbered and printed by MotCua itself (development, tests, the demo)."""

    name = "local"
    label = "MotCua (biên lai cục bộ, thử nghiệm)"

    def __init__(self, render: Renderer, *, form_number: str = LOCAL_FORM_NUMBER) -> None:
        self.render = render
        self.form_number = form_number

    def _next_ref(self, at: dt.datetime) -> ReceiptRef:
        """The next number of the year's series: the counter row is locked until the caller's
        transaction ends, so concurrent issues are serialised and numbers never repeat."""
        series = local_series(at)
        with transaction.atomic():
            ReceiptCounter.objects.get_or_create(
                provider=self.name, form_number=self.form_number, series=series
            )
            counter = ReceiptCounter.objects.select_for_update().get(
                provider=self.name, form_number=self.form_number, series=series
            )
            counter.last_number += 1
            counter.save(update_fields=["last_number"])
            return ReceiptRef(self.form_number, series, counter.last_number)

    def _issue(self, request: ReceiptRequest, replaces: ReceiptRef | None) -> IssuedReceipt:
        at = clock.now()
        ref = self._next_ref(at)
        document = ReceiptDocument(ref, request, at, self.label, replaces)
        return IssuedReceipt(ref=ref, issued_at=at, pdf=self.render(document))

    def issue(self, request: ReceiptRequest) -> IssuedReceipt:
        return self._issue(request, None)

    def cancel(self, ref: ReceiptRef, reason: str) -> None:
        """Nothing to tell anyone: the record of the cancellation is MotCua's own."""

    def replace(self, ref: ReceiptRef, request: ReceiptRequest, reason: str) -> IssuedReceipt:
        return self._issue(request, ref)


# --- Amounts in Vietnamese words ("Số tiền bằng chữ") ------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", " nghìn", " triệu", " tỷ", " nghìn tỷ", " triệu tỷ", " tỷ tỷ")


def _three(number: int, full: bool) -> str:
    """Words for 0–999; ``full``: a group after a higher one (keeps "không trăm", "linh")."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens > 1:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    elif units:
        if hundreds or full:
            words.append("linh")
        words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """``7000`` → ``Bảy nghìn đồng`` (below 10^21 đồng)."""
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    value = amount
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        parts.append(_three(group, full=index < len(groups) - 1) + _GROUPS[index])
    text = " ".join(parts)
    return f"{text[0].upper()}{text[1:]} đồng"
