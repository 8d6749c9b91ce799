"""The procedure catalogue pages in a real browser: search, detail, accessibility."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.catalog.demo import load_demo_procedures
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def procedures(demo) -> None:
    load_demo_procedures()


def test_a_citizen_finds_birth_registration_without_diacritics(page: Page, live_server, procedures):
    page.goto(live_server.url + "/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="Đăng ký khai sinh").first).to_be_visible()
    screenshot(page, "portal-procedure-search")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name="Đăng ký khai sinh").first.click()
    expect(page.locator("h1")).to_contain_text(re.compile("đăng ký khai sinh", re.IGNORECASE))
    screenshot(page, "portal-procedure-detail")
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "portal-procedure-detail-mobile")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]
