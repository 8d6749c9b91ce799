"""Importing official administrative units: idempotent, legacy units kept, old codes resolvable."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.organizations.importing import (
    LEGACY_UNTIL,
    UnitFileError,
    import_units,
    succession_kind,
)
from motcua.organizations.models import AdministrativeUnit, SuccessionKind, UnitSuccession
from motcua.organizations.selectors import current_successors, unit_on

pytestmark = pytest.mark.django_db

AN_GIANG = Path(__file__).resolve().parents[2] / "config" / "demo" / "an-giang-units-2025.json"


@pytest.fixture
def an_giang() -> dict:
    return json.loads(AN_GIANG.read_text(encoding="utf-8"))


def test_the_new_an_giang_and_both_former_provinces_are_imported(an_giang):
    summary = import_units(an_giang)
    assert summary.units.created == 103
    assert unit_on("31078", dt.date(2026, 1, 1)).name == "Đặc khu Phú Quốc"
    # Kiên Giang (old code 91) is closed; the new An Giang took the code 91.
    assert unit_on("91", dt.date(2025, 6, 30)).name == "Tỉnh Kiên Giang"
    assert unit_on("91", dt.date(2025, 7, 1)).name == "Tỉnh An Giang"
    kien_giang = unit_on("91", dt.date(2025, 6, 30))
    districts = AdministrativeUnit.objects.filter(parent=kien_giang)
    assert districts.count() == 15
    assert AdministrativeUnit.objects.filter(parent__in=districts).count() == 143


def test_importing_twice_changes_nothing(an_giang):
    import_units(an_giang)
    rows = AdministrativeUnit.objects.count(), UnitSuccession.objects.count()
    summary = import_units(an_giang)
    assert (summary.units.created, summary.units.updated) == (0, 0)
    assert (summary.successions.created, summary.successions.updated) == (0, 0)
    assert rows == (AdministrativeUnit.objects.count(), UnitSuccession.objects.count())


def test_nfd_input_gives_the_same_rows(an_giang):
    import_units(an_giang)
    nfd = json.loads(unicodedata.normalize("NFD", json.dumps(an_giang, ensure_ascii=False)))
    summary = import_units(nfd)
    assert summary.units.updated == 0
    assert summary.legacy_units.updated == 0


def test_an_old_commune_code_leads_to_the_commune_of_today(an_giang):
    import_units(an_giang)
    old = unit_on("30289", LEGACY_UNTIL)  # Phường Bình Đức, Thành phố Long Xuyên (until 2025)
    assert old is not None
    assert old.parent.name == "Thành phố Long Xuyên"
    assert [u.code for u in current_successors(old, dt.date(2026, 1, 1))] == ["30292"]


def test_a_district_that_became_a_special_zone_is_a_level_change(an_giang):
    import_units(an_giang)
    lines = UnitSuccession.objects.filter(successor__code="31078").select_related("predecessor")
    assert lines.exists()
    assert {line.kind for line in lines} <= {
        SuccessionKind.MERGE,
        SuccessionKind.LEVEL_CHANGE,
        SuccessionKind.PARTIAL,
        SuccessionKind.UNCHANGED,
    }


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Nhập toàn bộ", SuccessionKind.MERGE),
        ("Nhập một phần diện tích, toàn bộ dân số", SuccessionKind.PARTIAL),
        ("Nhâp một phần diện tích", SuccessionKind.PARTIAL),
        ("Giữ nguyên", SuccessionKind.UNCHANGED),
        ("Đổi tên", SuccessionKind.RENAME),
        ("Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo", SuccessionKind.LEVEL_CHANGE),
        ("Sắp xếp toàn bộ xã Thổ Châu thành đặc khu Thổ Châu", SuccessionKind.TYPE_CHANGE),
        ("Phần còn lại sau khi tách một phần vào xã Canh Vinh", SuccessionKind.PARTIAL),
    ],
)
def test_official_wording_is_classified(note, kind):
    assert succession_kind(note) == kind


def test_a_file_that_is_not_a_unit_list_is_refused_and_saves_nothing():
    with pytest.raises(UnitFileError):
        import_units({"procedures": []})
    with pytest.raises(UnitFileError, match="unknown type"):
        import_units(
            {
                "provinces": [{"code": "91", "name": "Tỉnh X", "division_type": "tỉnh"}],
                "communes": [
                    {"code": "1", "name": "X", "division_type": "làng", "province_code": "91"}
                ],
            }
        )
    assert AdministrativeUnit.objects.count() == 0


def test_the_command_prints_a_summary_and_reports_bad_files(tmp_path):
    out = StringIO()
    call_command("import-units", str(AN_GIANG), stdout=out, stderr=StringIO())
    assert "103 unchanged" in out.getvalue() or "103 created" in out.getvalue()
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not JSON"):
        call_command("import-units", str(bad))
