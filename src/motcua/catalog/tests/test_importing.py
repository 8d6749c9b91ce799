"""Import: idempotent, NFC, per-record validation and atomicity, publication, the command."""

from __future__ import annotations

import datetime as dt
import io
import json
import unicodedata
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import translation

from motcua.catalog.models import (
    DocumentRequirement,
    Field,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    VersionStatus,
)
from motcua.catalog.search_index import search_index_mismatches
from motcua.catalog.services import import_records
from motcua.catalog.services import versions as version_services
from motcua.catalog.tests.records import ALL, BIRTH, BUSINESS, record, rows

pytestmark = pytest.mark.django_db
START = dt.date(2025, 7, 1)


def _snapshot() -> tuple[list[Any], list[Any], list[Any]]:
    """Every catalogue row's content, without ids and timestamps."""
    versions = list(
        ProcedureVersion.objects.order_by("procedure__code", "version").values(
            "procedure__code",
            "version",
            "status",
            "name",
            "field__name",
            "levels",
            "steps",
            "search_text",
            "content_hash",
            "legal_basis",
            "applicants",
        )
    )
    channels = list(
        ProcedureChannel.objects.order_by("version__procedure__code", "order").values(
            "channel", "amount", "unit", "fee_text", "fee_amount"
        )
    )
    documents = list(
        DocumentRequirement.objects.order_by("version__procedure__code", "order").values(
            "group", "name", "originals", "copies"
        )
    )
    return versions, channels, documents


def test_importing_creates_draft_procedures():
    report = import_records(rows(*ALL))
    assert (report.created, report.updated, report.unchanged, report.rejected) == (4, 0, 0, [])
    version = ProcedureVersion.objects.get(procedure__code="1.001193")
    assert version.status == VersionStatus.DRAFT
    assert version.version == 1
    assert version.search_text == "thu tuc dang ky khai sinh 1 001193 ho tich"
    assert version.channels.count() == 2
    assert [d.name for d in version.documents.order_by("order")] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]


def test_importing_the_same_file_twice_changes_nothing():
    import_records(rows(*ALL), publish_from=START)
    before = _snapshot()
    report = import_records(rows(*ALL), publish_from=START)
    assert (report.created, report.updated, report.unchanged, report.published) == (0, 0, 4, 0)
    assert report.summary() == "4 records: 0 created, 0 updated, 4 unchanged, 0 rejected"
    assert _snapshot() == before


def test_nfd_text_gives_identical_rows():
    nfd = json.loads(unicodedata.normalize("NFD", json.dumps(ALL, ensure_ascii=False)))
    import_records(rows(*ALL))
    nfc_rows = _snapshot()
    report = import_records(rows(*nfd))
    assert report.unchanged == 4
    assert _snapshot() == nfc_rows
    assert Field.objects.count() == 4


def test_rejected_records_are_reported_and_the_others_imported():
    report = import_records(
        rows(
            BIRTH,
            record(BUSINESS, code="1-001612"),
            record(BUSINESS, name="", code="2.000001"),
            record(
                BUSINESS,
                code="2.000002",
                submission_channels=[
                    {"channel": "Trực tiếp", "time_limit": {"value": 2, "unit": "Tuần"}}
                ],
            ),
            {"name": "Không có mã", "field": "Hộ tịch", "levels": ["Cấp xã"]},
        )
    )
    assert report.created == 1
    assert [(r.row, r.code, r.reasons) for r in report.rejected] == [
        ("record 2", "1-001612", ("malformed code '1-001612' (expected d.dddddd, e.g. 1.001193)",)),
        ("record 3", "2.000001", ("missing name",)),
        ("record 4", "2.000002", ("unknown time-limit unit 'Tuần'",)),
        ("record 5", "", ("missing code",)),
    ]
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.001193"]


