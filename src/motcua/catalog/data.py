"""Procedure records as plain data: parse and validate an import record, and write one back.

The record format is the one of the National Database on Administrative Procedures as captured in
``shared/data/procedures-sample.json`` (English keys, Vietnamese values exactly as published; see
docs/catalog.md) plus MotCua's optional ``online_level``. ``parse_record`` turns one record into a
``ProcedureData`` — NFC-normalised, stripped, with the Vietnamese labels mapped to MotCua's
vocabularies — or a list of reasons why it cannot be imported. ``to_record`` is its inverse, and
``ProcedureData.digest`` fingerprints the canonical form, so "is this import a change?" is a string
comparison and an export re-imports as "unchanged".

Pure Python (no database): the importer, the exporter and the version services share it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from motcua.catalog.models import Channel, Level, OnlineLevel, TimeUnit
from motcua.core.text import fold, nfc

#: National TTHC code, e.g. 1.001193 (forms-and-codes.md §8, secondary source).
CODE_PATTERN = re.compile(r"\d\.\d{6}")

# Published Vietnamese labels ↔ MotCua values. Keys are folded (accent- and case-insensitive);
# MotCua's own values are accepted too, so an edited export still imports.
LEVEL_LABELS: dict[str, str] = {
    Level.PROVINCE: "Cấp tỉnh",
    Level.COMMUNE: "Cấp xã",
    Level.MINISTRY: "Cấp bộ",
    Level.OTHER: "Cơ quan khác",
}
CHANNEL_LABELS: dict[str, str] = {
    Channel.IN_PERSON: "Trực tiếp",
    Channel.ONLINE: "Trực tuyến",
    Channel.POSTAL: "Dịch vụ bưu chính",
}
# "Giờ" on the portal is read as working hours and "Ngày" as calendar days (the DVCQG unit list
# has working hours / working days / calendar days / months; secondary source, domain notes §1).
UNIT_LABELS: dict[str, str] = {
    TimeUnit.WORKING_DAYS: "Ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "Ngày",
    TimeUnit.WORKING_HOURS: "Giờ",
    TimeUnit.MONTHS: "Tháng",
    TimeUnit.SAME_DAY: "Trong ngày",
}
_EXTRA_UNIT_LABELS = {
    "ngày làm việc": TimeUnit.WORKING_DAYS,
    "giờ làm việc": TimeUnit.WORKING_HOURS,
    "ngày lịch": TimeUnit.CALENDAR_DAYS,
    "trong ngày": TimeUnit.SAME_DAY,
}
ONLINE_LEVEL_LABELS: dict[str, str] = {
    OnlineLevel.FULL: "Toàn trình",
    OnlineLevel.PARTIAL: "Một phần",
    OnlineLevel.INFORMATION: "Cung cấp thông tin",
    OnlineLevel.LEVEL_1: "Mức độ 1",
    OnlineLevel.LEVEL_2: "Mức độ 2",
    OnlineLevel.LEVEL_3: "Mức độ 3",
    OnlineLevel.LEVEL_4: "Mức độ 4",
}


def _lookup(labels: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    table = {fold(label): value for value, label in labels.items()}
    table.update({str(value): str(value) for value in labels})
    table.update({fold(label): str(value) for label, value in (extra or {}).items()})
    return table


_LEVELS = _lookup(LEVEL_LABELS)
_CHANNELS = _lookup(CHANNEL_LABELS)
_UNITS = _lookup(UNIT_LABELS, _EXTRA_UNIT_LABELS)
_ONLINE_LEVELS = _lookup(ONLINE_LEVEL_LABELS, {"dịch vụ công trực tuyến toàn trình": "full"})

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: Largest time limit / budget the database holds (DecimalField(10, 2)).
_MAX_AMOUNT = Decimal("99999999.99")


def clean_text(value: str) -> str:
    """NFC, Unix line ends, no control characters, no surrounding whitespace."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", nfc(value)).strip()


