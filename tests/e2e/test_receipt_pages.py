"""Fee receipts on the back office in a real browser: the "Fee receipts" block of a paid dossier,
the "Cancel or replace" disclosure (a plain form post), accessibility and screenshots."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from motcua.dossiers.tests.online_data import lan, office, tam_tru  # noqa: F401 - fixtures
from motcua.dossiers.tests.test_reconciliation import paid_payment
from motcua.integrations.models import FeeReceipt, ReceiptStatus
from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_backoffice_pages import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_office_replaces_a_receipt_from_the_dossier_page(
    page: Page,
    live_server,
    tam_tru,  # noqa: F811
    lan,  # noqa: F811
    office,  # noqa: F811
):
    payment = paid_payment(lan, office, Client())
    old = FeeReceipt.objects.get(payment=payment)
    sign_in(page, live_server.url, "tiepnhan.rachgia")
    page.goto(f"{live_server.url}/can-bo/ho-so/{payment.dossier_id}/")
    receipts = page.get_by_test_id("fee-receipts")
    expect(receipts).to_contain_text(f"{old.number:07d}")
    receipts.get_by_text("Hủy hoặc thay thế").click()  # the <details> summary
    receipts.get_by_label("Lý do").fill("Sai họ tên người nộp")
    receipts.get_by_label("Tên người nộp trên biên lai mới").fill("Trần Thị Lan")
    screenshot(page, "backoffice-fee-receipt-replace")
    assert serious_accessibility_violations(page) == []
    receipts.get_by_role("button", name="Thay thế").click()
    expect(page.locator(".usa-alert--success")).to_contain_text("Đã lập biên lai mới")
    new = FeeReceipt.objects.get(replaces=old)
    expect(page.get_by_test_id("fee-receipts")).to_contain_text(f"{new.number:07d}")
    screenshot(page, "backoffice-fee-receipt-replaced")
    assert FeeReceipt.objects.get(pk=old.pk).status == ReceiptStatus.REPLACED
    assert new.payer_name == "Trần Thị Lan"
    assert page.console_errors == []  # type: ignore[attr-defined]
