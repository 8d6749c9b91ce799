"""Consultations (T21) in a real browser: the consulted agency's list, the answer form on the
dossier page (a plain form post), accessibility and screenshots."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from playwright.sync_api import Page, expect

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import (
    People,
    ensure_procedure,
    hours,
    in_status,
    other_commune,
)
from motcua.dossiers.workflow import Status
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_backoffice_pages import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def consulted(demo: None) -> Iterator[Dossier]:
    """Tuesday 03/03/2026 10:00: phường Rạch Giá asked Phú Quốc for an opinion yesterday."""
    with time_machine.travel(hours(25), tick=True):
        ensure_procedure()
        people = People.load()
        dossier = in_status(Status.IN_PROCESS, people)
        yield services.consult_agencies(
            dossier.pk,
            people.handler,
            agencies=[other_commune()],
            task="Xác minh nơi cư trú trước đây của người nộp",
            deadline=hours(48),
            at=hours(2),
        )


def test_the_consulted_agency_lists_and_answers(page: Page, live_server, consulted):
    sign_in(page, live_server.url, "chuyenvien.phuquoc")
    page.get_by_role("link", name="Đề nghị phối hợp gửi cơ quan tôi").click()
    expect(page.locator("h1")).to_have_text("Đề nghị phối hợp gửi cơ quan tôi")
    expect(page.locator("table")).to_contain_text(consulted.code)
    expect(page.locator("table")).to_contain_text("Đang chờ trả lời")
    screenshot(page, "backoffice-consultations-list")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("link", name=consulted.code).click()
    page.get_by_text("Trả lời đề nghị phối hợp (").click()  # the <details> summary
    page.get_by_label("Ý kiến của cơ quan").fill("Đã xác minh: đúng nơi cư trú.")
    screenshot(page, "backoffice-consultation-answer-form")
    assert serious_accessibility_violations(page) == []
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Đã gửi ý kiến")
    expect(page.locator(".motcua-consultations")).to_contain_text("Đã xác minh: đúng nơi cư trú.")
    screenshot(page, "backoffice-consultation-answered")
    assert page.console_errors == []  # type: ignore[attr-defined]