def canonical_amount(value: Decimal) -> Decimal:
    """One representation per number: 5 → Decimal('5'), 0.50 → Decimal('0.5')."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def amount_to_json(value: Decimal) -> int | float:
    """A JSON/Excel number for an amount (integers stay integers)."""
    return int(value) if value == value.to_integral_value() else float(value)


@dataclass(frozen=True)
class ChannelData:
    """One submission channel with its time limit and fee, as published."""

    channel: str
    amount: Decimal | None = None
    unit: str | None = None
    time_limit_text: str = ""
    fee_text: str = ""
    fee_amount: int | None = None
    fee_currency: str = ""
    fee_note: str = ""
    description: str = ""


@dataclass(frozen=True)
class DocumentData:
    """One document of the dossier with its quantities (bản chính / bản sao)."""

    name: str
    originals: int | None = None
    copies: int | None = None
    has_template_file: bool = False


@dataclass(frozen=True)
class DocumentGroupData:
    """A group of documents, named by its case ("Trường hợp …") when there is one."""

    case: str
    documents: tuple[DocumentData, ...]


@dataclass(frozen=True)
class LegalBasisData:
    """An instrument the procedure rests on: title and number (số ký hiệu)."""

    title: str
    number: str = ""


@dataclass(frozen=True)
class ResultData:
    """A result of the procedure, with its national result code (KQ.*) when given."""

    name: str
    code: str = ""


@dataclass(frozen=True)
class ProcedureData:
    """A procedure version's whole published content, canonical (comparable, hashable)."""

    code: str
    name: str
    field: str
    levels: tuple[str, ...]
    procedure_type: str = ""
    announcing_decision: str = ""
    applicants: tuple[str, ...] = ()
    competent_authority: str = ""
    implementing_agency: str = ""
    coordinating_agency: str = ""
    delegated_agency: str = ""
    receiving_place: str = ""
    channels: tuple[ChannelData, ...] = ()
    steps: str = ""
    document_groups: tuple[DocumentGroupData, ...] = ()
    conditions: str = ""
    legal_basis: tuple[LegalBasisData, ...] = ()
    results: tuple[ResultData, ...] = ()
    related_procedures_text: str = ""
    online_level: str | None = None
    source_list: str = ""
    source_url: str = ""

    def digest(self) -> str:
        """SHA-256 of the canonical record: equal content ⇔ equal digest."""
        text = json.dumps(to_record(self), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class RecordErrors:
    """Reasons collected while parsing one record."""

    reasons: list[str] = field(default_factory=list)

    def add(self, reason: str) -> None:
        self.reasons.append(reason)


# --- Parsing -------------------------------------------------------------------------------------


def _text(record: Mapping[str, Any], key: str, errors: RecordErrors) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        errors.add(f"{key}: expected text")
        return ""
    return clean_text(str(value))


def _list(record: Mapping[str, Any], key: str, errors: RecordErrors) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        errors.add(f"{key}: expected a list")
        return []
    return value


def _objects(record: Mapping[str, Any], key: str, errors: RecordErrors) -> list[Mapping[str, Any]]:
    items = _list(record, key, errors)
    if any(not isinstance(item, Mapping) for item in items):
        errors.add(f"{key}: expected a list of objects")
        return []
    return items


def _count(value: Any, where: str, errors: RecordErrors) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or value > 32767:
        errors.add(f"{where}: expected a whole number ≥ 0, got {value!r}")
        return None
    return value


def _amount(value: Any, where: str, errors: RecordErrors) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        errors.add(f"{where}: expected a number, got {value!r}")
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors.add(f"{where}: expected a number, got {value!r}")
        return None
    if not number.is_finite() or number < 0 or number > _MAX_AMOUNT:
        errors.add(f"{where}: out of range ({value!r})")
        return None
    if number != number.quantize(Decimal("0.01")):
        errors.add(f"{where}: at most two decimals ({value!r})")
        return None
    return canonical_amount(number)


def _vocabulary(
    value: Any, table: Mapping[str, str], what: str, errors: RecordErrors
) -> str | None:
    if not isinstance(value, str) or not value.strip():
        errors.add(f"{what}: expected text, got {value!r}")
        return None
    found = table.get(fold(value)) or table.get(value.strip())
    if found is None:
        errors.add(f"unknown {what} {clean_text(value)!r}")
    return found


def _channel(item: Mapping[str, Any], number: int, errors: RecordErrors) -> ChannelData | None:
    where = f"submission_channels[{number}]"
    channel = _vocabulary(item.get("channel"), _CHANNELS, "channel", errors)
    amount: Decimal | None = None
    unit: str | None = None
    limit = item.get("time_limit")
    if isinstance(limit, Mapping):
        amount = _amount(limit.get("value"), f"{where}.time_limit.value", errors)
        raw_unit = limit.get("unit")
        if raw_unit not in (None, ""):
            unit = _vocabulary(raw_unit, _UNITS, "time-limit unit", errors)
            if amount is None and unit not in (None, TimeUnit.SAME_DAY):
                errors.add(f"{where}: time-limit unit without a value")
    elif limit is not None:
        errors.add(f"{where}.time_limit: expected an object {{value, unit}}")
    fee_amount = _count_money(item.get("fee_amount"), f"{where}.fee_amount", errors)
    currency = _text(item, "currency", errors).upper()
    if fee_amount is not None and not currency:
        currency = "VND"
    if currency and (len(currency) != 3 or not currency.isalpha()):
        errors.add(f"{where}.currency: expected a 3-letter code, got {currency!r}")
    if channel is None:
        return None
    return ChannelData(
        channel=channel,
        amount=amount,
        unit=unit,
        time_limit_text=_text(item, "time_limit_text", errors),
        fee_text=_text(item, "fee", errors),
        fee_amount=fee_amount,
        fee_currency=currency,
        fee_note=_text(item, "fee_note", errors),
        description=_text(item, "description", errors),
    )


def _count_money(value: Any, where: str, errors: RecordErrors) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.add(f"{where}: expected a whole amount ≥ 0, got {value!r}")
        return None
    return value


def _document_groups(record: Mapping[str, Any], errors: RecordErrors) -> list[DocumentGroupData]:
    groups = []
    for number, group in enumerate(_objects(record, "document_groups", errors)):
        documents = []
        for index, doc in enumerate(_objects(group, "documents", errors)):
            where = f"document_groups[{number}].documents[{index}]"
            name = _text(doc, "name", errors)
            if not name:
                errors.add(f"{where}: missing name")
                continue
            documents.append(
                DocumentData(
                    name=name,
                    originals=_count(doc.get("originals"), f"{where}.originals", errors),
                    copies=_count(doc.get("copies"), f"{where}.copies", errors),
                    has_template_file=bool(doc.get("has_template_file")),
                )
            )
        if documents:
            groups.append(
                DocumentGroupData(case=_text(group, "case", errors), documents=tuple(documents))
            )
    return groups


def parse_record(record: Any) -> ProcedureData | list[str]:
    """Validate one record; returns the canonical data, or the reasons it is rejected."""
    errors = RecordErrors()
    if not isinstance(record, Mapping):
        return ["expected an object"]
    code = _text(record, "code", errors)
    if not code:
        errors.add("missing code")
    elif not CODE_PATTERN.fullmatch(code):
        errors.add(f"malformed code {code!r} (expected d.dddddd, e.g. 1.001193)")
    name = _text(record, "name", errors)
    if not name:
        errors.add("missing name")
    field_name = _text(record, "field", errors)
    if not field_name:
        errors.add("missing field (lĩnh vực)")
    elif len(field_name) > 300:
        errors.add("field: longer than 300 characters")

    raw_levels = record.get("levels")
    if isinstance(raw_levels, str):
        raw_levels = [raw_levels]
    levels: list[str] = []
    if not isinstance(raw_levels, list) or not raw_levels:
        errors.add("missing levels (cấp thực hiện)")
    else:
        for raw in raw_levels:
            level = _vocabulary(raw, _LEVELS, "level", errors)
            if level and level not in levels:
                levels.append(level)

    applicants = []
    raw_applicants = record.get("applicants")
    if isinstance(raw_applicants, str):
        raw_applicants = [raw_applicants]
    for item in raw_applicants or []:
        if not isinstance(item, str):
            errors.add("applicants: expected a list of text")
            break
        if clean_text(item):
            applicants.append(clean_text(item))

    channels = []
    for number, item in enumerate(_objects(record, "submission_channels", errors)):
        parsed = _channel(item, number, errors)
        if parsed is not None:
            channels.append(parsed)

    legal_basis = []
    for item in _objects(record, "legal_basis", errors):
        title, basis_number = _text(item, "title", errors), _text(item, "number", errors)
        if title or basis_number:
            legal_basis.append(LegalBasisData(title=title, number=basis_number))
    results = []
    for item in _objects(record, "results", errors):
        result_name, result_code = _text(item, "name", errors), _text(item, "code", errors)
        if result_name or result_code:
            results.append(ResultData(name=result_name, code=result_code))

    online_level = None
    if record.get("online_level") not in (None, ""):
        online_level = _vocabulary(record["online_level"], _ONLINE_LEVELS, "online level", errors)

    source = record.get("source") or {}
    if not isinstance(source, Mapping):
        errors.add("source: expected an object {ministry_list, url}")
        source = {}
    source_url = _text(source, "url", errors)
    if source_url and not source_url.startswith(("http://", "https://")):
        errors.add(f"source.url: not a web address ({source_url[:60]!r})")
    if len(source_url) > 500:
        errors.add("source.url: longer than 500 characters")

    procedure_type = _text(record, "procedure_type", errors)
    announcing_decision = _text(record, "announcing_decision", errors)
    for key, value in (
        ("procedure_type", procedure_type),
        ("announcing_decision", announcing_decision),
    ):
        if len(value) > 200:
            errors.add(f"{key}: longer than 200 characters")
    document_groups = _document_groups(record, errors)
    texts = {
        key: _text(record, key, errors)
        for key in (
            "competent_authority",
            "implementing_agency",
            "coordinating_agency",
            "delegated_agency",
            "receiving_place",
            "steps",
            "conditions",
            "related_procedures_text",
        )
    }
    source_list = _text(source, "ministry_list", errors)
    if len(source_list) > 300:
        errors.add("source.ministry_list: longer than 300 characters")
    if errors.reasons:
        return errors.reasons
    return ProcedureData(
        code=code,
        name=name,
        field=field_name,
        levels=tuple(levels),
        procedure_type=procedure_type,
        announcing_decision=announcing_decision,
        applicants=tuple(applicants),
        competent_authority=texts["competent_authority"],
        implementing_agency=texts["implementing_agency"],
        coordinating_agency=texts["coordinating_agency"],
        delegated_agency=texts["delegated_agency"],
        receiving_place=texts["receiving_place"],
        channels=tuple(channels),
        steps=texts["steps"],
        document_groups=tuple(document_groups),
        conditions=texts["conditions"],
        legal_basis=tuple(legal_basis),
        results=tuple(results),
        related_procedures_text=texts["related_procedures_text"],
        online_level=online_level,
        source_list=source_list,
        source_url=source_url,
    )


# --- Writing back --------------------------------------------------------------------------------


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless the value is empty (the published format drops empty values)."""
    if value not in (None, "", [], {}):
        target[key] = value


def channel_record(channel: ChannelData) -> dict[str, Any]:
    """One channel in the published format."""
    item: dict[str, Any] = {"channel": CHANNEL_LABELS[channel.channel]}
    limit: dict[str, Any] = {}
    if channel.amount is not None:
        limit["value"] = amount_to_json(channel.amount)
    if channel.unit:
        limit["unit"] = UNIT_LABELS[channel.unit]
    _put(item, "time_limit", limit)
    _put(item, "time_limit_text", channel.time_limit_text)
    _put(item, "fee", channel.fee_text)
    _put(item, "fee_amount", channel.fee_amount)
    _put(item, "currency", channel.fee_currency)
    _put(item, "fee_note", channel.fee_note)
    _put(item, "description", channel.description)
    return item


def to_record(data: ProcedureData) -> dict[str, Any]:
    """The record of ``data`` in the published (import) format; ``parse_record`` inverts it."""
    record: dict[str, Any] = {"code": data.code, "name": data.name, "field": data.field}
    record["levels"] = [LEVEL_LABELS[level] for level in data.levels]
    _put(record, "procedure_type", data.procedure_type)
    _put(record, "announcing_decision", data.announcing_decision)
    _put(record, "applicants", list(data.applicants))
    _put(record, "competent_authority", data.competent_authority)
    _put(record, "implementing_agency", data.implementing_agency)
    _put(record, "coordinating_agency", data.coordinating_agency)
    _put(record, "delegated_agency", data.delegated_agency)
    _put(record, "receiving_place", data.receiving_place)
    _put(record, "submission_channels", [channel_record(c) for c in data.channels])
    _put(record, "steps", data.steps)
    groups = []
    for group in data.document_groups:
        entry: dict[str, Any] = {}
        _put(entry, "case", group.case)
        documents = []
        for doc in group.documents:
            item: dict[str, Any] = {"name": doc.name}
            if doc.originals is not None:
                item["originals"] = doc.originals
            if doc.copies is not None:
                item["copies"] = doc.copies
            if doc.has_template_file:
                item["has_template_file"] = True
            documents.append(item)
        entry["documents"] = documents
        groups.append(entry)
    _put(record, "document_groups", groups)
    _put(record, "conditions", data.conditions)
    legal: list[dict[str, str]] = []
    for basis in data.legal_basis:
        item_l: dict[str, str] = {}
        _put(item_l, "title", basis.title)
        _put(item_l, "number", basis.number)
        legal.append(item_l)
    _put(record, "legal_basis", legal)
    results: list[dict[str, str]] = []
    for result in data.results:
        item_r: dict[str, str] = {}
        _put(item_r, "name", result.name)
        _put(item_r, "code", result.code)
        results.append(item_r)
    _put(record, "results", results)
    _put(record, "related_procedures_text", data.related_procedures_text)
    _put(record, "online_level", data.online_level)
    source: dict[str, str] = {}
    _put(source, "ministry_list", data.source_list)
    _put(source, "url", data.source_url)
    _put(record, "source", source)
    return record


def split_lines(value: Any, separators: str = "\n") -> list[str]:
    """A multi-valued spreadsheet cell (one value per line, or per any of ``separators``)."""
    if value in (None, ""):
        return []
    parts = re.split(f"[{re.escape(separators)}]", str(value))
    return [part.strip() for part in parts if part.strip()]


def join_lines(values: Sequence[str]) -> str:
    """The spreadsheet cell of a list: one value per line."""
    return "\n".join(values)
