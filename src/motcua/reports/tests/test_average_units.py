"""Average processing time per procedure in the procedure's own unit (indices.md 2.2), from the
rollups: working days, working hours or calendar days, with the unit named; mixed figures in
working days. Incremental rollups still equal the recount."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from motcua.calendars.engine import VN_TZ
from motcua.calendars.services import create_calendar, set_calendar_day
from motcua.catalog.data import ChannelData, ProcedureData
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import TimeUnit
from motcua.catalog.services.versions import create_procedure, publish_version
from motcua.config.demo.loader import load_demo
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import People, dossier_input, office
from motcua.reports import rollups
from motcua.reports.models import DailyAgencyRollup
from motcua.reports.periods import Period
from motcua.reports.selectors import figures, procedure_rows
from motcua.reports.tests.test_rollups import deliver_everything
from motcua.reports.units import AverageUnit, unit_for_limit

MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
#: Procedures of the tests, by time-limit unit: (code, amount, unit).
LIMITS = {
    "working_days": ("9.999101", "10", TimeUnit.WORKING_DAYS),
    "calendar_days": ("9.999102", "15", TimeUnit.CALENDAR_DAYS),
    "working_hours": ("9.999103", "8", TimeUnit.WORKING_HOURS),
}


def at(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=VN_TZ)


def procedure(code: str, amount: str, unit: str) -> None:
    version = create_procedure(
        ProcedureData(
            code=code,
            name=f"Thủ tục thử nghiệm {code}",
            field="Hộ tịch",
            levels=("commune",),
            channels=tuple(
                ChannelData(channel=c, amount=Decimal(amount), unit=unit)
                for c in (CatalogChannel.IN_PERSON, CatalogChannel.ONLINE)
            ),
        )
    )
    publish_version(version, valid_from=dt.date(2020, 1, 1))


def resolved(people: People, code: str, received: dt.datetime, result: dt.datetime) -> Dossier:
    """A dossier of ``code`` received at the Rạch Giá desk, transferred an hour later, resolved."""
    data = dossier_input(people)
    data.procedure_code = code
    dossier = services.receive_dossier(data, people.officer, at=received)
    services.transfer_dossier(dossier.pk, people.officer, at=received + dt.timedelta(hours=1))
    return services.issue_result(dossier.pk, people.leader, results=["Kết quả"], at=result)


@pytest.fixture
def people(db: None) -> People:
    load_demo(procedures=False)
    for code, amount, unit in LIMITS.values():
        procedure(code, amount, unit)
    return People.load()


def stored_work_minutes() -> int:
    return sum(DailyAgencyRollup.objects.values_list("resolved_work_minutes", flat=True))


def test_working_time_follows_the_receiving_offices_own_calendar(people):
    # The office closes on Tue 03/03 (a local day off in its own calendar): from Mon 02/03 09:00 to
    # Wed 04/03 09:00 it worked one day (8 h), where the national calendar counts two.
    calendar = create_calendar(code="ttpvhcc-rach-gia", name="Lịch TTPVHCC phường Rạch Giá")
    set_calendar_day(
        calendar,
        date=dt.date(2026, 3, 3),
        kind="day_off",
        name_vi="Nghỉ theo quyết định của địa phương",
        source="QĐ thử nghiệm",
    )
    desk = office()
    desk.calendar = calendar
    desk.save()
    resolved(people, LIMITS["working_days"][0], at(2), at(4))
    deliver_everything()
    assert stored_work_minutes() == 480
    check = rollups.verify()
    assert check.ok, check.differences[:5]


def test_incremental_rollups_equal_the_recount_with_working_time(people):
    code = LIMITS["working_days"][0]
    resolved(people, code, at(2), at(9))  # Mon → next Mon: 5 working days
    data = dossier_input(people)
    data.procedure_code = code
    dossier = services.receive_dossier(data, people.officer, at=at(3))
    services.transfer_dossier(dossier.pk, people.officer, at=at(3, 10))
    services.request_supplement(
        dossier.pk, people.handler, missing=["Giấy tờ A"], reason="Thiếu", at=at(3, 14)
    )
    services.receive_supplement(dossier.pk, people.officer, at=at(5, 14))
    services.issue_result(dossier.pk, people.leader, results=["Kết quả"], at=at(6, 14))
    deliver_everything()
    # 5 × 480, plus: Tue 03/03 09:00 → Fri 06/03 14:00 is 6 h + 8 h + 8 h + 5 h (07:00–11:30,
    # 13:30–14:00) = 27 h of working time, minus the pause Tue 14:00 → Thu 14:00 (3 h + 8 h + 5 h
    # = 16 h): 11 h.
    assert stored_work_minutes() == 5 * 480 + 11 * 60
    check = rollups.verify()
    assert check.ok, check.differences[:5]
    assert check.lagging == 0
    assert figures(MARCH, None).average_work_days == pytest.approx((5 * 480 + 660) / 2 / 480)


def test_each_procedure_is_shown_in_the_unit_of_its_time_limit(people):
    # Received Mon 02/03 09:00, results Mon 09/03 09:00: 5 working days, 7 calendar days.
    dossiers = [
        resolved(people, LIMITS["working_days"][0], at(2), at(9)),
        resolved(people, LIMITS["calendar_days"][0], at(2), at(9)),
        # Same day 09:00 → 15:00: 2 h 30 in the morning, 1 h 30 after lunch.
        resolved(people, LIMITS["working_hours"][0], at(2), at(2, 15)),
    ]
    deliver_everything()
    rows = {row.code: row for row in procedure_rows(MARCH, None, limit=None)}
    days, calendar_days, hours = (rows[code] for code, _a, _u in LIMITS.values())
    assert days.unit is AverageUnit.WORKING_DAYS
    assert days.average == pytest.approx(5.0)
    assert calendar_days.unit is AverageUnit.CALENDAR_DAYS
    assert calendar_days.average == pytest.approx(7.0)
    assert hours.unit is AverageUnit.WORKING_HOURS
    assert hours.average == pytest.approx(4.0)
    assert not any(row.mixed_units for row in rows.values())
    # The catalogue's (version, channel) gives the unit each dossier was received with.
    for dossier in dossiers:
        assert rows[dossier.procedure_version.procedure.code].unit is unit_for_limit(
            dossier.time_limit_unit
        )
    # The agency total mixes them: working days ((5 + 5 + 0.5) / 3).
    assert figures(MARCH, None).average_work_days == pytest.approx(10.5 / 3)


def test_a_procedure_whose_channels_differ_in_unit_is_shown_in_working_days(people):
    version = create_procedure(
        ProcedureData(
            code="9.999104",
            name="Thủ tục thử nghiệm hai đơn vị",
            field="Hộ tịch",
            levels=("commune",),
            channels=(
                ChannelData(
                    channel=CatalogChannel.IN_PERSON, amount=Decimal(7), unit="calendar_days"
                ),
                ChannelData(channel=CatalogChannel.ONLINE, amount=Decimal(3), unit="working_days"),
            ),
        )
    )
    publish_version(version, valid_from=dt.date(2020, 1, 1))
    resolved(people, "9.999104", at(2), at(9))
    online = dossier_input(people, channel="portal")
    online.procedure_code = "9.999104"
    submitted = services.submit_online(online, people.citizen, at=at(2, 8))
    services.accept_online(submitted.pk, people.officer, at=at(2, 9))
    services.transfer_dossier(submitted.pk, people.officer, at=at(2, 10))
    services.issue_result(submitted.pk, people.leader, results=["Kết quả"], at=at(4, 9))
    deliver_everything()
    (row,) = [r for r in procedure_rows(MARCH, None, limit=None) if r.code == "9.999104"]
    assert (row.unit, row.mixed_units) == (AverageUnit.WORKING_DAYS, True)
    assert row.average == pytest.approx((5 + 2) / 2)


@pytest.fixture
def supervisor(people) -> Client:
    resolved(people, LIMITS["working_days"][0], at(2), at(9))
    resolved(people, LIMITS["working_hours"][0], at(2), at(2, 15))
    deliver_everything()
    client = Client()
    client.force_login(User.objects.get(username="giamsat.tinh"))
    return client


PERIOD = {"first": "2026-03-01", "last": "2026-03-31"}


def named(text: str, *units: str) -> bool:
    """Whether ``text`` names every unit (in Vietnamese, or in English before translation)."""
    with translation.override("vi"):
        vietnamese = [str(AverageUnit(u).label) for u in units]
    english = [str(AverageUnit(u).label) for u in units]
    return all(v in text for v in vietnamese) or all(e in text for e in english)


def test_the_dashboard_names_each_procedures_unit(supervisor):
    response = supervisor.get("/can-bo/thong-ke/", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    assert named(html, "working_days", "working_hours")
    assert "5,0" in html or "5.0" in html  # 5 working days
    assert "4,0" in html or "4.0" in html  # 4 working hours


def test_the_public_page_names_each_procedures_unit(supervisor):
    response = Client().get("/minh-bach/", {"nam": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert named(html, "working_days", "working_hours")


def test_the_exports_give_each_procedures_average_in_its_unit(supervisor):
    response = supervisor.get("/can-bo/thong-ke/bao-cao.xlsx", PERIOD)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    units_sheet, procedures = book.worksheets[:2]
    header = [c.value for c in units_sheet[4]]
    assert any("working days" in h or "ngày làm việc" in h for h in header if h)
    rows = {r[0]: r for r in procedures.iter_rows(min_row=5, values_only=True) if r[0]}
    days, hours = rows[LIMITS["working_days"][0]], rows[LIMITS["working_hours"][0]]
    assert days[5] == pytest.approx(5.0)
    assert hours[5] == pytest.approx(4.0)
    assert named(f"{days[6]} {hours[6]}", "working_days", "working_hours")
    text = b"".join(supervisor.get("/can-bo/thong-ke/bao-cao.csv", PERIOD).streaming_content)
    lines = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    by_code = {line[0]: line for line in lines if line}
    assert float(by_code[LIMITS["working_hours"][0]][5]) == pytest.approx(4.0)
    assert named(by_code[LIMITS["working_hours"][0]][6], "working_hours")
