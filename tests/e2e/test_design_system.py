"""The design system's behaviours in a real browser. `static/motcua/js/uswds.min.js` is built from
USWDS's sources with only the components our templates use (frontend/js/uswds.js): the mobile
menu, the skip link, the file input and link-buttons must keep working, and the Public Sans faces
(subset by frontend/build.mjs) must load and draw Vietnamese."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.config.demo.loader import DEMO_PASSWORD
from motcua.dossiers.tests.factories import PROCEDURE, ensure_procedure
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VIETNAMESE = "Ắ Ằ Ẳ Ẵ Ặ ấ ầ ẩ ẫ ậ đ ế ề ể ễ ệ ỉ ị ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ ₫"


def test_the_mobile_menu_opens_traps_the_focus_and_closes(page: Page, live_server, demo):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    menu = page.get_by_role("button", name="Trình đơn")
    expect(nav).to_be_hidden()
    menu.click()
    expect(nav).to_be_visible()
    expect(page.locator("body")).to_have_class("motcua-body usa-js-mobile-nav--active")
    expect(page.get_by_role("button", name="Đóng")).to_be_focused()
    screenshot(page, "design-system-mobile-menu")
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(menu).to_be_focused()
    menu.click()
    page.get_by_role("button", name="Đóng").click()
    expect(nav).to_be_hidden()
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_skip_link_moves_the_focus_to_the_main_content(page: Page, live_server, demo):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()


def test_a_link_styled_as_a_button_answers_the_space_bar(page: Page, live_server, demo):
    page.goto(live_server.url + "/")
    first = page.locator("a.usa-button").first
    href = first.get_attribute("href") or ""
    first.focus()
    page.keyboard.press(" ")
    expect(page).to_have_url(live_server.url + href)


def test_the_file_input_shows_a_drop_zone_and_the_chosen_files(page: Page, live_server, demo):
    ensure_procedure()
    page.goto(f"{live_server.url}/can-bo/dang-nhap/?next=/can-bo/tiep-nhan/{PROCEDURE}/")
    page.get_by_label("Tên đăng nhập").fill("tiepnhan.rachgia")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    field = page.locator(".usa-file-input").first
    expect(field.locator(".usa-file-input__target")).to_be_visible()  # built by the script
    field.locator("input[type=file]").set_input_files(
        [{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    expect(field.locator(".usa-file-input__preview")).to_contain_text("to-khai.pdf")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_four_public_sans_faces_load_for_vietnamese_text(page: Page, live_server, demo):
    """Chromium's font sanitiser accepts each subset file (coverage itself: core/tests)."""
    page.goto(live_server.url + "/")
    for weight in ("400", "600", "700", "italic 400"):
        faces = page.evaluate(
            "([font, text]) => document.fonts.load(font, text)"
            ".then((faces) => faces.map((face) => face.status))",
            [f'{weight} 16px "Public Sans Web"', VIETNAMESE],
        )
        assert faces == ["loaded"], weight
