"""Exporting the dossiers behind a figure: every dossier of the drill-down, as CSV or Excel,
streamed in constant memory, within the officer's scope."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import load_workbook

from motcua.backoffice import stats_views
from motcua.backoffice.tests.test_stats_pages import agency, signed_in, stats_db  # noqa: F401
from motcua.calendars.engine import VN_TZ
from motcua.core.clock import today
from motcua.core.models import User
from motcua.dossiers.models import Dossier, DossierTransition
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.reports import exports
from motcua.reports.periods import preset
from motcua.reports.selectors import (
    DRILLABLE,
    BehindRow,
    _drill_candidates,
    coverage_for,
    days_late,
    dossiers_behind,
    every_dossier_behind,
)
from motcua.reports.xlsx_stream import HEADER_ROW

PAGE = "/can-bo/thong-ke/ho-so/"
CSV_URL = "/can-bo/thong-ke/ho-so.csv"
XLSX_URL = "/can-bo/thong-ke/ho-so.xlsx"
YEAR = {"preset": "last_12_months", "metric": "received"}
DATE = re.compile(r"^\d\d/\d\d/\d{4} \d\d:\d\d$")


@pytest.fixture
def supervisor(stats_db, db):  # noqa: F811
    return signed_in("giamsat.tinh")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def expected_codes(username: str, metrics: list[str], agency_id: int | None = None) -> set[str]:
    """What the drill-down page lists (all its pages at once)."""
    user = User.objects.get(username=username)
    on = today()
    page = dossiers_behind(
        user,
        preset("last_12_months", today=on),
        coverage_for(user, on, agency_id),
        metrics,
        size=10_000,
    )
    return {line.dossier.code or line.dossier.submission_ref or "" for line in page.lines}


def test_the_csv_export_streams_every_dossier_behind_the_figure(supervisor):
    response = supervisor.get(CSV_URL, YEAR)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="ho-so-received-')
    rows = csv_rows(response)
    _title, _subtitle, header, *lines = rows
    assert "Mã hồ sơ" in header  # Vietnamese headers by default
    assert "Người nộp hồ sơ" in header
    assert len(header) == len(exports.DOSSIER_COLUMNS)
    assert lines, "the demo has dossiers received in the last 12 months"
    assert {line[1] for line in lines} == expected_codes("giamsat.tinh", ["received"])
    assert [line[0] for line in lines] == [str(i) for i in range(1, len(lines) + 1)]
    received = header.index("Ngày tiếp nhận") if "Ngày tiếp nhận" in header else 8
    assert all(DATE.match(line[received]) for line in lines)


def test_the_texts_keep_the_requests_language_while_the_file_streams(supervisor):
    response = supervisor.get(CSV_URL, YEAR)  # Vietnamese, the default
    with translation.override("en"):  # whatever is active when the rows are sent
        rows = csv_rows(response)
    assert "Mã hồ sơ" in rows[2]


def test_csv_times_are_vietnamese_local_times(supervisor):
    rows = csv_rows(supervisor.get(CSV_URL, YEAR))
    line = rows[3]
    dossier = Dossier.objects.get(code=line[1])
    assert dossier.received_at is not None
    assert line[8] == dossier.received_at.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def test_the_excel_export_is_a_titled_sheet_with_real_dates(supervisor):
    response = supervisor.get(XLSX_URL, YEAR)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet["A1"].font.b
    assert sheet["A2"].font.i
    assert sheet.cell(row=HEADER_ROW, column=2).value == "Mã hồ sơ"
    assert sheet.cell(row=HEADER_ROW, column=2).font.b
    assert sheet.cell(row=HEADER_ROW, column=2).border.left.style == "thin"
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    lines = [r for r in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True) if r[0]]
    assert {line[1] for line in lines} == expected_codes("giamsat.tinh", ["received"])
    first = lines[0]
    dossier = Dossier.objects.get(code=first[1])
    assert dossier.received_at is not None
    local = dossier.received_at.astimezone(VN_TZ).replace(tzinfo=None, second=0, microsecond=0)
    assert first[8].replace(second=0, microsecond=0) == local
    assert sheet.cell(row=HEADER_ROW + 1, column=9).number_format == "dd/mm/yyyy hh:mm"


def test_late_dossiers_say_how_many_days_late(supervisor):
    metric = {"preset": "last_12_months", "metric": "resolved_late,resolved_late_apology,overdue"}
    rows = csv_rows(supervisor.get(CSV_URL, metric))
    lines = rows[3:]
    assert lines
    assert all(line[14].isdigit() and int(line[14]) >= 1 for line in lines)


def test_an_officer_exports_only_the_dossiers_they_may_see(stats_db, db):  # noqa: F811
    officer = signed_in("lanhdao.rachgia")
    phu_quoc = agency("000.00.32.H01")
    for url in (CSV_URL, XLSX_URL):
        assert officer.get(url, {**YEAR, "agency": phu_quoc.pk}).status_code == 404
    rows = csv_rows(officer.get(CSV_URL, YEAR))
    codes = {line[1] for line in rows[3:]}
    visible = dossiers_visible_to(User.objects.get(username="lanhdao.rachgia"))
    assert codes <= set(visible.values_list("code", flat=True)) | set(
        visible.values_list("submission_ref", flat=True)
    )
    assert codes == expected_codes("lanhdao.rachgia", ["received"])


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_a_reversed_or_future_period_is_refused_with_a_message_not_an_error(supervisor, url):
    reversed_ = supervisor.get(url, {"first": "2026-03-10", "last": "2026-03-01", "metric": "late"})
    assert reversed_.status_code == 404  # "late" is not a figure
    reversed_ = supervisor.get(
        url, {"first": "2026-03-10", "last": "2026-03-01", "metric": "received"}
    )
    assert reversed_.status_code == 400
    assert "sau ngày kết thúc" in reversed_.content.decode()
    future = supervisor.get(
        url, {"first": "2026-01-01", "last": "2099-12-31", "metric": "received"}
    )
    assert future.status_code == 400
    assert 'role="alert"' in future.content.decode()


def test_citizens_cannot_export(stats_db, db):  # noqa: F811
    assert signed_in("congdan.lan").get(CSV_URL, YEAR).status_code == 403


def clone(dossier: Dossier, n: int, tag: str) -> None:
    """``n`` copies of ``dossier`` with its history (bulk inserts: fast, no outbox)."""
    fields = [f.attname for f in Dossier._meta.concrete_fields if not f.primary_key]
    history = list(DossierTransition.objects.filter(dossier=dossier).order_by("seq"))
    history_fields = [
        f.attname for f in DossierTransition._meta.concrete_fields if not f.primary_key
    ]
    for i in range(n):
        copy = Dossier(**{name: getattr(dossier, name) for name in fields})
        copy.code = f"{tag}-{i:04d}"
        copy.submission_ref = None
        copy.save()
        DossierTransition.objects.bulk_create(
            DossierTransition(
                **{**{name: getattr(t, name) for name in history_fields}, "dossier_id": copy.pk}
            )
            for t in history
        )


def export_queries(client, url: str) -> tuple[int, int]:
    """The export's queries (but the reference memo's once-a-second freshness check, which falls
    where the clock says) and its size."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, YEAR)
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    ours = [q for q in queries.captured_queries if "core_referencegeneration" not in q["sql"]]
    return len(ours), len(body)


