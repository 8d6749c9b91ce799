"""The working-calendar pages in a real browser: render, accessibility, an administrator's edit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.config.demo.loader import DEMO_PASSWORD
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_public_calendar_renders_and_is_accessible(page: Page, live_server, demo):
    page.goto(live_server.url + "/lich-lam-viec/2026/")
    expect(page.locator("h1")).to_have_text("Lịch làm việc năm 2026")
    expect(page.get_by_role("table").first).to_contain_text("Tết Nguyên Đán")
    screenshot(page, "portal-calendar-2026")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "portal-calendar-2026-mobile")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_an_administrator_adds_a_day_off_in_the_back_office(page: Page, live_server, demo):
    page.goto(live_server.url + "/can-bo/dang-nhap/?next=/can-bo/lich-lam-viec/vn/2026/")
    page.get_by_label("Tên đăng nhập").fill("quantri")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_contain_text("2026")
    assert serious_accessibility_violations(page) == []
    page.get_by_label("Ngày", exact=True).fill("2026-11-24")
    page.locator("label[for=id_kind_0]").click()  # USWDS draws the radio on its label
    page.get_by_label("Tên (tiếng Việt)").fill("Ngày Văn hóa Việt Nam")
    page.get_by_label("Căn cứ").fill("TB thử nghiệm")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu")
    expect(page.get_by_role("table").first).to_contain_text("Ngày Văn hóa Việt Nam")
    screenshot(page, "backoffice-calendar-2026")
    assert page.console_errors == []  # type: ignore[attr-defined]
