"""The portal home page: Vietnamese by default, English on request, lists the service centres."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_home_is_in_vietnamese_even_for_an_english_browser(client_vi, demo):
    response = client_vi.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    html = response.content.decode()
    assert '<html lang="vi"' in html
    assert "Nơi nộp hồ sơ" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh An Giang" in html
    assert "Đặc khu Phú Quốc" in html


def test_home_is_in_english_when_chosen(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "Where to submit a dossier" in html


def test_choosing_a_language_sets_the_cookie_and_returns(client):
    response = client.post("/ngon-ngu/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_home_without_any_centre_says_so(client):
    html = client.get("/").content.decode()
    assert "Chưa có trung tâm phục vụ hành chính công nào" in html


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
