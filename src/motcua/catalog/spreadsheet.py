"""The Excel (.xlsx) layout of the procedure catalogue (docs/catalog.md, "Excel layout").

One row per procedure on the sheet "Thủ tục"; lists that have rows of their own (channels,
documents, legal basis, results) are on their own sheets, one row per item, keyed by the procedure
code in their first column, in order. Header cells read "Vietnamese label [key]"; the reader uses
the key in brackets (or a header that is the key itself), so columns may be reordered.

Excel holds at most 32,767 characters in a cell. A longer text of the "Thủ tục" sheet (a few
procedures' steps or conditions) keeps its first part in its cell and continues on the sheet
"Nội dung tiếp theo", one row per further part.

The reader turns a workbook back into records of the JSON import format, so both formats go through
the same validation (``catalog.data.parse_record``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from motcua.catalog.data import (
    ONLINE_LEVEL_LABELS,
    ProcedureData,
    channel_record,
    join_lines,
    split_lines,
    to_record,
)
from motcua.core.text import fold

CELL_LIMIT = 32_000  # under Excel's 32,767, leaving room for nothing clever

PROCEDURES = "Thủ tục"
CHANNELS = "Cách thức thực hiện"
DOCUMENTS = "Thành phần hồ sơ"
LEGAL_BASIS = "Căn cứ pháp lý"
RESULTS = "Kết quả"
CONTINUED = "Nội dung tiếp theo"

PROCEDURE_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã thủ tục"),
    ("name", "Tên thủ tục"),
    ("field", "Lĩnh vực"),
    ("levels", "Cấp thực hiện"),
    ("procedure_type", "Loại thủ tục"),
    ("announcing_decision", "Quyết định công bố"),
    ("applicants", "Đối tượng thực hiện"),
    ("competent_authority", "Cơ quan có thẩm quyền"),
    ("implementing_agency", "Cơ quan thực hiện"),
    ("coordinating_agency", "Cơ quan phối hợp"),
    ("delegated_agency", "Cơ quan được ủy quyền"),
    ("receiving_place", "Địa chỉ tiếp nhận hồ sơ"),
    ("online_level", "Mức độ dịch vụ công trực tuyến"),
    ("steps", "Trình tự thực hiện"),
    ("conditions", "Yêu cầu, điều kiện"),
    ("related_procedures_text", "Thủ tục hành chính liên quan"),
    ("source_list", "Nguồn: danh mục"),
    ("source_url", "Nguồn: trang"),
]
CHANNEL_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã thủ tục"),
    ("channel", "Hình thức nộp"),
    ("time_limit", "Thời hạn giải quyết"),
    ("unit", "Đơn vị thời hạn"),
    ("time_limit_text", "Thời hạn ghi bằng chữ"),
    ("fee", "Phí, lệ phí"),
    ("fee_amount", "Số tiền"),
    ("currency", "Loại tiền"),
    ("fee_note", "Chi tiết phí, lệ phí"),
    ("description", "Mô tả"),
]
DOCUMENT_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã thủ tục"),
    ("group", "Nhóm số"),
    ("case", "Trường hợp / nhóm giấy tờ"),
    ("name", "Tên giấy tờ"),
    ("originals", "Số bản chính"),
    ("copies", "Số bản sao"),
    ("has_template_file", "Có tệp mẫu đính kèm"),
]
LEGAL_BASIS_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã thủ tục"),
    ("title", "Tên văn bản"),
    ("number", "Số ký hiệu"),
]
RESULT_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã thủ tục"),
    ("name", "Tên kết quả"),
    ("result_code", "Mã kết quả"),
]
CONTINUED_COLUMNS: list[tuple[str, str]] = [
    ("code", "Mã thủ tục"),
    ("column", "Cột"),
    ("part", "Phần"),
    ("text", "Nội dung"),
]
SHEETS: list[tuple[str, list[tuple[str, str]]]] = [
    (PROCEDURES, PROCEDURE_COLUMNS),
    (CHANNELS, CHANNEL_COLUMNS),
    (DOCUMENTS, DOCUMENT_COLUMNS),
    (LEGAL_BASIS, LEGAL_BASIS_COLUMNS),
    (RESULTS, RESULT_COLUMNS),
    (CONTINUED, CONTINUED_COLUMNS),
]
_TRUE = {"x", "1", "true", "co", "yes"}


class SpreadsheetError(ValueError):
    """The workbook cannot be read or written in the catalogue layout."""


def _header(columns: Sequence[tuple[str, str]]) -> list[str]:
    return [f"{label} [{key}]" for key, label in columns]


def _chunks(text: str) -> list[str]:
    return [text[i : i + CELL_LIMIT] for i in range(0, len(text), CELL_LIMIT)] or [""]


def write_workbook(path: Path, procedures: Sequence[ProcedureData]) -> None:
    """Write ``procedures`` to ``path`` in the catalogue layout."""
    book = Workbook(write_only=True)
    sheets = {}
    for title, columns in SHEETS:
        sheet = book.create_sheet(title)
        sheet.append(_header(columns))
        sheets[title] = sheet
    for data in procedures:
        record = to_record(data)
        row: list[Any] = []
        for key, _label in PROCEDURE_COLUMNS:
            value = _procedure_cell(record, data, key)
            if isinstance(value, str) and len(value) > CELL_LIMIT:
                first, *rest = _chunks(value)
                value = first
                for part, text in enumerate(rest, start=2):
                    sheets[CONTINUED].append([data.code, key, part, text])
            row.append(value)
        sheets[PROCEDURES].append(row)
        for channel in data.channels:
            item = channel_record(channel)
            limit = item.get("time_limit", {})
            sheets[CHANNELS].append(
                _checked(
                    [
                        data.code,
                        item["channel"],
                        limit.get("value"),
                        limit.get("unit"),
                        item.get("time_limit_text"),
                        item.get("fee"),
                        item.get("fee_amount"),
                        item.get("currency"),
                        item.get("fee_note"),
                        item.get("description"),
                    ]
                )
            )
        for number, group in enumerate(data.document_groups, start=1):
            for doc in group.documents:
                sheets[DOCUMENTS].append(
                    _checked(
                        [
                            data.code,
                            number,
                            group.case or None,
                            doc.name,
                            doc.originals,
                            doc.copies,
                            "x" if doc.has_template_file else None,
                        ]
                    )
                )
        for basis in data.legal_basis:
            sheets[LEGAL_BASIS].append(_checked([data.code, basis.title, basis.number or None]))
        for result in data.results:
            sheets[RESULTS].append(_checked([data.code, result.name, result.code or None]))
    try:
        book.save(path)
    except OSError as error:
        raise SpreadsheetError(f"cannot write {path}: {error.strerror}") from error


def _procedure_cell(record: dict[str, Any], data: ProcedureData, key: str) -> Any:
    if key == "levels":
        return join_lines(record["levels"])
    if key == "applicants":
        return join_lines(data.applicants) or None
    if key == "online_level":
        return ONLINE_LEVEL_LABELS[data.online_level] if data.online_level else None
    if key == "source_list":
        return data.source_list or None
    if key == "source_url":
        return data.source_url or None
    return record.get(key)


def _checked(row: list[Any]) -> list[Any]:
    for value in row:
        if isinstance(value, str) and len(value) > CELL_LIMIT:
            raise SpreadsheetError(f"a text of {len(value)} characters does not fit in a cell")
    return row


# --- Reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetProblem:
    """A row of a workbook that cannot be attached to a procedure."""

    row: str
    code: str
    reason: str


_BRACKETED = re.compile(r"\[([a-z_]+)\]\s*$")


def _keys(header: Sequence[Any], columns: Sequence[tuple[str, str]]) -> list[str | None]:
    labels = {fold(label): key for key, label in columns}
    keys: list[str | None] = []
    for cell in header:
        text = str(cell or "").strip()
        match = _BRACKETED.search(text)
        if match:
            keys.append(match.group(1))
        elif text in {key for key, _label in columns}:
            keys.append(text)
        else:
            keys.append(labels.get(fold(text)))
    return keys


def _rows(
    book: Any, title: str, columns: Sequence[tuple[str, str]]
) -> Iterator[tuple[int, dict[str, Any]]]:
    if title not in book.sheetnames:
        return
    rows = book[title].iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return
    keys = _keys(header, columns)
    for number, values in enumerate(rows, start=2):
        if all(value in (None, "") for value in values):
            continue
        item = {key: value for key, value in zip(keys, values, strict=False) if key}
        if isinstance(item.get("code"), str):
            item["code"] = item["code"].strip()
        yield number, item


def read_workbook(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[SheetProblem]]:
    """Records (row label, record in the JSON import format) and rows that fit no procedure."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError) as error:  # zipfile/XML errors surface as these
        raise SpreadsheetError(f"cannot read {path} as an .xlsx workbook ({error})") from error
    if PROCEDURES not in book.sheetnames:
        raise SpreadsheetError(f"the workbook has no sheet named {PROCEDURES!r}")
    records: list[tuple[str, dict[str, Any]]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for number, row in _rows(book, PROCEDURES, PROCEDURE_COLUMNS):
        # Texts stay as read (a continued text must not lose spaces at a cut); parse_record
        # normalises them.
        record: dict[str, Any] = {
            key: value
            for key, value in row.items()
            if key not in {"levels", "applicants", "source_list", "source_url"}
        }
        record["levels"] = split_lines(row.get("levels"), "\n;")
        record["applicants"] = split_lines(row.get("applicants"))
        record["source"] = {"ministry_list": row.get("source_list"), "url": row.get("source_url")}
        record["submission_channels"] = []
        record["document_groups"] = []
        record["legal_basis"] = []
        record["results"] = []
        records.append((f"{PROCEDURES}!{number}", record))
        code = str(row.get("code") or "")
        by_code.setdefault(code, record)
    problems: list[SheetProblem] = []

    def owner(sheet: str, number: int, row: dict[str, Any]) -> dict[str, Any] | None:
        code = str(row.get("code") or "")
        found = by_code.get(code) if code else None
        if found is None:
            problems.append(
                SheetProblem(f"{sheet}!{number}", code, f"no procedure {code!r} on {PROCEDURES}")
            )
        return found

    for number, row in _rows(book, CHANNELS, CHANNEL_COLUMNS):
        record_c = owner(CHANNELS, number, row)
        if record_c is not None:
            item: dict[str, Any] = {
                key: row.get(key)
                for key in (
                    "channel",
                    "time_limit_text",
                    "fee",
                    "fee_amount",
                    "currency",
                    "fee_note",
                    "description",
                )
            }
            item["time_limit"] = {"value": row.get("time_limit"), "unit": row.get("unit")}
            record_c["submission_channels"].append(item)
    groups: dict[tuple[str, Any], dict[str, Any]] = {}
    for number, row in _rows(book, DOCUMENTS, DOCUMENT_COLUMNS):
        record_d = owner(DOCUMENTS, number, row)
        if record_d is not None:
            key = (str(row.get("code")), row.get("group"))
            if key not in groups:
                groups[key] = {"case": row.get("case"), "documents": []}
                record_d["document_groups"].append(groups[key])
            groups[key]["documents"].append(
                {
                    "name": row.get("name"),
                    "originals": row.get("originals"),
                    "copies": row.get("copies"),
                    "has_template_file": fold(str(row.get("has_template_file") or "")) in _TRUE,
                }
            )
    for number, row in _rows(book, LEGAL_BASIS, LEGAL_BASIS_COLUMNS):
        record_l = owner(LEGAL_BASIS, number, row)
        if record_l is not None:
            record_l["legal_basis"].append({"title": row.get("title"), "number": row.get("number")})
    for number, row in _rows(book, RESULTS, RESULT_COLUMNS):
        record_r = owner(RESULTS, number, row)
        if record_r is not None:
            record_r["results"].append({"name": row.get("name"), "code": row.get("result_code")})
    continued = sorted(
        (str(row.get("code")), str(row.get("column")), int(row.get("part") or 0), number, row)
        for number, row in _rows(book, CONTINUED, CONTINUED_COLUMNS)
    )
    for code, column, _part, number, row in continued:
        record_t = owner(CONTINUED, number, row)
        if record_t is not None and isinstance(record_t.get(column), str):
            record_t[column] += str(row.get("text") or "")
        elif record_t is not None:
            problems.append(
                SheetProblem(
                    f"{CONTINUED}!{number}", code, f"no text column {column!r} to continue"
                )
            )
    book.close()
    return records, problems
