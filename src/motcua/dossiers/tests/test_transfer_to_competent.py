"""Transfer to the competent agency of another unit (T22, NĐ 61/2018 Art 18, lifecycle.md §7):
the receiving office keeps the dossier's code, reception, appointment and the return; the clock
runs on; the new agency's queue gets it; the paper originals follow under the 15:00 rule."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import services
from motcua.dossiers.inbox import Queue, inbox_for
from motcua.dossiers.models import Channel, Dossier
from motcua.dossiers.selectors import actions_available, dossier_for
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.factories import (
    RECEIVED_AT,
    People,
    dossier_input,
    ensure_procedure,
    hours,
    in_status,
    office,
    other_commune,
)
from motcua.dossiers.workflow import Action, Status
from motcua.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(demo: None) -> People:
    return People.load()


def phu_quoc_leader() -> User:
    return User.objects.get(username="lanhdao.phuquoc")


def send_on(dossier: Dossier, people: People, **kwargs: object) -> Dossier:
    return services.transfer_to_competent_office(
        dossier.pk,
        people.officer,
        agency=other_commune(),
        reason="Hồ sơ tiếp nhận không phụ thuộc địa giới hành chính",
        **kwargs,
    )


def test_a_received_dossier_goes_to_the_other_agency_with_its_code_and_appointment(people):
    dossier = in_status(Status.RECEIVED, people)
    moved = send_on(dossier, people, at=hours(1))
    assert moved.status == Status.RECEIVED
    assert moved.competent_agency == other_commune()
    assert moved.receiving_office == office()
    assert (moved.code, moved.received_at, moved.due_current, moved.due_legal) == (
        dossier.code,
        dossier.received_at,
        dossier.due_current,
        dossier.due_legal,
    )
    entry = moved.transitions.get(seq=moved.version)
    assert entry.action == Action.TRANSFER_TO_COMPETENT
    assert entry.clock_effect == "none"
    assert entry.due_before == entry.due_after == dossier.due_current
    assert entry.data["before"]["competent_agency"] != other_commune().pk
    assert entry.data["after"]["competent_agency"] == other_commune().pk
    # The desk then transfers it (T8) — now to the new competent agency.
    transferred = services.transfer_dossier(moved.pk, people.officer, at=hours(2))
    assert transferred.status == Status.IN_PROCESS
    assert transferred.transitions.get(action=Action.TRANSFER).data["to_agency"] == (
        other_commune().pk
    )


def test_paper_originals_follow_by_the_15_00_rule(people):
    ensure_procedure()
    # Received Monday 02/03 09:00; sent on at 15:30 the same day: the paper is due next morning.
    dossier = services.receive_dossier(dossier_input(people), people.officer, at=RECEIVED_AT)
    sent_on = RECEIVED_AT.replace(hour=15, minute=30)
    moved = send_on(dossier, people, at=sent_on, paper_sent_at=sent_on + dt.timedelta(days=2))
    data = moved.transitions.get(seq=moved.version).data
    assert data["paper"] is True
    assert dt.datetime.fromisoformat(data["paper_due"]).date() == dt.date(2026, 3, 3)
    assert data["late"] is True  # the originals left two days later


def test_online_dossiers_have_no_paper_to_send(people):
    online = in_status(Status.SUBMITTED, people)  # submitted on the portal (creates the procedure)
    assert online.channel == Channel.PORTAL
    received = services.accept_online(online.pk, people.officer, at=hours(1))
    moved = send_on(received, people, at=hours(2))
    data = moved.transitions.get(seq=moved.version).data
    assert data["paper"] is False
    assert "paper_due" not in data


def test_in_process_it_lands_in_the_new_agencys_queue_without_a_handler(people):
    dossier = in_status(Status.IN_PROCESS, people)
    services.assign_handler(dossier.pk, people.leader, handler=people.handler, at=hours(2))
    moved = send_on(dossier, people, at=hours(3))
    assert moved.status == Status.IN_PROCESS
    assert moved.handler is None
    leader = phu_quoc_leader()
    box = inbox_for(leader, now=hours(4))
    assert box.dossiers(Queue.TO_ASSIGN).filter(pk=dossier.pk).exists()
    assert Action.ASSIGN in actions_available(leader, dossier_for(leader, dossier.pk))


def test_the_old_agency_no_longer_sees_it_the_receiving_office_still_does(people):
    dossier = in_status(Status.IN_PROCESS, people)
    send_on(dossier, people, at=hours(3))
    for user in (people.handler, people.leader):
        with pytest.raises(NotFound):
            dossier_for(user, dossier.pk)
    mine = dossier_for(people.officer, dossier.pk)
    assert Action.WITHDRAW in actions_available(people.officer, mine)


def test_only_the_receiving_desk_sends_a_dossier_elsewhere(people):
    dossier = in_status(Status.IN_PROCESS, people)
    for user in (people.handler, people.leader):
        with pytest.raises(DomainError) as error:
            services.transfer_to_competent_office(
                dossier.pk, user, agency=other_commune(), reason="Sai", at=hours(3)
            )
        assert error.value.code == "not_permitted"
    with pytest.raises(NotFound):
        services.transfer_to_competent_office(
            dossier.pk, people.outsider, agency=other_commune(), reason="Sai", at=hours(3)
        )


@pytest.mark.parametrize(
    ("agency", "reason", "code"),
    [
        (lambda: office(), "Sai", "not_a_competent_agency"),  # a one-stop office decides nothing
        (lambda: Dossier.objects.get().competent_agency, "Sai", "same_agency"),
        (lambda: other_commune(), " ", "reason_required"),
    ],
)
def test_refusals_change_nothing(people, agency, reason, code):
    dossier = in_status(Status.RECEIVED, people)
    with pytest.raises(DomainError) as error:
        services.transfer_to_competent_office(
            dossier.pk, people.officer, agency=agency(), reason=reason, at=hours(1)
        )
    assert error.value.code == code
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.version, after.competent_agency_id) == (
        dossier.version,
        dossier.competent_agency_id,
    )


@pytest.mark.parametrize("status", [Status.AWAITING_SUPPLEMENT, Status.RESOLVED, Status.SUBMITTED])
def test_not_allowed_outside_received_and_in_process(people, status):
    dossier = in_status(status, people)
    with pytest.raises(DomainError) as error:
        services.transfer_to_competent_office(
            dossier.pk, people.officer, agency=other_commune(), reason="Sai", at=hours(4)
        )
    assert error.value.code == "not_allowed"


def test_the_applicant_is_told_where_the_dossier_went(people):
    dossier = in_status(Status.RECEIVED, people)
    moved = send_on(dossier, people, at=hours(1))
    message = OutboxMessage.objects.get(key=f"dossier:{dossier.pk}:{moved.version}")
    assert message.payload["action"] == Action.TRANSFER_TO_COMPETENT
    assert message.payload["competent_agency"] == other_commune().name
    assert message.payload["code"] == dossier.code
