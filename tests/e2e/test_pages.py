"""The foundation pages in a real browser: render, accessibility, no-JS sign-in, language switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.config.demo.loader import DEMO_PASSWORD
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_portal_home_renders_in_vietnamese_and_is_accessible(page: Page, live_server, demo):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Thủ tục hành chính")
    expect(page.get_by_text("Trung tâm Phục vụ hành chính công tỉnh An Giang")).to_be_visible()
    assert page.evaluate("document.fonts.check('16px \"Public Sans\"')")
    screenshot(page, "portal-home-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "portal-home-mobile")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_staff_sign_in_works_without_javascript(browser: Browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/can-bo/")
    expect(page.locator("h1")).to_have_text("Đăng nhập cán bộ")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan.tinh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Hộp hồ sơ")
    expect(page.get_by_text("Công chức một cửa")).to_be_visible()
    context.close()


def test_sign_in_and_inbox_are_accessible(page: Page, live_server, demo):
    page.goto(live_server.url + "/can-bo/dang-nhap/")
    screenshot(page, "backoffice-login")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Tên đăng nhập").fill("tiepnhan.tinh")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("không đúng")
    screenshot(page, "backoffice-login-error")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Hộp hồ sơ")
    screenshot(page, "backoffice-inbox")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_language_switch_works_without_javascript(browser: Browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Administrative procedures")
    screenshot(page, "portal-home-english")
    context.close()
