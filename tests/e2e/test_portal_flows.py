"""The citizen portal in a real browser: the whole online journey with the test identity provider
(real OpenID Connect redirects) and the payment gateway simulator (VNPay protocol), keyboard only,
without JavaScript, accessibility of every portal page, mobile screenshots, page weights, and no
request to any other host."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import modify_settings, override_settings
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Request, expect

from motcua.core.models import User
from motcua.documents.tests.pdfs import simple_pdf
from motcua.dossiers import online, services
from motcua.dossiers.attachments import attach_result
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.online_data import OFFICE, PDF, TAM_TRU, pdf, publish_tam_tru
from motcua.dossiers.workflow import Status
from motcua.organizations.models import Agency
from tests.e2e.conftest import SCREENSHOTS, screenshot, serious_accessibility_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
OFFICE_NAME = "Trung tâm Phục vụ hành chính công phường Rạch Giá"
#: What Chromium transfers for a page on a first visit (cold cache, static files served as in
#: production), at most: the issue's target. See docs/portal.md, "Page weight".
PAGE_WEIGHT_BUDGET = 100 * 1024


@pytest.fixture
def portal(demo) -> None:
    publish_tam_tru()
    user = User.objects.get(username="congdan.lan")
    user.email = "lan@example.vn"
    user.save()


@pytest.fixture
def upload_file(tmp_path: Path) -> Path:
    path = tmp_path / "to-khai-CT01.pdf"
    path.write_bytes(PDF + b"%" + b"0" * 300_000)  # large enough to show progress
    return path


def only_this_host(page: Page, base: str) -> list[str]:
    """Record every request the page makes that does not go to the live server."""
    host = urlsplit(base).netloc
    elsewhere: list[str] = []

    def check(request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.netloc != host:
            elsewhere.append(request.url)

    page.on("request", check)
    return elsewhere


def staff(username: str) -> User:
    return User.objects.get(username=username)


def check_page(page: Page, name: str) -> None:
    """Screenshot at desktop and phone width; no serious or critical accessibility violation."""
    screenshot(page, name)
    assert serious_accessibility_violations(page) == [], name
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, f"{name}-mobile")
    assert serious_accessibility_violations(page) == [], f"{name} (375 px)"
    page.set_viewport_size({"width": 1280, "height": 900})


def choose(scope: Page | Locator, label: str | re.Pattern[str]) -> None:
    """Tick a USWDS radio or checkbox by clicking its label (the input is visually hidden)."""
    scope.locator("label").filter(has_text=label).first.click()


def fill_application(page: Page) -> None:
    page.get_by_label("Điện thoại").fill("0912000101")
    page.get_by_label("Địa chỉ nơi đề nghị đăng ký").fill("25 Lê Lợi, khu phố 3")
    page.get_by_label("Xã, phường, đặc khu").fill("Phường Rạch Giá")
    choose(page, "Thuê, mượn")
    page.get_by_label("Thời hạn tạm trú đến ngày").fill("2027-06-30")
    page.get_by_label("Lý do đăng ký tạm trú").fill("Đi làm tại Rạch Giá")


def test_a_citizen_applies_pays_follows_supplements_and_rates(
    page: Page, live_server, portal, upload_file
):
    base = live_server.url
    elsewhere = only_this_host(page, base)
    # Find: search, then the procedure page with the appointment if submitted now.
    page.goto(base + "/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("tam tru")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đăng ký tạm trú").first.click()
    expect(page.get_by_text("Nếu hồ sơ được tiếp nhận ngay bây giờ")).to_be_visible()
    check_page(page, "portal-flow-procedure")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    # Sign in through the test identity provider (real OIDC redirects).
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    check_page(page, "portal-flow-sign-in")
    page.get_by_role("link", name=re.compile("Đăng nhập bằng VNeID")).click()
    expect(page).to_have_url(re.compile(r"/idp-thu-nghiem/"))
    check_page(page, "portal-flow-idp")
    page.get_by_label("Số định danh cá nhân").fill("091190000101")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    # Back at the portal, signed in: where the application goes.
    expect(page.get_by_text("Lê Thị Mai").first).to_be_visible()
    choose(page, OFFICE_NAME)
    page.get_by_role("button", name="Bắt đầu lập hồ sơ").click()
    # The form, pre-filled from the identity; an error first, shown next to the field.
    expect(page.locator("#id_full_name")).to_have_value("Lê Thị Mai")
    page.get_by_label("Địa chỉ nơi đề nghị đăng ký").fill("25 Lê Lợi")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator(".usa-error-message").first).to_be_visible()  # browser-side check
    check_page(page, "portal-flow-form-errors")
    fill_application(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    # Documents: upload with the progress bar.
    expect(page.locator("h1")).to_have_text("Giấy tờ, tài liệu")
    page.locator("input[type=file]").first.set_input_files(str(upload_file))
    page.get_by_role("button", name="Tải lên").first.click()
    expect(page.get_by_text("Đã đính kèm tệp.")).to_be_visible()
    check_page(page, "portal-flow-files")
    page.get_by_role("link", name="Tiếp tục kiểm tra").click()
    # Review, pay through the gateway simulator, come back.
    expect(page.get_by_text("7.000 đồng")).to_be_visible()
    check_page(page, "portal-flow-review")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    expect(page).to_have_url(re.compile(r"/cong-thanh-toan-thu-nghiem/\?"))
    expect(page.get_by_test_id("amount")).to_contain_text("7")
    check_page(page, "portal-flow-gateway")
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.get_by_text("Đã thanh toán: 7.000 đồng")).to_be_visible()
    check_page(page, "portal-flow-paid")
    page.get_by_role("link", name="Quay lại hồ sơ đang lập").click()
    choose(page, "Tôi cam đoan")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    # Confirmation: reference, estimated appointment, acknowledgement.
    expect(page.locator("h1")).to_have_text("Đã nộp hồ sơ")
    check_page(page, "portal-flow-submitted")
    reference = page.get_by_test_id("submission-ref").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải giấy xác nhận đã nộp hồ sơ (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")
    dossier = Dossier.objects.get(submission_ref=reference)
    assert dossier.paid_online
    assert dossier.vneid_authenticated
    # The officer accepts; the handler asks for a supplement.
    services.accept_online(dossier.pk, staff("tiepnhan.rachgia"))
    services.transfer_dossier(dossier.pk, staff("tiepnhan.rachgia"))
    services.request_supplement(
        dossier.pk, staff("chuyenvien.rachgia"), missing=["Hợp đồng thuê nhà"], reason="Thiếu"
    )
    page.get_by_role("link", name="Theo dõi hồ sơ này").click()
    expect(page.get_by_text("Hợp đồng thuê nhà").first).to_be_visible()
    check_page(page, "portal-flow-supplement-asked")
    page.get_by_role("link", name="Gửi hồ sơ bổ sung").click()
    page.get_by_label("Tệp", exact=True).set_input_files(str(upload_file))
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    page.wait_for_url(re.compile(r"/ho-so-cua-toi/[0-9]+/$"))
    expect(page.get_by_text("Đã gửi hồ sơ bổ sung.")).to_be_visible()
    # The office confirms, issues and returns the result.
    services.receive_supplement(dossier.pk, staff("tiepnhan.rachgia"))
    leader = staff("lanhdao.rachgia")
    services.issue_result(dossier.pk, leader, results=["Xác nhận đăng ký tạm trú"])
    code = Dossier.objects.get(pk=dossier.pk).code
    attach_result(leader, dossier.pk, pdf("ket-qua.pdf", simple_pdf()), result_code=f"{code}-KQ1")
    services.return_result(dossier.pk, staff("tiepnhan.rachgia"))
    page.reload()
    expect(page.get_by_text("chữ ký hợp lệ")).to_be_visible()  # signed for the agency
    followed = page.url
    check_page(page, "portal-flow-result")
    with page.expect_download() as result:
        page.get_by_role("link", name="Xác nhận đăng ký tạm trú").click()
    assert result.value.suggested_filename == "ket-qua.pdf"
    # Anyone given the file checks its signature on the public page.
    page.get_by_role("link", name="Kiểm tra kết quả điện tử").click()
    downloaded = upload_file.parent / "ket-qua.pdf"
    result.value.save_as(downloaded)
    page.get_by_label("Tệp kết quả (PDF)").set_input_files(str(downloaded))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_text("Kết quả kiểm tra “ket-qua.pdf”")).to_be_visible()
    expect(page.get_by_text(f"kết quả điện tử {code}-KQ1")).to_be_visible()
    expect(page.locator('[data-signature="valid"]')).to_be_visible()
    check_page(page, "portal-flow-result-check")
    page.goto(followed)
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    for group in page.locator("fieldset").all()[:6]:
        choose(group, re.compile(r"^Hài lòng$"))
    check_page(page, "portal-flow-rate")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá.")).to_be_visible()
    assert Dossier.objects.get(pk=dossier.pk).rating.answers["time"] == "satisfied"
    assert elsewhere == []
    assert page.console_errors == []  # type: ignore[attr-defined]


def tab_to(page: Page, matches: str, limit: int = 150) -> None:
    """Press Tab until the focused element matches the JavaScript predicate ``matches(el)``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {matches})(document.activeElement)"):
            return
    raise AssertionError(f"never reached {matches}")


