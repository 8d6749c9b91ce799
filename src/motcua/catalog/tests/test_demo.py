"""The bundled demo catalogue."""

from __future__ import annotations

import json

import pytest

from motcua.catalog.demo import DEMO_FILE, load_demo_procedures
from motcua.catalog.selectors import procedure_in_force, search_procedures

pytestmark = pytest.mark.django_db

COMMON = ["1.001193", "1.000656", "1.000894", "1.004222", "1.001612", "3.000333", "2.000635"]


def test_the_demo_file_cites_its_source_and_holds_the_common_procedures():
    document = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert document["meta"]["source"]["commit"] == "53229487610b07e0d7127f529b87c333f19aeb1e"
    assert 140 <= document["meta"]["count"] == len(document["procedures"]) <= 160
    codes = {p["code"] for p in document["procedures"]}
    assert set(COMMON) <= codes


def test_the_demo_loads_publishes_and_reloads_as_unchanged():
    report = load_demo_procedures(limit=40)
    assert (report.created, report.published, report.rejected) == (40, 40, [])
    again = load_demo_procedures(limit=40)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)
    first_code = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["procedures"][0]["code"]
    assert procedure_in_force(first_code) is not None
    assert search_procedures("", limit=100)
