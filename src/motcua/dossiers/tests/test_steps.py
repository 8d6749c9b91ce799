"""Per-step deadlines: worked example 12 of the domain notes (budgets that sum to the limit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.catalog.data import ChannelData, ProcedureData
from motcua.catalog.services.versions import (
    StepData,
    create_procedure,
    publish_version,
    set_process_steps,
)
from motcua.dossiers import services
from motcua.dossiers.models import Channel
from motcua.dossiers.selectors import dossier_steps
from motcua.dossiers.tests.factories import People, office
from motcua.organizations.models import Role

pytestmark = pytest.mark.django_db
WH = "working_hours"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.fixture
def ten_day_procedure(demo) -> str:
    version = create_procedure(
        ProcedureData(
            code="9.999012",
            name="Thủ tục có quy trình nội bộ",
            field="Hộ tịch",
            levels=("commune",),
            channels=(ChannelData(channel="in_person", amount=Decimal(10), unit="working_days"),),
        )
    )
    set_process_steps(
        version,
        [
            StepData("Tiếp nhận và chuyển hồ sơ", Role.RECEPTION_OFFICER, Decimal(4), WH),
            StepData("Thẩm định", Role.HANDLER, Decimal(48), WH),
            StepData("Lãnh đạo phòng xem xét", Role.DIVISION_LEADER, Decimal(12), WH),
            StepData("Lãnh đạo ký", Role.AGENCY_LEADER, Decimal(8), WH),
            StepData("Văn thư vào sổ, đóng dấu", Role.CLERK, Decimal(4), WH),
            StepData("Trả kết quả", Role.RECEPTION_OFFICER, Decimal(4), WH),
        ],
    )
    publish_version(version, valid_from=dt.date(2025, 7, 1))
    return "9.999012"


def test_worked_example_12_step_dues_and_a_late_step(ten_day_procedure):
    people = People.load()
    data = services.DossierInput(
        procedure_code=ten_day_procedure,
        receiving_office=office(),
        channel=Channel.COUNTER,
        applicant_name="Lê Văn Tám",
    )
    d = services.receive_dossier(data, people.officer, at=at("2026-05-11T08:00"))
    assert d.due_legal == at("2026-05-25T08:00")
    steps = dossier_steps(d)
    assert [(s.due_at, state) for s, state in steps[:1]] == [(at("2026-05-11T14:00"), "active")]

    services.transfer_dossier(d.pk, people.officer, at=at("2026-05-11T14:00"))
    handler_step = d.steps.get(order=2)
    assert handler_step.due_at == at("2026-05-19T14:00")
    # The handler finishes Wed 20/05 10:00: late by 6 working hours (Tue 14–17, Wed 7–10).
    services.forward_step(d.pk, people.handler, step="Trình lãnh đạo", at=at("2026-05-20T10:00"))
    handler_step.refresh_from_db()
    assert handler_step.late_minutes == 360
    head = d.steps.get(order=3)
    assert head.started_at == at("2026-05-20T10:00")
    assert head.due_at == at("2026-05-21T16:00")
    d.refresh_from_db()
    assert d.due_current == at("2026-05-25T08:00")  # the dossier's appointment does not move
    states = [state for _s, state in dossier_steps(d)]
    assert states == ["on_time", "late", "active", "pending", "pending", "pending"]


def test_a_step_is_never_due_after_the_dossier(ten_day_procedure):
    people = People.load()
    data = services.DossierInput(
        procedure_code=ten_day_procedure,
        receiving_office=office(),
        channel=Channel.COUNTER,
        applicant_name="Lê Văn Tám",
    )
    d = services.receive_dossier(data, people.officer, at=at("2026-05-11T08:00"))
    services.transfer_dossier(d.pk, people.officer, at=at("2026-05-22T16:00"))  # very late
    assert d.steps.get(order=2).due_at == d.due_legal
