"""Administrators edit the working calendar in the back office; others may only look."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.models import CalendarChange, CalendarDay
from motcua.core.models import User

pytestmark = pytest.mark.django_db
URL = "/can-bo/lich-lam-viec/vn/2026/"


@pytest.fixture
def administrator(demo) -> User:
    return User.objects.get(username="quantri")


def test_the_year_view_shows_days_forms_and_history_to_an_administrator(client, administrator):
    client.force_login(administrator)
    html = client.get(URL).content.decode()
    assert "Thêm ngày nghỉ hoặc ngày làm bù" in html
    assert "Lịch sử thay đổi" in html
    assert "CV 12729/VPCP-KGVX" in html


def test_an_administrator_adds_a_day_off(client, administrator):
    client.force_login(administrator)
    response = client.post(
        URL,
        {
            "action": "add",
            "date": "2026-11-24",
            "kind": "day_off",
            "name_vi": "Ngày Văn hóa Việt Nam",
            "source": "TB giả định",
            "status": "decreed",
            "reason": "thử nghiệm",
        },
    )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=dt.date(2026, 11, 24))
    assert day.name_vi == "Ngày Văn hóa Việt Nam"
    assert CalendarChange.objects.filter(actor=administrator, date=day.date).exists()


def test_a_refused_entry_shows_why_and_saves_nothing(client, administrator):
    client.force_login(administrator)
    response = client.post(
        URL,
        {
            "action": "add",
            "date": "2026-11-21",
            "kind": "day_off",
            "name_vi": "Thứ Bảy",
            "source": "x",
            "status": "decreed",
        },
    )
    assert response.status_code == 400
    assert "đã là ngày không làm việc" in response.content.decode()
    assert not CalendarDay.objects.filter(date=dt.date(2026, 11, 21)).exists()


def test_an_incomplete_form_shows_field_errors(client, administrator):
    client.force_login(administrator)
    response = client.post(URL, {"action": "add", "date": "", "kind": "day_off"})
    assert response.status_code == 400
    assert "usa-error-message" in response.content.decode()


def test_an_officer_may_look_but_not_edit(client, officer_province):
    client.force_login(officer_province)
    html = client.get(URL).content.decode()
    assert "Thêm ngày nghỉ hoặc ngày làm bù" not in html
    response = client.post(URL, {"action": "remove", "date": "2026-01-10", "reason": "x"})
    assert response.status_code == 403
    assert CalendarDay.objects.filter(date=dt.date(2026, 1, 10)).exists()


def test_a_citizen_gets_no_access(client, citizen_lan):
    client.force_login(citizen_lan)
    assert client.get(URL).status_code == 403


def test_an_administrator_removes_and_confirms(client, administrator):
    client.force_login(administrator)
    response = client.post(URL, {"action": "remove", "date": "2026-01-10", "reason": "sai"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=dt.date(2026, 1, 10)).exists()
    response = client.post(
        "/can-bo/lich-lam-viec/vn/2027/", {"action": "confirm", "note": "TB 1/2026"}
    )
    assert response.status_code == 302


def test_unknown_calendars_are_not_found(client, administrator):
    client.force_login(administrator)
    assert client.get("/can-bo/lich-lam-viec/khong-co/2026/").status_code == 404


def test_demo_is_still_idempotent_with_calendars():
    from motcua.config.demo.loader import load_demo

    load_demo(procedures=False)
    load_demo(procedures=False)
