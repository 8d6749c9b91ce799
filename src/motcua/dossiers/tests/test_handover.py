"""Replaying the 2025 reform on the demo: Kiên Giang's city and district offices close on
30/06/2025, the new commune-level units take over, and the dossiers in flight move without losing
anything."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.services.handover import preview_handover, restructure
from motcua.dossiers.tests.factories import PROCEDURE, ensure_procedure
from motcua.dossiers.workflow import Action, Status
from motcua.organizations.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    Restructuring,
    RestructuringKind,
    Role,
    StaffAssignment,
)
from motcua.organizations.restructuring import (
    current_successor,
    plan_restructuring,
    preview_restructuring,
)
from motcua.organizations.selectors import agency_by_code

pytestmark = pytest.mark.django_db

OPENED = dt.date(2020, 1, 1)
REFORM = dt.date(2025, 7, 1)


def june(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, 6, day, hour, 0, tzinfo=VN_TZ)


def legacy(code: str, name: str, kind: AgencyKind, parent: Agency | None = None) -> Agency:
    return Agency.objects.create(
        code=code,
        name=name,
        kind=kind,
        level=AgencyLevel.DISTRICT,
        parent=parent,
        valid_from=OPENED,
    )


@pytest.fixture
def kien_giang(demo):
    """The former Rạch Giá city (district level, code H33 assumed) with its one-stop desk."""
    ensure_procedure()
    city = legacy(
        "000.00.11.H33", "Ủy ban nhân dân thành phố Rạch Giá", AgencyKind.PEOPLES_COMMITTEE
    )
    desk = legacy(
        "000.01.11.H33", "Bộ phận Một cửa thành phố Rạch Giá", AgencyKind.SERVICE_CENTRE, city
    )
    justice = legacy("000.02.11.H33", "Phòng Tư pháp thành phố Rạch Giá", AgencyKind.DIVISION, city)
    officer = User.objects.create(username="tiepnhan.tprachgia", full_name="Lâm Thị Thu")
    handler = User.objects.create(username="tuphap.tprachgia", full_name="Kha Văn Lộc")
    leader = User.objects.create(username="lanhdao.tprachgia", full_name="Mạc Văn Định")
    for user, agency, role in (
        (officer, desk, Role.RECEPTION_OFFICER),
        (handler, justice, Role.HANDLER),
        (leader, city, Role.AGENCY_LEADER),
    ):
        StaffAssignment.objects.create(user=user, agency=agency, role=role, valid_from=OPENED)
    return {
        "city": city,
        "desk": desk,
        "justice": justice,
        "officer": officer,
        "handler": handler,
        "leader": leader,
    }


def successors() -> dict[str, Agency]:
    return {
        code: Agency.objects.get(code=code, valid_to__isnull=True)
        for code in ("000.00.31.H01", "000.01.31.H01", "000.02.31.H01")
    }


def receive_in_june(kg, day: int) -> Dossier:
    data = services.DossierInput(
        procedure_code=PROCEDURE,
        receiving_office=kg["desk"],
        channel=Channel.COUNTER,
        applicant_name="Trần Văn Bảy",
        competent_agency=kg["city"],
    )
    return services.receive_dossier(data, kg["officer"], at=june(day))


def plan(kg) -> Restructuring:
    new = successors()
    return plan_restructuring(
        name="Sắp xếp đơn vị hành chính cấp xã – thành phố Rạch Giá",
        kind=RestructuringKind.ABOLISH,
        effective_date=REFORM,
        legal_basis="NQ 1654/NQ-UBTVQH15; Luật 72/2025/QH15",
        moves=[
            (kg["city"], new["000.00.31.H01"]),
            (kg["desk"], new["000.01.31.H01"]),
            (kg["justice"], new["000.02.31.H01"]),
        ],
    )


def test_the_2025_reform_moves_open_dossiers_without_losing_anything(kien_giang):
    kg = kien_giang
    waiting = receive_in_june(kg, 20)
    in_process = services.transfer_dossier(
        receive_in_june(kg, 23).pk, kg["officer"], at=june(23, 10)
    )
    paused = services.request_supplement(
        services.transfer_dossier(receive_in_june(kg, 24).pk, kg["officer"], at=june(24, 10)).pk,
        kg["handler"],
        missing=["Tờ khai"],
        reason="Thiếu",
        at=june(24, 14),
    )
    finished = services.issue_result(
        services.transfer_dossier(receive_in_june(kg, 25).pk, kg["officer"], at=june(25, 10)).pk,
        kg["leader"],
        results=["Kết quả"],
        at=june(26, 10),
    )
    returned = services.return_result(finished.pk, kg["officer"], at=june(27, 10))
    before = {
        d.pk: (d.code, d.received_at, d.due_legal, d.due_current) for d in Dossier.objects.all()
    }

    restructuring = plan(kg)
    preview = preview_restructuring(restructuring)
    assert preview.problems == []
    assert {s["user"] for s in preview.staff} == {
        "tiepnhan.tprachgia",
        "tuphap.tprachgia",
        "lanhdao.tprachgia",
    }
    assert preview_handover(restructuring).total >= 3

    moved = restructure(restructuring.pk, actor=None)

    assert moved == 3  # the returned dossier stays where it ended
    new = successors()
    for dossier in Dossier.objects.filter(pk__in=[waiting.pk, in_process.pk, paused.pk]):
        assert (dossier.code, dossier.received_at, dossier.due_legal, dossier.due_current) == (
            before[dossier.pk]
        )  # same code, reception and appointment (NQ 190/2025 Art 5)
        assert dossier.code.startswith("000.01.11.H33-2506")
        assert dossier.receiving_office == new["000.01.31.H01"]
        assert dossier.competent_agency == new["000.00.31.H01"]
        last = dossier.transitions.order_by("seq").last()
        assert last.action == Action.HAND_OVER
        assert last.from_status == last.to_status
    returned.refresh_from_db()
    assert returned.status == Status.RETURNED
    assert returned.receiving_office == kg["desk"]  # history keeps where it was handled

    # Old codes stay resolvable by date; the old units are closed, their successors known.
    assert agency_by_code("000.01.11.H33", dt.date(2025, 6, 30)) == kg["desk"]
    with pytest.raises(DomainError):
        agency_by_code("000.01.11.H33", REFORM)
    assert current_successor(kg["desk"], dt.date(2026, 1, 1)) == new["000.01.31.H01"]
    assert Dossier.objects.get(code=waiting.code).pk == waiting.pk

    # Staff moved with their units and act on the handed-over dossiers.
    assert (
        StaffAssignment.objects.get(user=kg["officer"], valid_from=REFORM).agency
        == (new["000.01.31.H01"])
    )
    paused.refresh_from_db()
    resumed = services.receive_supplement(paused.pk, kg["officer"])
    assert resumed.status == Status.IN_PROCESS

    restructuring.refresh_from_db()
    assert restructuring.report["dossiers_handed_over"] == 3
    with pytest.raises(DomainError) as error:
        restructure(restructuring.pk, actor=None)
    assert error.value.code == "already_applied"


def test_a_plan_that_orphans_a_unit_is_refused_and_changes_nothing(kien_giang):
    kg = kien_giang
    new = successors()
    incomplete = plan_restructuring(
        name="Thiếu đơn vị trực thuộc",
        kind=RestructuringKind.MERGE,
        effective_date=REFORM,
        legal_basis="NQ thử nghiệm",
        moves=[(kg["city"], new["000.00.31.H01"])],
    )
    problems = preview_restructuring(incomplete).problems
    assert any("Bộ phận Một cửa thành phố Rạch Giá" in p for p in problems)
    with pytest.raises(DomainError) as error:
        restructure(incomplete.pk, actor=None)
    assert error.value.code == "plan_has_problems"
    kg["city"].refresh_from_db()
    assert kg["city"].valid_to is None


def test_a_rename_opens_a_new_version_under_a_new_code(kien_giang):
    from motcua.organizations.restructuring import NewAgency

    kg = kien_giang
    renamed = plan_restructuring(
        name="Đổi mã",
        kind=RestructuringKind.RENAME,
        effective_date=REFORM,
        legal_basis="QĐ thử nghiệm",
        moves=[
            (
                kg["city"],
                NewAgency("000.00.99.H01", "UBND thử nghiệm", "peoples_committee", "commune"),
            ),
            (
                kg["desk"],
                NewAgency(
                    "000.01.99.H01",
                    "Bộ phận Một cửa thử nghiệm",
                    "service_centre",
                    "commune",
                    parent_code="000.00.99.H01",
                ),
            ),
            (
                kg["justice"],
                NewAgency(
                    "000.02.99.H01",
                    "Phòng thử nghiệm",
                    "division",
                    "commune",
                    parent_code="000.00.99.H01",
                ),
            ),
        ],
    )
    restructure(renamed.pk, actor=None)
    assert agency_by_code("000.01.99.H01", REFORM).parent.code == "000.00.99.H01"
    assert current_successor(kg["desk"], REFORM).code == "000.01.99.H01"


def test_the_scorecard_measures_restructurings_against_their_plan(kien_giang):
    from django.test import Client

    from motcua.organizations.selectors import restructurings_due

    kg = kien_giang
    restructuring = plan(kg)
    july = (REFORM, REFORM + dt.timedelta(days=30))
    [line] = restructurings_due(*july)
    assert (line.planned, line.closed, line.opening, line.done) == (3, 0, 0, False)
    # Only the moves that touch the agencies asked about; none there: left out.
    assert restructurings_due(*july, frozenset({kg["city"].pk}))[0].planned == 1
    assert restructurings_due(*july, frozenset({-1})) == []
    assert restructurings_due(REFORM + dt.timedelta(days=1), july[1]) == []
    page = {"first": "2025-07-01", "last": "2025-07-31"}
    client = Client()
    client.force_login(User.objects.get(username="giamsat.tinh"))
    html = client.get("/can-bo/thong-ke/cai-cach/", page).content.decode()
    assert "Đã có kế hoạch, chưa thực hiện" in html
    assert "Đã sắp xếp 0 trên 3 cơ quan" in html
    restructure(restructuring.pk, actor=None)
    [line] = restructurings_due(*july)
    assert (line.planned, line.closed, line.done) == (3, 3, True)
    html = client.get("/can-bo/thong-ke/cai-cach/", page).content.decode()
    assert "Đã sắp xếp 3 trên 3 cơ quan" in html
