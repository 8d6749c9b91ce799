"""The TT 01/2018 evaluation page: the nine indices for the supervisor, 404 outside scope."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from motcua.core.models import User
from motcua.organizations.models import Agency

pytestmark = pytest.mark.django_db
URL = "/can-bo/thong-ke/danh-gia-tt01/"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_supervisor_sees_the_nine_indices_total_and_band(demo):
    response = signed_in("giamsat.tinh").get(URL, {"year": "2025"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption>" in html
    assert html.count('<th scope="row">') == 10  # nine indices and the total
    assert "không có dữ liệu" in html or "not available" in html
    assert "danh-gia-tt01.xlsx" in html


def test_a_quarter_is_exported_as_a_workbook(demo):
    response = signed_in("giamsat.tinh").get(
        "/can-bo/thong-ke/danh-gia-tt01.xlsx", {"year": "2025", "quarter": "3"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.max_row == 4 + 9 + 1


def test_another_agency_is_not_found(demo):
    phu_quoc = Agency.objects.get(code="000.00.32.H01", valid_to__isnull=True)
    response = signed_in("lanhdao.rachgia").get(URL, {"agency": phu_quoc.pk})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"year": "2099", "quarter": "1"},
        {"first": "2026-03-10", "last": "2026-03-01"},
        {"year": "2025", "quarter": "7"},
        {"year": "abc"},
    ],
)
def test_future_reversed_or_malformed_periods_are_refused_with_a_message(demo, params):
    response = signed_in("giamsat.tinh").get(URL, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