@pytest.mark.parametrize("url", [CSV_URL, XLSX_URL])
def test_the_number_of_queries_does_not_grow_with_the_dossiers(supervisor, url):
    received = next(
        d
        for d in Dossier.objects.filter(received_at__isnull=False, code__isnull=False)
        if d.code in expected_codes("giamsat.tinh", ["received"])
    )
    export_queries(supervisor, url)  # the per-process memos warm
    clone(received, 2, "FEW")
    few, few_bytes = export_queries(supervisor, url)
    clone(received, 48, "MANY")
    many, many_bytes = export_queries(supervisor, url)
    assert many_bytes > few_bytes  # the 48 more dossiers are in the file
    assert many == few
    assert many <= 30


@pytest.mark.parametrize("metric", sorted(DRILLABLE))
def test_the_export_lists_exactly_the_dossiers_of_the_drill_down(supervisor, metric):
    """For every figure, the export and the drill-down page apply the same rule."""
    user = User.objects.get(username="giamsat.tinh")
    on = today()
    period, coverage = preset("last_12_months", today=on), coverage_for(user, on, None)
    exported = [row.code for row in every_dossier_behind(user, period, coverage, [metric])]
    assert len(exported) == len(set(exported))
    assert set(exported) == expected_codes("giamsat.tinh", [metric])


