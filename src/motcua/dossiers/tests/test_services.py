"""The lifecycle services: codes, appointments, the legal windows, history, outbox, scope."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Channel, DossierPause
from motcua.dossiers.tests.factories import (
    People,
    dossier_input,
    ensure_procedure,
    hours,
    in_status,
)
from motcua.dossiers.workflow import Status
from motcua.notifications.models import OutboxMessage, OutboxStatus
from motcua.notifications.services import deliver_pending, register_handler

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.fixture
def people(demo) -> People:
    ensure_procedure()
    return People.load()


def test_reception_gives_a_code_and_an_explained_appointment(people):
    d = services.receive_dossier(dossier_input(people), people.officer, at=at("2026-02-12T10:00"))
    assert d.code == "000.01.31.H01-260212-0001"
    assert d.status == Status.RECEIVED
    # 5 working days from Thu 12/02/2026 10:00 across Tết 2026 (14–22/02 off).
    assert d.due_original == d.due_legal == d.due_current == at("2026-02-26T10:00")
    assert any("Tết Nguyên Đán" in line for line in d.due_explanation["vi"])
    assert d.transitions.get().actor == people.officer


def test_codes_count_per_office_and_local_day(people):
    first = services.receive_dossier(
        dossier_input(people), people.officer, at=at("2026-02-12T16:59")
    )
    second = services.receive_dossier(
        dossier_input(people), people.officer, at=at("2026-02-12T17:30")
    )
    # 23:30 UTC on 12/02 is 06:30 on 13/02 in Vietnam: a new day, numbering restarts.
    third = services.receive_dossier(
        dossier_input(people), people.officer, at=dt.datetime(2026, 2, 12, 23, 30, tzinfo=dt.UTC)
    )
    assert [first.code, second.code, third.code] == [
        "000.01.31.H01-260212-0001",
        "000.01.31.H01-260212-0002",
        "000.01.31.H01-260213-0001",
    ]


def test_a_failed_reception_leaves_no_gap(people):
    services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
    bad = dossier_input(people)
    bad.applicant_name = " "
    with pytest.raises(DomainError):
        services.receive_dossier(bad, people.officer, at=hours(0))
    nxt = services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
    assert nxt.code.endswith("-0002")


def test_an_unknown_procedure_is_a_clear_error(people):
    data = dossier_input(people)
    data.procedure_code = "0.000000"
    with pytest.raises(DomainError) as error:
        services.receive_dossier(data, people.officer, at=hours(0))
    assert error.value.code == "unknown_procedure"


def test_another_communes_officer_cannot_receive_here(people):
    with pytest.raises(DomainError) as error:
        services.receive_dossier(dossier_input(people), people.outsider, at=hours(0))
    assert error.value.code == "not_permitted"


def test_online_dossiers_get_their_code_and_clock_at_acceptance(people):
    d = in_status(Status.SUBMITTED, people)
    assert d.code is None
    assert d.submission_ref.startswith("HS-260302-")
    accepted = services.accept_online(d.pk, people.officer, at=at("2026-03-03T08:15"))
    assert accepted.code == "000.01.31.H01-260303-0001"
    assert accepted.received_at == at("2026-03-03T08:15")


def test_completion_is_asked_once_unless_the_officer_explains(people):
    d = in_status(Status.SUBMITTED, people)
    services.request_completion(d.pk, people.officer, missing=["Tờ khai"], reason="", at=hours(1))
    with pytest.raises(DomainError) as error:
        services.request_completion(d.pk, people.officer, missing=["Ảnh"], reason="", at=hours(2))
    assert error.value.code == "completion_already_requested"
    again = services.request_completion(
        d.pk, people.officer, missing=["Ảnh"], reason="Danh sách lần 1 thiếu ảnh", at=hours(2)
    )
    assert again.transitions.last().data["round"] == 2


def test_supplement_pauses_and_restarts_the_clock(people):
    d = in_status(Status.IN_PROCESS, people)  # received Mon 02/03/2026 09:00, due +5 WD
    assert d.due_legal == at("2026-03-09T09:00")
    paused = services.request_supplement(
        d.pk, people.handler, missing=["Giấy tờ"], reason="x", at=at("2026-03-04T10:00")
    )
    assert paused.status == Status.AWAITING_SUPPLEMENT
    resumed = services.receive_supplement(d.pk, people.officer, at=at("2026-03-10T15:00"))
    # Restart per decree (Art 19.4): the full 5 working days from Tue 10/03 15:00.
    assert resumed.due_legal == resumed.due_current == at("2026-03-17T15:00")
    assert resumed.due_original == at("2026-03-09T09:00")
    pause = DossierPause.objects.get(dossier=d)
    assert (pause.started_at, pause.ended_at) == (at("2026-03-04T10:00"), at("2026-03-10T15:00"))


def test_supplement_after_three_working_days_needs_an_override(people):
    d = in_status(Status.IN_PROCESS, people)
    late = at("2026-03-05T09:01")  # window: 3 WD from Mon 02/03 09:00 = Thu 05/03 09:00
    with pytest.raises(DomainError) as error:
        services.request_supplement(d.pk, people.handler, missing=["A"], reason="x", at=late)
    assert error.value.code == "supplement_window_closed"
    done = services.request_supplement(
        d.pk, people.leader, missing=["A"], reason="Luật riêng", override=True, at=late
    )
    assert done.transitions.last().data["outside_window"] is True


def test_a_second_supplement_request_is_refused_then_flagged_for_766(people):
    d = in_status(Status.AWAITING_SUPPLEMENT, people)
    services.receive_supplement(d.pk, people.officer, at=hours(3))
    with pytest.raises(DomainError) as error:
        services.request_supplement(d.pk, people.handler, missing=["B"], reason="x", at=hours(4))
    assert error.value.code == "supplement_already_requested"
    again = services.request_supplement(
        d.pk, people.leader, missing=["B"], reason="Bổ sung", override=True, at=hours(4)
    )
    assert again.transitions.last().data["counts_late_766"] is True


def test_the_one_extension_follows_article_19_9(people):
    d = in_status(Status.IN_PROCESS, people)  # due Mon 09/03/2026 09:00
    with pytest.raises(DomainError) as error:  # less than one working day before the due
        services.extend_deadline(
            d.pk,
            people.leader,
            new_due=at("2026-03-12T09:00"),
            reason="x",
            at=at("2026-03-09T08:00"),
        )
    assert error.value.code == "apology_too_late"
    with pytest.raises(DomainError) as error:
        services.extend_deadline(
            d.pk,
            people.leader,
            new_due=at("2026-03-06T09:00"),
            reason="x",
            at=at("2026-03-03T09:00"),
        )
    assert error.value.code == "not_later"
    extended = services.extend_deadline(
        d.pk,
        people.leader,
        new_due=at("2026-03-12T09:00"),
        reason="Chờ xác minh",
        at=at("2026-03-05T09:00"),
    )
    assert extended.due_current == at("2026-03-12T09:00")
    assert extended.due_legal == at("2026-03-09T09:00")  # kept for statistics
    with pytest.raises(DomainError) as error:
        services.extend_deadline(
            d.pk,
            people.leader,
            new_due=at("2026-03-13T09:00"),
            reason="x",
            at=at("2026-03-06T09:00"),
        )
    assert error.value.code == "already_extended"


def test_only_the_leader_extends(people):
    d = in_status(Status.IN_PROCESS, people)
    with pytest.raises(DomainError) as error:
        services.extend_deadline(
            d.pk,
            people.handler,
            new_due=at("2026-03-12T09:00"),
            reason="x",
            at=at("2026-03-04T09:00"),
        )
    assert error.value.code == "not_permitted"


def test_paper_transferred_after_the_cutoff_is_due_next_morning(people):
    d = services.receive_dossier(dossier_input(people), people.officer, at=at("2026-03-02T15:30"))
    moved = services.transfer_dossier(d.pk, people.officer, at=at("2026-03-03T07:30"))
    data = moved.transitions.last().data
    assert data["transfer_due"] == "2026-03-03T08:00:00+07:00"
    assert data["late"] is False


def test_stale_versions_are_refused(people):
    d = in_status(Status.RECEIVED, people)
    services.transfer_dossier(d.pk, people.officer, expected_version=d.version, at=hours(1))
    with pytest.raises(DomainError) as error:
        services.withdraw_dossier(d.pk, people.officer, expected_version=d.version, at=hours(2))
    assert error.value.code == "stale"


def test_out_of_scope_users_get_not_found(people):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as error:
        services.transfer_dossier(d.pk, people.outsider, at=hours(1))
    assert error.value.code == "not_found"


def test_results_get_electronic_codes_and_end_the_clock(people):
    d = in_status(Status.IN_PROCESS, people)
    done = services.issue_result(
        d.pk, people.leader, results=["Giấy khai sinh", "Bản sao"], at=hours(3)
    )
    results = done.transitions.last().data["results"]
    assert [r["code"] for r in results] == [f"{d.code}-KQ1", f"{d.code}-KQ2"]
    assert done.resolved_at == done.ended_at == hours(3)
    assert done.transitions.last().data["early"] is True


def test_unknown_unit_is_assumed_working_days_and_said_so(people):
    from motcua.catalog.demo import load_demo_procedures

    load_demo_procedures(limit=200)
    data = dossier_input(people)
    data.procedure_code = "1.001193"  # khai sinh: published as "1" without a unit
    d = services.receive_dossier(data, people.officer, at=hours(0))
    assert d.time_limit_unit_assumed
    assert "tạm tính theo ngày làm việc" in d.due_explanation["vi"][0]


def test_every_change_writes_one_outbox_message_delivered_to_handlers(people):
    seen: list[dict] = []
    register_handler("dossier.changed", seen.append)
    d = in_status(Status.IN_PROCESS, people)
    assert OutboxMessage.objects.filter(key__startswith=f"dossier:{d.pk}:").count() == 2
    report = deliver_pending()
    assert report.delivered >= 2
    assert {m["to"] for m in seen if m["dossier_id"] == d.pk} == {"received", "in_process"}
    assert not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists()


def test_a_failing_handler_is_retried_then_dead(people, settings):
    def broken(_payload):
        raise ConnectionError("national portal down")

    register_handler("dossier.changed", broken)
    try:
        in_status(Status.RECEIVED, people)
        report = deliver_pending()
        assert report.retried == 1
        message = OutboxMessage.objects.get()
        assert message.status == OutboxStatus.PENDING
        assert "national portal down" in message.last_error
        message.attempts = 7
        message.available_at = message.created_at
        message.save()
        assert deliver_pending().dead == 1
    finally:
        from motcua.notifications import services as outbox

        outbox._handlers["dossier.changed"].remove(broken)


def test_the_channel_decides_the_national_code(people):
    from motcua.dossiers.models import NATIONAL_CHANNEL

    assert NATIONAL_CHANNEL[Channel.COUNTER] == 1
    assert NATIONAL_CHANNEL[Channel.NATIONAL_PORTAL] == 2
    assert NATIONAL_CHANNEL[Channel.POST] == 3


def test_an_office_not_offering_the_procedure_refuses_it_clearly(people):
    from motcua.catalog.models import Procedure
    from motcua.catalog.offers import offer_procedure
    from motcua.organizations.models import Agency

    procedure = Procedure.objects.get(code="9.999001")
    rach_gia = Agency.objects.get(code="000.01.31.H01")
    offer_procedure(procedure, rach_gia, rach_gia.parent, valid_from=dt.date(2025, 7, 1))
    data = dossier_input(people)
    data.receiving_office = Agency.objects.get(code="000.01.32.H01")  # Phú Quốc centre
    phu_quoc_officer = people.outsider
    with pytest.raises(DomainError) as error:
        services.receive_dossier(data, phu_quoc_officer, at=hours(0))
    assert error.value.code == "not_received_here"
    assert "phường Rạch Giá" in str(error.value)


def test_location_independent_reception_keeps_the_receiving_code_and_the_competent_agency(people):
    from motcua.catalog.models import Procedure
    from motcua.catalog.offers import offer_procedure
    from motcua.organizations.models import Agency

    procedure = Procedure.objects.get(code="9.999001")
    justice = Agency.objects.get(code="000.00.02.H01")  # Sở Tư pháp
    offer_procedure(
        procedure,
        Agency.objects.get(code="000.01.01.H01"),
        justice,
        valid_from=dt.date(2025, 7, 1),
        location_independent=True,
    )
    d = services.receive_dossier(dossier_input(people), people.officer, at=hours(0))
    assert d.code.startswith("000.01.31.H01-")  # the receiving office's code (§5.2 rule 2)
    assert d.competent_agency == justice