def by_label(text: str) -> str:
    """A focus predicate: the element whose label (or text) contains ``text``."""
    quoted = json.dumps(text)
    return (
        f"(el.labels && Array.from(el.labels).some(l => l.textContent.includes({quoted})))"
        f" || (el.textContent || '').trim().includes({quoted})"
    )


def test_the_submit_flow_works_with_the_keyboard_only(page: Page, live_server, portal):
    base = live_server.url
    page.goto(base + f"/dang-nhap/?next=/thu-tuc/{TAM_TRU}/")
    tab_to(page, "el.name === 'username'")
    page.keyboard.type("congdan.lan")
    page.keyboard.press("Tab")
    page.keyboard.type("motcua-demo")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Đăng ký tạm trú")
    tab_to(page, by_label("Nộp hồ sơ trực tuyến") + " && el.tagName === 'A'")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Nộp hồ sơ trực tuyến")
    tab_to(page, "el.type === 'radio'")
    page.keyboard.press("Space")
    tab_to(page, by_label("Bắt đầu lập hồ sơ"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Hồ sơ của ông/bà")
    for label, value in (
        ("Địa chỉ nơi đề nghị đăng ký", "25 Lê Lợi"),
        ("Xã, phường, đặc khu", "Phường Rạch Giá"),
        ("Lý do đăng ký tạm trú", "Đi làm"),
    ):
        tab_to(page, by_label(label))
        page.keyboard.type(value)
    page.locator("body").focus()
    tab_to(page, "el.type === 'radio' && el.name === 'f_housing_basis'")
    page.keyboard.press("Space")
    tab_to(page, "el.type === 'date'")
    page.keyboard.type("06302027")  # headless Chromium shows mm/dd/yyyy
    tab_to(page, by_label("Lưu và tiếp tục") + " && el.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Giấy tờ, tài liệu")
    tab_to(page, "el.type === 'file'")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    tab_to(page, by_label("Tải lên") + " && el.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã đính kèm tệp.")).to_be_visible()
    tab_to(page, by_label("Tiếp tục kiểm tra"))
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Kiểm tra, thanh toán và nộp")
    tab_to(page, "el.type === 'checkbox'")
    page.keyboard.press("Space")
    tab_to(page, by_label("Nộp hồ sơ") + " && el.tagName === 'BUTTON'")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Đã nộp hồ sơ")
    assert Dossier.objects.filter(status=Status.SUBMITTED).count() == 1


@pytest.fixture
def no_js(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    yield context
    context.close()


def test_the_main_flows_work_without_javascript(no_js: BrowserContext, live_server, portal):
    base = live_server.url
    page = no_js.new_page()
    page.goto(base + f"/thu-tuc/{TAM_TRU}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_label("Tên đăng nhập").fill("congdan.lan")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    choose(page, OFFICE_NAME)
    page.get_by_role("button", name="Bắt đầu lập hồ sơ").click()
    page.get_by_role("button", name="Lưu và tiếp tục").click()  # empty: the server's errors
    expect(page.get_by_role("heading", name="Vui lòng sửa các mục sau")).to_be_visible()
    expect(page.locator("#id_f_address_error")).to_be_visible()
    fill_application(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "virus.pdf", "mimeType": "application/pdf", "buffer": b"MZ" + b"\0" * 64}]
    )
    page.get_by_role("button", name="Tải lên").first.click()
    expect(page.get_by_role("alert").first).to_contain_text("không được chấp nhận")
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Tải lên").first.click()
    page.get_by_role("link", name="Tiếp tục kiểm tra").click()
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.get_by_role("button", name="Thanh toán", exact=True).click()
    expect(page.get_by_text("Đã thanh toán: 7.000 đồng")).to_be_visible()
    page.get_by_role("link", name="Quay lại hồ sơ đang lập").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()  # without the declaration
    expect(page.locator("#id_declared_error")).to_be_visible()
    choose(page, "Tôi cam đoan")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator("h1")).to_have_text("Đã nộp hồ sơ")
    page.get_by_role("link", name="Theo dõi hồ sơ này").click()
    page.get_by_role("link", name="Rút hồ sơ này").click()
    choose(page, "Tôi hiểu rằng")
    page.get_by_role("button", name="Rút hồ sơ").click()
    expect(page.get_by_text("Hồ sơ đã được rút.").first).to_be_visible()
    dossier = Dossier.objects.get(applicant_user__username="congdan.lan")
    assert dossier.status == Status.WITHDRAWN
    assert dossier.paid_online