def test_reading_in_chunks_keeps_the_queries_per_chunk_fixed(supervisor):
    user = User.objects.get(username="giamsat.tinh")
    on = today()
    period, coverage = preset("last_12_months", today=on), coverage_for(user, on, None)
    whole = list(every_dossier_behind(user, period, coverage, ["received"]))
    with CaptureQueriesContext(connection) as queries:
        chunked = list(every_dossier_behind(user, period, coverage, ["received"], chunk=3))
    assert chunked == whole
    candidates = _drill_candidates(user, period, coverage).count()
    assert candidates > len(whole) > 3
    chunks = -(-candidates // 3)
    # Per chunk of candidates: the candidates, their transitions (with the hand-overs), the
    # procedure versions not met before; then the empty last page and the user's scope.
    assert len(queries) <= 3 * chunks + 1 + 2


def test_excel_stops_at_the_sheet_limit_with_a_note():
    row = BehindRow(
        "X-1",
        "1.0001",
        "Thủ tục",
        "Nguyễn Văn A",
        "Bộ phận",
        "UBND",
        "counter",
        "received",
        dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC),
        None,
        None,
        None,
        None,
        None,
        ("received",),
    )
    listing = exports.DossierList("Hồ sơ", "Tỉnh")
    limit = HEADER_ROW + 3

    def sheet(n: int):
        data = b"".join(exports.dossiers_xlsx_chunks(listing, [row] * n, max_rows=limit))
        return load_workbook(io.BytesIO(data)).active

    full = sheet(3)
    assert full.max_row == limit
    assert full.cell(row=limit, column=2).value == "X-1"
    assert full.cell(row=limit, column=9).value == dt.datetime(2026, 3, 2, 9, 30)
    cut = sheet(4)
    assert cut.max_row == limit
    assert cut.cell(row=limit - 1, column=2).value == "X-1"
    assert "CSV" in cut.cell(row=limit, column=1).value


def test_excel_is_refused_when_the_figure_is_larger_than_a_sheet(supervisor, monkeypatch):
    monkeypatch.setattr(stats_views, "EXCEL_MAX_ROWS", HEADER_ROW + 1)
    response = supervisor.get(XLSX_URL, YEAR)
    assert response.status_code == 400
    assert "CSV" in response.content.decode()
    page = supervisor.get(PAGE, YEAR).content.decode()
    assert "ho-so.xlsx" not in page
    assert "ho-so.csv" in page


def test_the_drill_down_page_offers_both_downloads_with_the_figure(supervisor):
    response = supervisor.get(PAGE, YEAR)
    html = response.content.decode()
    assert f"{CSV_URL}?" in html
    assert f"{XLSX_URL}?" in html
    assert 'name="metric" value="received"' in html  # a new period keeps the figure
    figure = response.context["figure"]
    assert figure >= len(expected_codes("giamsat.tinh", ["received"]))


HOUR = dt.timedelta(hours=1)
DUE = dt.datetime(2026, 3, 10, 10, 0, tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("finished", "due_current", "paused", "at", "late"),
    [
        (DUE - HOUR, None, False, DUE, None),  # resolved before the due: not late
        (DUE, None, False, DUE, None),  # at the due instant: on time
        (DUE + HOUR, None, False, DUE, 1),  # the same day, after the instant: 1 day
        (DUE + dt.timedelta(days=3), None, False, DUE, 3),  # three calendar days later
        (DUE + dt.timedelta(days=3), DUE + dt.timedelta(days=5), False, DUE, 3),  # with apology
        (None, DUE, False, DUE + dt.timedelta(days=2), 2),  # open, past the appointment
        (None, DUE, True, DUE + dt.timedelta(days=2), None),  # waiting for the applicant
        (None, DUE + dt.timedelta(days=5), False, DUE + dt.timedelta(days=2), None),  # extended
    ],
)
def test_days_late(finished, due_current, paused, at, late):
    assert (
        days_late(finished=finished, due_legal=DUE, due_current=due_current, paused=paused, at=at)
        == late
    )
