"""The public working-calendar page: decreed days, lunar dates, sources; provisional years."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_2026_calendar_shows_tet_with_lunar_dates_and_sources(client_vi):
    response = client_vi.get("/lich-lam-viec/2026/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lịch làm việc năm 2026" in html
    assert "Tết Nguyên Đán" in html
    assert "TB 9441/TB-BNV" in html
    assert "Ngày làm bù" in html  # 10/01 and 22/08
    assert 'class="motcua-day motcua-day--make_up"' in html
    assert "tạm tính" not in html


def test_a_year_without_a_notice_says_it_is_provisional(client):
    html = client.get("/lich-lam-viec/2027/").content.decode()
    assert "tạm tính" in html


def test_years_outside_the_calendar_are_not_found(client):
    assert client.get("/lich-lam-viec/2400/").status_code == 404


def test_the_current_year_is_the_default(client):
    assert client.get("/lich-lam-viec/").status_code == 200


def test_the_nine_days_of_tet_2026_are_one_row(client_vi):
    html = client_vi.get("/lich-lam-viec/2026/").content.decode()
    assert "Thứ Bảy 14/02/2026 – Chủ Nhật 22/02/2026" in html
    assert "(9 ngày)" in html