def _dossier_in_every_state(lan: User) -> dict[str, Dossier]:
    office = Agency.objects.get(code=OFFICE)
    found: dict[str, Dossier] = {}
    for name in ("supplement", "result"):
        draft = online.start_draft(lan, TAM_TRU, office)
        online.save_draft(
            lan,
            draft.pk,
            applicant=online.ApplicantDetails(
                applicant_type="citizen", full_name="Nguyễn Thị Lan", phone="0901000001"
            ),
            submitted_form={
                "f_address": "25 Lê Lợi",
                "f_commune": "Rạch Giá",
                "f_housing_basis": "o_nho",
                "f_stay_until": "2027-01-01",
            },
        )
        dossier = online.submit_draft(lan, draft.pk, declared=True)
        services.accept_online(dossier.pk, staff("tiepnhan.rachgia"))
        services.transfer_dossier(dossier.pk, staff("tiepnhan.rachgia"))
        if name == "supplement":
            services.request_supplement(
                dossier.pk, staff("chuyenvien.rachgia"), missing=["Hợp đồng"], reason="Thiếu"
            )
        else:
            services.issue_result(dossier.pk, staff("lanhdao.rachgia"), results=["Kết quả"])
            services.return_result(dossier.pk, staff("tiepnhan.rachgia"))
        found[name] = dossier
    found["draft"] = online.start_draft(lan, TAM_TRU, office)
    return found


