"""Statistics in a real browser: charts drawn from the tables, accessibility, no personal data."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from motcua.config.demo.loader import DEMO_PASSWORD, load_demo
from motcua.dossiers.models import Dossier
from motcua.notifications.services import deliver_pending
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def province_with_dossiers(db: None) -> None:
    load_demo()
    while deliver_pending(limit=1000).delivered:
        pass


def test_the_dashboard_draws_charts_over_accessible_tables(
    page: Page, live_server, province_with_dossiers
):
    next_page = "/can-bo/thong-ke/%3Fpreset%3Dlast_12_months"
    page.goto(f"{live_server.url}/can-bo/dang-nhap/?next={next_page}")
    page.get_by_label("Tên đăng nhập").fill("giamsat.tinh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.locator("h1")).to_have_text("Thống kê tình hình giải quyết hồ sơ")
    expect(page.locator(".motcua-chart canvas").first).to_be_visible()
    assert page.locator(".motcua-chart").count() >= 4  # months, channels, results, levels
    expect(page.locator("#months-table")).to_be_visible()  # the table stays as the fallback
    expect(page.get_by_role("heading", name="Theo cấp")).to_be_visible()
    expect(page.get_by_role("heading", name="Theo lĩnh vực")).to_be_visible()
    screenshot(page, "backoffice-stats-dashboard")
    assert serious_accessibility_violations(page) == []
    page.goto(live_server.url + "/can-bo/thong-ke/chi-so-766/?preset=last_12_months")
    expect(page.locator("h1")).to_contain_text("766")
    screenshot(page, "backoffice-stats-766")
    assert serious_accessibility_violations(page) == []
    page.goto(live_server.url + "/can-bo/thong-ke/cai-cach/?preset=year")
    expect(
        page.get_by_role("heading", name="Sắp xếp tổ chức bộ máy so với kế hoạch")
    ).to_be_visible()
    screenshot(page, "backoffice-stats-scorecard")
    assert serious_accessibility_violations(page) == []
    page.goto(live_server.url + "/can-bo/thong-ke/danh-gia-tt01/")
    expect(page.locator("h1")).to_contain_text("01/2018")
    screenshot(page, "backoffice-stats-tt01")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def rate_some_dossiers() -> None:
    """Ratings of finished demo dossiers (rows written directly: the demo's applicants have no
    accounts), one with a "not satisfied" answer and a comment that must not be published."""
    from motcua.core import clock
    from motcua.core.models import User
    from motcua.dossiers.feedback import CRITERIA
    from motcua.dossiers.models import Rating

    rater = User.objects.filter(is_staff=False).first()
    assert rater is not None
    now = clock.now()
    for n, dossier in enumerate(Dossier.objects.filter(status="returned")[:4]):
        answers = {c.key: "satisfied" for c in CRITERIA if c.required}
        if n == 0:
            answers["attitude"] = "dissatisfied"
        Rating.objects.create(
            dossier=dossier,
            rated_by=rater,
            answers=answers,
            comment="Bình luận riêng không công khai",
            dissatisfied=n == 0,
            created_at=now,
            updated_at=now,
        )


def test_the_public_page_shows_figures_without_personal_data(
    page: Page, live_server, province_with_dossiers
):
    rate_some_dossiers()
    page.goto(live_server.url + "/minh-bach/")
    expect(page.locator("h1")).to_have_text("Tình hình giải quyết hồ sơ")
    expect(page.locator(".motcua-chart canvas").first).to_be_visible()
    expect(page.locator("#public-ratings")).to_be_visible()
    text = page.content()
    assert "Bình luận riêng" not in text  # comments are never published
    people = Dossier.objects.values_list("applicant_name", "applicant_phone")
    for name, phone in people:
        assert name not in text
        if phone:
            assert phone not in text
    screenshot(page, "portal-transparency")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_dashboard_works_without_javascript(browser, live_server, province_with_dossiers):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/minh-bach/")
    expect(page.locator("#public-months-table")).to_be_visible()
    assert page.locator(".motcua-chart").count() == 0
    context.close()
