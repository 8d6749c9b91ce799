"""The public procedure catalogue pages: list with search and filters, detail, 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from motcua.catalog.models import Field
from motcua.catalog.services import import_records
from motcua.catalog.tests.records import ALL, BIRTH, BUSINESS, record, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    extra = [record(BIRTH, code=f"1.10{n:04d}", name=f"Thủ tục hộ tịch số {n}") for n in range(25)]
    report = import_records(rows(*ALL, *extra), publish_from=dt.date(2025, 7, 1))
    assert not report.rejected


def test_the_list_searches_without_diacritics(client_vi, catalogue):
    response = client_vi.get("/thu-tuc/", {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in html
    assert 'href="/thu-tuc/1.001193/"' in html
    assert "Thời hạn giải quyết" in html
    assert "Cấp Phiếu Lý lịch tư pháp" not in html
    assert "Đăng ký thành lập hộ kinh doanh" not in html  # "đăng ký" alone: half the words


def test_the_list_shows_time_limits_in_plain_vietnamese(client_vi, catalogue):
    html = client_vi.get("/thu-tuc/", {"q": "ho kinh doanh"}).content.decode()
    assert "3 ngày làm việc" in html
    assert "Trực tuyến" in html


def test_the_list_filters_by_level_and_field(client_vi, catalogue):
    html = client_vi.get("/thu-tuc/", {"level": "province"}).content.decode()
    assert "Cấp Phiếu Lý lịch tư pháp" in html
    assert "Thủ tục đăng ký khai sinh" not in html
    field = Field.objects.get(name=BUSINESS["field"])
    html = client_vi.get("/thu-tuc/", {"field": field.pk}).content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in html
    assert "Thủ tục đăng ký khai sinh" not in html


def test_the_list_pages_and_keeps_the_search(client_vi, catalogue):
    html = client_vi.get("/thu-tuc/", {"q": "ho tich", "page": "2"}).content.decode()
    assert "Thủ tục 21–" in html or "21–" in html
    assert 'href="?q=ho+tich&amp;page=1"' in html


def test_the_list_says_when_nothing_matches(client_vi, catalogue):
    html = client_vi.get("/thu-tuc/", {"q": "qwerty", "page": "x", "field": "abc"}).content.decode()
    assert "Không tìm thấy thủ tục nào" in html


def test_the_detail_shows_documents_fees_and_time_limits(client_vi, catalogue):
    response = client_vi.get("/thu-tuc/1.001612/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đăng ký thành lập hộ kinh doanh" in html
    assert "Giấy đề nghị đăng ký hộ kinh doanh" in html
    assert "3 ngày làm việc" in html
    assert "50.000 đồng" in html
    assert "150.000 đồng" in html
    assert "Nộp trực tuyến" in html or "Trực tuyến" in html


def test_the_detail_of_birth_registration(client_vi, catalogue):
    html = client_vi.get("/thu-tuc/1.001193/").content.decode()
    assert "Miễn phí" in html
    assert "Tờ khai đăng ký khai sinh" in html
    assert "Luật Hộ tịch" in html
    assert "60/2014/QH13" in html
    assert "Giấy khai sinh" in html
    assert "1 (không ghi đơn vị)" in html
    assert "Ủy ban nhân dân cấp xã" in html


def test_an_unknown_code_is_not_found(client_vi, catalogue):
    assert client_vi.get("/thu-tuc/9.999999/").status_code == 404


def test_the_pages_are_in_english_when_chosen(client, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/thu-tuc/1.001612/").content.decode()
    assert "3 working days" in html
    assert "Documents to submit" in html


def test_the_home_page_offers_a_procedure_search(client_vi):
    html = client_vi.get("/").content.decode()
    assert 'action="/thu-tuc/"' in html
    assert "Tìm thủ tục hành chính" in html
