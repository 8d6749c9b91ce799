"""Export then import: both formats round-trip to "unchanged"."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from motcua.catalog.services import export_procedures, import_procedure_file, import_records
from motcua.catalog.spreadsheet import CONTINUED, PROCEDURES
from motcua.catalog.tests.records import ALL, BIRTH, record, rows

pytestmark = pytest.mark.django_db

LONG = "Điều kiện rất dài. " * 3000  # 57,000 characters: more than an Excel cell holds


@pytest.fixture
def catalogue_with_a_long_text(catalogue):
    long_one = record(BIRTH, code="1.000002", name="Thủ tục có điều kiện dài", conditions=LONG)
    report = import_records(rows(long_one))
    assert report.created == 1


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_reimporting_an_export_changes_nothing(catalogue_with_a_long_text, tmp_path, fmt):
    path = tmp_path / f"catalogue.{fmt}"
    assert export_procedures(path, fmt) == len(ALL) + 1
    report = import_procedure_file(path)
    assert (report.created, report.updated, report.rejected) == (0, 0, [])
    assert report.unchanged == len(ALL) + 1


def test_the_json_export_is_the_national_record_format(catalogue, tmp_path):
    path = tmp_path / "catalogue.json"
    export_procedures(path, "json")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["meta"]["count"] == len(ALL)
    birth = next(r for r in document["procedures"] if r["code"] == BIRTH["code"])
    assert birth["levels"] == ["Cấp xã"]
    assert birth["submission_channels"][0] == {
        "channel": "Trực tiếp",
        "time_limit": {"value": 1},
        "fee": "Miễn phí",
    }
    assert birth["document_groups"] == BIRTH["document_groups"]


def test_the_workbook_has_one_row_per_procedure_and_continues_long_texts(
    catalogue_with_a_long_text, tmp_path
):
    path = tmp_path / "catalogue.xlsx"
    export_procedures(path, "xlsx")
    book = load_workbook(path, read_only=True)
    procedures = list(book[PROCEDURES].iter_rows(values_only=True))
    assert procedures[0][:3] == ("Mã thủ tục [code]", "Tên thủ tục [name]", "Lĩnh vực [field]")
    assert len(procedures) == 1 + len(ALL) + 1
    continued = list(book[CONTINUED].iter_rows(values_only=True))[1:]
    assert [(row[0], row[1], row[2]) for row in continued] == [("1.000002", "conditions", 2)]


def test_an_edited_workbook_imports_as_a_change(catalogue, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    export_procedures(path, "xlsx")
    source = load_workbook(path)
    sheet = source[PROCEDURES]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == BIRTH["code"]:
            row[1].value = "Thủ tục đăng ký khai sinh (sửa)"
    source.save(path)
    report = import_procedure_file(path)
    assert (report.updated, report.unchanged) == (1, len(ALL) - 1)


def test_rows_of_unknown_procedures_are_reported(catalogue, tmp_path):
    path = tmp_path / "catalogue.xlsx"
    export_procedures(path, "xlsx")
    book = load_workbook(path)
    book["Kết quả"].append(["9.999999", "Kết quả lạc", None])
    book.save(path)
    report = import_procedure_file(path)
    assert [str(r) for r in report.rejected] == [
        "Kết quả!3 9.999999: no procedure '9.999999' on Thủ tục"
    ]
    assert report.unchanged == len(ALL)


def test_the_export_command_writes_both_formats(catalogue, tmp_path):
    for fmt in ("json", "xlsx"):
        out = io.StringIO()
        path = tmp_path / f"export.{fmt}"
        call_command("export-procedures", "--format", fmt, str(path), stdout=out)
        assert f"{len(ALL)} procedures written" in out.getvalue()
        assert path.stat().st_size > 0
