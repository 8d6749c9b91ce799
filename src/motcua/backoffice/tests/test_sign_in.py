"""Staff sign-in and the empty inbox."""

from __future__ import annotations

import pytest

from motcua.config.demo.loader import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_the_inbox_asks_anonymous_visitors_to_sign_in(client):
    response = client.get("/can-bo/")
    assert response.status_code == 302
    assert response["Location"].startswith("/can-bo/dang-nhap/")


def test_the_sign_in_page_is_in_vietnamese(client_vi):
    html = client_vi.get("/can-bo/dang-nhap/").content.decode()
    assert "Đăng nhập" in html
    assert 'autocomplete="current-password"' in html


def test_an_officer_signs_in_and_sees_their_role(client, officer_province):
    response = client.post(
        "/can-bo/dang-nhap/", {"username": "tiepnhan.tinh", "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/can-bo/"
    html = response.content.decode()
    assert "Công chức một cửa" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh An Giang" in html
    assert "Không có hồ sơ nào đang chờ" in html


def test_a_wrong_password_is_refused_with_a_clear_message(client, officer_province):
    response = client.post("/can-bo/dang-nhap/", {"username": "tiepnhan.tinh", "password": "x"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


def test_a_citizen_account_cannot_use_the_back_office(client, citizen_lan):
    client.force_login(citizen_lan)
    response = client.get("/can-bo/")
    assert response.status_code == 403
    assert "không có vai trò" in response.content.decode()


def test_signing_out_needs_a_post_and_returns_to_the_portal(client, officer_province):
    client.force_login(officer_province)
    response = client.post("/can-bo/dang-xuat/")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/can-bo/").status_code == 302
