"""Printing the consultation request (T21) and the transfer slip (T22) from the dossier page:
a plain link per consultation round and per transfer (no JavaScript), a PDF for the staff who see
the dossier, 404 for anyone else or for a history number that is not such an event."""

from __future__ import annotations

import pytest

from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import consultee, hours, in_status, other_commune
from motcua.dossiers.workflow import Action, Status

pytestmark = pytest.mark.django_db


def url(dossier: Dossier, suffix: str = "") -> str:
    return f"/can-bo/ho-so/{dossier.pk}/{suffix}"


def seq_of(dossier: Dossier, action: Action) -> int:
    return dossier.transitions.get(action=action).seq


def test_the_lead_agency_prints_the_consultation_request(people, frozen, browser_for):
    dossier = services.consult_agencies(
        in_status(Status.IN_PROCESS, people).pk,
        people.handler,
        agencies=[other_commune()],
        task="Xác minh nơi cư trú trước đây",
        deadline=hours(24),
        at=hours(2),
    )
    link = url(dossier, f"in/consultation_request/{seq_of(dossier, Action.CONSULT)}/")
    handler = browser_for(people.handler)
    assert f'href="{link}"' in handler.get(url(dossier)).content.decode()
    response = handler.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"{dossier.code}-consultation-request-" in response["Content-Disposition"]
    # The consulted agency sees the dossier, so it may print the request addressed to it.
    assert browser_for(consultee()).get(link).status_code == 200
    # Outside scope, and a history number that is not a consultation round: not found.
    assert browser_for(people.outsider).get(link).status_code == 404
    reception = seq_of(dossier, Action.RECEIVE)
    assert handler.get(url(dossier, f"in/consultation_request/{reception}/")).status_code == 404
    assert handler.get(url(dossier, f"in/receipt/{reception}/")).status_code == 404


def test_the_one_stop_desk_prints_the_transfer_slip(people, frozen, browser_for):
    dossier = services.transfer_to_competent_office(
        in_status(Status.RECEIVED, people).pk,
        people.officer,
        agency=other_commune(),
        reason="Hồ sơ thuộc thẩm quyền của đặc khu Phú Quốc",
        at=hours(1),
    )
    link = url(dossier, f"in/transfer_slip/{seq_of(dossier, Action.TRANSFER_TO_COMPETENT)}/")
    officer = browser_for(people.officer)
    page = officer.get(url(dossier)).content.decode()
    assert f'href="{link}"' in page
    response = officer.get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert browser_for(people.outsider).get(link).status_code == 404


def test_no_link_without_the_event(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    page = browser_for(people.handler).get(url(dossier)).content.decode()
    assert "/in/consultation_request/" not in page
    assert "/in/transfer_slip/" not in page
    # The latest-event address without a number refuses on the page, like other forms.
    response = browser_for(people.handler).get(url(dossier, "in/transfer_slip/"))
    assert response.status_code == 302
