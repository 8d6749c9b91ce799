"""The procedure catalogue API: search and read, JSON contract."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from ninja.testing import TestClient

from motcua.api.procedures import router
from motcua.catalog.services import import_records
from motcua.catalog.tests.records import ALL, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    report = import_records(rows(*ALL), publish_from=dt.date(2025, 7, 1))
    assert not report.rejected
    # The router is tested on its own (no middleware): answer in Vietnamese as the site does.
    with translation.override("vi"):
        yield TestClient(router)


def test_search_returns_the_summary_contract(api):
    response = api.get("/procedures?q=dang%20ky%20ho%20kinh%20doanh")
    assert response.status_code == 200
    first = response.json()[0]
    assert first == {
        "code": "1.001612",
        "name": "Đăng ký thành lập hộ kinh doanh",
        "field": "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)",
        "field_id": first["field_id"],
        "levels": ["commune"],
        "time_limit": {
            "amount": 3.0,
            "unit": "working_days",
            "text": "",
            "display": "3 ngày làm việc",
        },
        "online": True,
        "online_level": None,
        "version": 1,
        "valid_from": "2025-07-01",
    }


def test_search_filters_and_limits(api):
    assert [p["code"] for p in api.get("/procedures?level=province").json()] == [
        "1.009974",
        "3.000333",
    ]
    assert len(api.get("/procedures?limit=1").json()) == 1
    assert api.get("/procedures?level=district").status_code == 422
    assert api.get("/procedures?limit=1000").status_code == 422


def test_search_by_code_prefix(api):
    assert [p["code"] for p in api.get("/procedures?q=1.0011").json()] == ["1.001193"]


def test_reading_one_procedure(api):
    body = api.get("/procedures/1.001193").json()
    assert body["code"] == "1.001193"
    assert body["channels"][0]["channel"] == "in_person"
    assert body["channels"][0]["fee"] == "Miễn phí"
    assert body["time_limit"]["display"] == "1 (không ghi đơn vị)"
    assert body["documents"][0] == {
        "group": "* Giấy tờ phải nộp",
        "name": "Tờ khai đăng ký khai sinh",
        "originals": 1,
        "copies": 0,
    }
    assert body["legal_basis"] == [{"title": "Luật Hộ tịch", "number": "60/2014/QH13"}]


def test_plain_language_follows_the_active_language(api):
    with translation.override("en"):
        body = api.get("/procedures/1.001612").json()
    assert body["time_limit"]["display"] == "3 working days"
    assert body["channels"][0]["fee"] == "50,000 VND"


def test_an_unknown_code_is_404(api):
    assert api.get("/procedures/9.999999").status_code == 404
