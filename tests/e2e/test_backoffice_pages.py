"""The back office in a real browser: inbox, counter intake with live search, dossier page,
actions without JavaScript, keyboard shortcuts; accessibility and screenshots (desktop, 375 px)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Browser, Page, expect

from motcua.config.demo.loader import DEMO_PASSWORD
from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.dossiers.tests.factories import People, ensure_procedure, hours, in_status
from motcua.dossiers.workflow import Status
from tests.e2e.conftest import screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def desk(demo: None) -> Iterator[People]:
    """Phường Rạch Giá's desk on Wednesday 04/03/2026 10:00 with dossiers in every queue."""
    with time_machine.travel(hours(49), tick=True):
        ensure_procedure()
        people = People.load()
        in_status(Status.SUBMITTED, people)
        for status in (Status.RECEIVED, Status.RECEIVED, Status.IN_PROCESS, Status.RESOLVED):
            in_status(status, people)
        in_status(Status.AWAITING_SUPPLEMENT, people)
        late = services.receive_dossier(
            services.DossierInput(
                procedure_code="9.999001",
                receiving_office=people.officer.assignments.get().agency,
                channel=Channel.POST,
                applicant_name="Trần Văn Bình",
                applicant_phone="0912345678",
            ),
            people.officer,
            at=hours(-24 * 9),
        )
        services.transfer_dossier(late.pk, people.officer, at=hours(-24 * 9 + 1))
        yield people


def sign_in(page: Page, base: str, username: str, then: str = "/can-bo/") -> None:
    page.goto(f"{base}/can-bo/dang-nhap/?next={then}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_the_inbox_shows_queues_badges_and_is_accessible(page: Page, live_server, desk):
    sign_in(page, live_server.url, "tiepnhan.rachgia")
    expect(page.locator("h1")).to_have_text("Hộp hồ sơ")
    queues = page.get_by_role("navigation", name="Danh sách công việc")
    expect(queues).to_contain_text("Chờ chuyển xử lý")
    page.get_by_role("link", name="Quá hạn").click()
    expect(page.locator("table")).to_contain_text("Trần Văn Bình")
    expect(page.locator(".motcua-badge--overdue").first).to_be_visible()
    screenshot(page, "backoffice-inbox-overdue")
    page.get_by_role("link", name="Chờ chuyển xử lý").click()
    screenshot(page, "backoffice-inbox-desktop")
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "backoffice-inbox-mobile")
    assert serious_accessibility_violations(page) == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_counter_intake_with_live_search_to_the_receipt(page: Page, live_server, desk):
    sign_in(page, live_server.url, "tiepnhan.rachgia")
    expect(page.locator("h1")).to_have_text("Hộp hồ sơ")
    page.wait_for_load_state("load")
    page.keyboard.press("Alt+n")  # the documented shortcut
    expect(page.locator("h1")).to_have_text("Tiếp nhận mới")
    page.get_by_label("Tên hoặc mã thủ tục").press_sequentially("thu nghiem", delay=30)
    link = page.get_by_role("link", name="Thủ tục thử nghiệm (cấp xã)")
    expect(link).to_be_visible()  # htmx answered without a page load
    assert serious_accessibility_violations(page) == []
    link.click()
    page.get_by_label("Họ và tên người nộp").fill("Lê Thị Hạnh")
    page.get_by_label("Điện thoại").fill("0987654321")
    screenshot(page, "backoffice-intake-form")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Tiếp nhận và cấp giấy hẹn").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã tiếp nhận hồ sơ")
    expect(page.locator("h1")).to_contain_text("000.01.31.H01-")
    screenshot(page, "backoffice-dossier-received")
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "backoffice-dossier-received-mobile")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_the_dossier_page_of_a_leader_is_accessible(page: Page, live_server, desk):
    dossier = in_status(Status.IN_PROCESS, desk)
    sign_in(page, live_server.url, "lanhdao.rachgia", f"/can-bo/ho-so/{dossier.pk}/")
    expect(page.locator("h1")).to_contain_text(dossier.code or "")
    # Open two <details> forms (no JavaScript needed).
    page.locator("summary", has_text="Phân công chuyên viên thụ lý").click()
    page.locator("summary", has_text="Xin lỗi và hẹn lại ngày trả kết quả").click()
    screenshot(page, "backoffice-dossier-leader")
    assert serious_accessibility_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "backoffice-dossier-leader-mobile")
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_actions_work_without_javascript(browser: Browser, live_server, desk):
    dossier = in_status(Status.RECEIVED, desk)
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server.url, "tiepnhan.rachgia", f"/can-bo/ho-so/{dossier.pk}/")
    page.get_by_role("button", name="Chuyển hồ sơ đến cơ quan có thẩm quyền").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã thực hiện")
    expect(page.locator(".motcua-status--in_process")).to_be_visible()
    page.goto(f"{live_server.url}/can-bo/tim-kiem/?name=tran van binh")
    expect(page.locator("table")).to_contain_text("Trần Văn Bình")
    context.close()


def test_slash_focuses_the_search_box(page: Page, live_server, desk):
    sign_in(page, live_server.url, "tiepnhan.rachgia")
    page.wait_for_load_state("load")
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "quick-search"
