"""Statistics pages of the back office: period validation, scope, drill-down and exports."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook

from motcua.config.demo.loader import load_demo
from motcua.core.models import User
from motcua.notifications.services import deliver_pending
from motcua.organizations.models import Agency
from motcua.reports.periods import preset
from motcua.reports.selectors import coverage_for, figures
from motcua.reports.tests.test_rollups import dossiers_in_every_state

URL = "/can-bo/thong-ke/"


@pytest.fixture(scope="module")
def stats_db(django_db_setup, django_db_blocker):
    """The demo province with its dossiers and up-to-date rollups, once for the module (rolled
    back afterwards: each test's own transaction nests inside this one)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        load_demo()  # the catalogue (and the demo dossiers)
        dossiers_in_every_state()
        while deliver_pending(limit=1000).delivered:
            pass
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code, valid_to__isnull=True)


@pytest.fixture
def supervisor(stats_db, db) -> Client:
    return signed_in("giamsat.tinh")


def test_dashboard_shows_the_figures_and_charts_fall_back_to_tables(supervisor):
    response = supervisor.get(URL, {"preset": "last_12_months"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-chart="bar"' in html
    assert "<table" in html
    assert "echarts.min.js" in html
    assert 'nonce="' in html


def test_levels_and_fields_add_up_to_the_totals(supervisor):
    from motcua.core.clock import today
    from motcua.reports.selectors import dashboard

    user = User.objects.get(username="giamsat.tinh")
    period = preset("last_12_months", today=today())
    data = dashboard(period, coverage_for(user, period.last, None))
    assert data.totals.received > 0
    assert [r.key for r in data.levels] == sorted(
        (r.key for r in data.levels), key=["province", "district", "commune"].index
    )
    for rows in (data.levels, data.fields):
        assert sum(r.figures.received for r in rows) == data.totals.received
        assert sum(r.figures.resolved for r in rows) == data.totals.resolved
        assert sum(r.figures.late for r in rows) == data.totals.late
    assert sum(r.figures.overdue for r in data.levels) == data.totals.overdue
    assert all(r.label != "?" for r in data.fields)
    html = supervisor.get(URL, {"preset": "last_12_months"}).content.decode()
    assert "Theo cấp" in html
    assert "Cấp tỉnh" in html
    assert "Theo lĩnh vực" in html
    assert data.fields[0].label in html


def test_a_reversed_period_is_refused_with_a_clear_message(supervisor):
    response = supervisor.get(URL, {"first": "2026-03-10", "last": "2026-03-01"})
    assert response.status_code == 400
    assert "sau ngày kết thúc" in response.content.decode() or "after its end" in (
        response.content.decode()
    )


def test_a_period_in_the_future_is_refused(supervisor):
    response = supervisor.get(URL, {"first": "2026-01-01", "last": "2099-12-31"})
    assert response.status_code == 400


def test_other_agency_gets_404(stats_db, db):
    officer = signed_in("lanhdao.rachgia")  # leader of phường Rạch Giá
    phu_quoc = agency("000.00.32.H01")
    assert officer.get(URL, {"agency": phu_quoc.pk}).status_code == 404
    assert officer.get(URL, {"agency": agency("000.00.31.H01").pk}).status_code == 200
    assert officer.get(URL + "bao-cao.xlsx", {"agency": phu_quoc.pk}).status_code == 404


def test_a_citizen_cannot_see_statistics(stats_db, db):
    assert signed_in("congdan.lan").get(URL).status_code == 403


def test_drill_down_lists_the_dossiers_behind_a_figure(supervisor):
    response = supervisor.get(URL + "ho-so/", {"preset": "last_12_months", "metric": "received"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "/can-bo/ho-so/" in page
    # The figure and each dossier's "counts as" by name, never by metric code.
    assert "Danh sách hồ sơ: Tiếp nhận mới" in page
    assert "<td>Tiếp nhận mới</td>" in page
    assert "<code>received</code>" not in page


def test_the_excel_report_opens_and_its_total_matches(supervisor):
    response = supervisor.get(URL + "bao-cao.xlsx", {"preset": "last_12_months"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    assert sheet["A4"].font.b
    header = [c.value for c in sheet[4]]
    received_col = (
        header.index(
            next(h for h in header if (h and "tiếp nhận mới" in h.lower()) or h == "Newly received")
        )
        + 1
    )
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]]
    total = rows[-1]
    assert sum(r[received_col - 1] for r in rows[:-1]) == total[received_col - 1]
    user = User.objects.get(username="giamsat.tinh")
    period = preset(
        "last_12_months", today=__import__("motcua.core.clock", fromlist=["today"]).today()
    )
    coverage = coverage_for(user, period.last, None)
    assert total[received_col - 1] == figures(period, coverage.ids).received
    # By level and by field, each on its own sheet, adding up to the same total.
    assert book.sheetnames[-2:] == ["Theo cấp", "Theo lĩnh vực"]
    for name in book.sheetnames[-2:]:
        lines = [r for r in book[name].iter_rows(min_row=5, values_only=True) if r[0]]
        assert lines[-1][0] == "Tổng cộng"
        assert sum(r[1] for r in lines[:-1]) == lines[-1][1] == total[received_col - 1]


def test_the_csv_report_streams(supervisor):
    response = supervisor.get(URL + "bao-cao.csv", {"preset": "last_12_months"})
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    assert len(text.splitlines()) >= 5
    assert "Theo cấp hành chính" in text
    assert "Theo lĩnh vực thủ tục" in text


def test_the_766_page_marks_external_indicators(supervisor):
    response = supervisor.get(URL + "chi-so-766/", {"preset": "last_12_months"})
    assert response.status_code == 200
    assert "2.1" in response.content.decode()


def test_the_scorecard_counts_procedures_by_online_level(supervisor):
    response = supervisor.get(URL + "cai-cach/", {"preset": "year"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sắp xếp tổ chức bộ máy so với kế hoạch" in html  # organisations restructured
    assert "Không có đợt sắp xếp nào có hiệu lực trong kỳ." in html  # none this year
