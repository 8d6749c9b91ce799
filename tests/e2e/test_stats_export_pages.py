"""The dossiers behind a figure in a real browser: the list, its two downloads, accessibility."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, serious_accessibility_violations
from tests.e2e.test_backoffice_pages import sign_in
from tests.e2e.test_stats_pages import province_with_dossiers

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
__all__ = ["province_with_dossiers"]  # the fixture


def test_the_drill_down_offers_csv_and_excel_of_every_dossier(
    page: Page, live_server, province_with_dossiers
):
    next_page = "/can-bo/thong-ke/ho-so/%3Fpreset%3Dlast_12_months%26metric%3Dreceived"
    sign_in(page, live_server.url, "giamsat.tinh", next_page)
    csv_link = page.get_by_role("link", name=re.compile("Tải CSV|Download CSV"))
    expect(csv_link).to_be_visible()
    expect(csv_link).to_contain_text(re.compile(r"\(\d+ (hồ sơ|dossiers)\)"))
    screenshot(page, "backoffice-stats-dossiers")
    assert serious_accessibility_violations(page) == []
    with page.expect_download() as csv_download:
        csv_link.click()
    assert csv_download.value.suggested_filename.endswith(".csv")
    text = Path(csv_download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    assert "Mã hồ sơ" in text
    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name=re.compile("Tải Excel|Download Excel")).click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert book.active["B4"].value == "Mã hồ sơ"
    assert page.console_errors == []  # type: ignore[attr-defined]