def test_every_portal_page_is_accessible_on_desktop_and_phone(page: Page, live_server, portal):
    base = live_server.url
    elsewhere = only_this_host(page, base)
    lan = User.objects.get(username="congdan.lan")
    dossiers = _dossier_in_every_state(lan)
    public = {
        "home": "/",
        "procedures": "/thu-tuc/",
        "procedure": f"/thu-tuc/{TAM_TRU}/",
        "life-events": "/su-kien/",
        "life-event": "/su-kien/cu-tru/",
        "offices": "/co-quan/",
        "office": "/co-quan/000.01.31.H01/",
        "lookup": "/tra-cuu/",
        "result-check": "/kiem-tra-ket-qua/",
        "calendar": "/lich-lam-viec/",
        "sign-in": "/dang-nhap/",
        "idp-sign-in": "/idp-thu-nghiem/",
    }
    for name, path in public.items():
        page.goto(base + path)
        check_page(page, f"portal-page-{name}")
    page.goto(base + "/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("congdan.lan")
    page.get_by_label("Mật khẩu").fill("motcua-demo")
    page.get_by_role("button", name="Đăng nhập").click()
    draft, waiting, done = dossiers["draft"].pk, dossiers["supplement"].pk, dossiers["result"].pk
    private = {
        "my-dossiers": "/ho-so-cua-toi/",
        "apply-start": f"/nop-truc-tuyen/{TAM_TRU}/",
        "draft-info": f"/ho-so-nhap/{draft}/",
        "draft-files": f"/ho-so-nhap/{draft}/giay-to/",
        "draft-review": f"/ho-so-nhap/{draft}/nop/",
        "submitted": f"/ho-so-cua-toi/{waiting}/da-nop/",
        "dossier-waiting": f"/ho-so-cua-toi/{waiting}/",
        "supplement": f"/ho-so-cua-toi/{waiting}/bo-sung/",
        "withdraw": f"/ho-so-cua-toi/{waiting}/rut-ho-so/",
        "dossier-returned": f"/ho-so-cua-toi/{done}/",
        "rate": f"/ho-so-cua-toi/{done}/danh-gia/",
        "feedback": "/phan-anh-kien-nghi/",
    }
    for name, path in private.items():
        page.goto(base + path)
        check_page(page, f"portal-page-{name}")
    # Pages reached by a form: a rating error and the payment gateway.
    page.goto(base + f"/ho-so-cua-toi/{done}/danh-gia/")
    page.get_by_role("button", name="Gửi đánh giá").click()
    check_page(page, "portal-page-rate-errors")
    page.goto(base + f"/ho-so-nhap/{draft}/nop/")
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    check_page(page, "portal-page-gateway")
    page.get_by_role("button", name="Hủy giao dịch").click()
    check_page(page, "portal-page-payment-cancelled")
    assert elsewhere == []
    # A form with errors answers 400 on purpose; anything else in the console is a fault.
    errors = page.console_errors  # type: ignore[attr-defined]
    assert [e for e in errors if "status of 400" not in e] == []


class _RequestThreadsJoined(ThreadedWSGIServer):
    daemon_threads = False  # server_close() waits for them, before the connection is unshared


class _ServerThread(LiveServerThread):
    server_class = _RequestThreadsJoined


@contextmanager
def served_as_in_production(tmp_path: Path) -> Iterator[str]:
    """A second live server that serves static files the way `motcua serve` does in production:
    collected by WhiteNoise's CompressedManifestStaticFilesStorage (hashed names, .gz and .br
    beside each text file) and sent by WhiteNoise with the encoding the browser accepts. The
    session's live server serves them uncompressed from the apps (Django's StaticFilesHandler),
    which is not what a visitor downloads."""
    production_static = {
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
        },
        "STATIC_ROOT": tmp_path / "static",
        "WHITENOISE_USE_FINDERS": False,
        "WHITENOISE_AUTOREFRESH": False,
    }
    with override_settings(**production_static):
        # Not the static files of other screens (the API docs, the admin, statistics' charts):
        # compressing them takes a minute. A page that used one would fail here (missing from the
        # manifest), not be measured lighter.
        call_command(
            "collectstatic",
            interactive=False,
            verbosity=0,
            ignore_patterns=["admin", "ninja", "reports", "django_htmx", "oauth2_provider"],
        )
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()  # type: ignore[attr-defined]
        }
        # No static handler in front of Django: /static/ reaches WhiteNoiseMiddleware.
        server = _ServerThread("127.0.0.1", lambda app: app, connections_override=shared)
        server.daemon = True
        for conn in shared.values():
            conn.inc_thread_sharing()
        server.start()
        server.is_ready.wait()
        try:
            if server.error:
                raise server.error
            with modify_settings(ALLOWED_HOSTS={"append": "127.0.0.1"}):
                yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