def test_a_code_twice_in_the_file_rejects_both_records():
    report = import_records(rows(BIRTH, BUSINESS, record(BIRTH, name="Khai sinh (bản 2)")))
    assert report.created == 1
    assert [(r.row, r.reasons) for r in report.rejected] == [
        ("record 1", ("duplicate code in the file (also record 3)",)),
        ("record 3", ("duplicate code in the file (also record 1)",)),
    ]


def test_a_record_that_fails_midway_leaves_nothing_behind(monkeypatch):
    real = version_services._write_children

    def failing(version, data):
        real(version, data)  # channels and documents are written …
        if data.code == BUSINESS["code"]:
            raise DatabaseError("disk full")  # … then the record fails

    monkeypatch.setattr(version_services, "_write_children", failing)
    report = import_records(rows(BIRTH, BUSINESS))
    assert report.created == 1
    assert [str(r) for r in report.rejected] == ["record 2 1.001612: disk full"]
    assert not Procedure.objects.filter(code=BUSINESS["code"]).exists()
    assert not Field.objects.filter(name=BUSINESS["field"]).exists()
    assert ProcedureChannel.objects.count() == 2  # only the birth registration's
    assert search_index_mismatches() == 0


def test_a_changed_record_opens_a_new_version_over_a_published_one():
    import_records(rows(BIRTH), publish_from=START)
    changed = record(BIRTH, steps="Nộp hồ sơ trực tuyến.")
    report = import_records(rows(changed))
    assert (report.updated, report.published) == (1, 0)
    versions = ProcedureVersion.objects.filter(procedure__code=BIRTH["code"]).order_by("version")
    assert [(v.version, v.status) for v in versions] == [(1, "published"), (2, "draft")]
    assert versions[0].steps == "Nộp hồ sơ.\nNhận kết quả."  # the published one is untouched


def test_publishing_from_a_date_closes_the_previous_version():
    import_records(rows(BIRTH), publish_from=START)
    report = import_records(rows(record(BIRTH, steps="Mới.")), publish_from=dt.date(2026, 1, 1))
    assert (report.updated, report.published) == (1, 1)
    first, second = ProcedureVersion.objects.filter(procedure__code=BIRTH["code"]).order_by(
        "version"
    )
    assert (first.valid_from, first.valid_to) == (START, dt.date(2025, 12, 31))
    assert (second.status, second.valid_from, second.valid_to) == (
        "published",
        dt.date(2026, 1, 1),
        None,
    )


def test_a_publication_date_before_the_current_version_rejects_the_record():
    import_records(rows(BIRTH), publish_from=START)
    with translation.override("en"):
        report = import_records(rows(record(BIRTH, steps="Mới.")), publish_from=dt.date(2025, 1, 1))
    assert report.updated == 0
    assert "must start later" in str(report.rejected[0])
    assert ProcedureVersion.objects.filter(procedure__code=BIRTH["code"]).count() == 1


def test_a_dry_run_counts_but_saves_nothing():
    report = import_records(rows(*ALL), publish_from=START, dry_run=True)
    assert (report.created, report.published) == (4, 4)
    assert report.summary().endswith("(dry run: nothing saved)")
    assert not Procedure.objects.exists()
    assert not Field.objects.exists()
    assert search_index_mismatches() == 0


def test_the_command_reports_rejections_and_a_summary(tmp_path):
    path = tmp_path / "procedures.json"
    bad = record(BUSINESS, code="x")
    path.write_text(json.dumps({"procedures": [BIRTH, bad]}, ensure_ascii=False), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import-procedures", str(path), "--publish-from", "2025-07-01", stdout=out, stderr=err
    )
    assert "2 records: 1 created, 0 updated, 0 unchanged, 1 rejected; 1 published" in out.getvalue()
    assert "rejected record 2 x: malformed code 'x'" in err.getvalue()
    assert ProcedureVersion.objects.get().status == VersionStatus.PUBLISHED


def test_the_command_refuses_an_unreadable_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(Exception, match="cannot read"):
        call_command("import-procedures", str(path))