def _page_weight(page: Page, url: str) -> dict[str, Any]:
    """What Chromium transfers for one page load on a cold cache: response bodies as they came
    over the wire (compressed or not, as the server chose) plus response headers, per resource;
    and every request, to check that none goes to another host."""
    requested: list[str] = []
    finished: list[Request] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfinished", lambda request: finished.append(request))
    document = page.goto(url, wait_until="networkidle")
    assert document is not None
    assert document.ok
    page.evaluate("document.fonts.ready.then(() => true)")
    host = urlsplit(url).netloc
    assert [
        u for u in requested if urlsplit(u).scheme != "data" and urlsplit(u).netloc != host
    ] == []
    resources = []
    for request in finished:
        response = request.response()
        assert response is not None, request.url
        sizes = request.sizes()
        if sizes["responseBodySize"] < 0:  # the same file again, from the memory cache
            continue
        resources.append(
            {
                "path": urlsplit(request.url).path,
                "encoding": response.headers.get("content-encoding", "identity"),
                "raw": len(response.body()),
                "body": sizes["responseBodySize"],
                "transfer": sizes["responseBodySize"] + sizes["responseHeadersSize"],
            }
        )
    return {
        "requests": len(requested),
        "raw_bytes": sum(r["raw"] for r in resources),
        "transfer_bytes": sum(r["transfer"] for r in resources),
        "resources": resources,
    }


def test_the_home_and_a_procedure_page_are_light(browser: Browser, portal, tmp_path: Path):
    figures = {}
    with served_as_in_production(tmp_path) as base:
        for name, path in (("home", "/"), ("procedure", f"/thu-tuc/{TAM_TRU}/")):
            for width in (375, 1280):  # the mobile menu and the wide header load the same files
                context = browser.new_context(
                    locale="vi-VN", viewport={"width": width, "height": 800}
                )
                figures[f"{name}-{width}"] = _page_weight(context.new_page(), base + path)
                context.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    print(json.dumps({k: (v["requests"], v["transfer_bytes"]) for k, v in figures.items()}))  # noqa: T201
    (SCREENSHOTS / "page-weights.json").write_text(json.dumps(figures, indent=1))
    for name, figure in figures.items():
        assert figure["transfer_bytes"] <= PAGE_WEIGHT_BUDGET, (name, figure)
        static = [r for r in figure["resources"] if r["path"].endswith((".css", ".js"))]
        assert static
        assert all(r["encoding"] in {"gzip", "br"} for r in static), static
