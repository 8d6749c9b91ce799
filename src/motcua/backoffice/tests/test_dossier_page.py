"""The dossier page: details, history, exactly the actions allowed now, stale forms, 404 outside."""

from __future__ import annotations

import sys
import types
from enum import StrEnum

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import in_status
from motcua.dossiers.workflow import Action, Status

pytestmark = pytest.mark.django_db


def url(dossier: Dossier, suffix: str = "") -> str:
    return f"/can-bo/ho-so/{dossier.pk}/{suffix}"


def act(client, dossier: Dossier, action: Action, version: int | None = None, **fields):
    data = {
        "action": action.value,
        "expected_version": dossier.version if version is None else version,
        **fields,
    }
    return client.post(url(dossier, "thao-tac/"), data)


def test_other_agency_gets_404(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    outsider = browser_for(people.outsider)
    assert outsider.get(url(dossier)).status_code == 404
    response = act(outsider, dossier, Action.WITHDRAW)
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESS


def test_the_page_shows_the_dossier_its_history_and_the_appointment(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    html = browser_for(people.officer).get(url(dossier)).content.decode()
    assert dossier.code in html
    assert "Nguyễn Thị Lan" in html
    assert "Lịch sử" in html
    assert "Chuyển cơ quan có thẩm quyền" in html or "Chuyển" in html
    assert "Cách tính ngày hẹn" in html  # the explanation of the due date
    assert "Đúng hạn" in html  # the transfer hop was on time (Art 18)


def test_the_page_offers_exactly_the_actions_this_user_may_take(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    officer_html = browser_for(people.officer).get(url(dossier)).content.decode()
    leader_html = browser_for(people.leader).get(url(dossier)).content.decode()
    # The one-stop officer may ask for a supplement or payment, never sign the result.
    assert 'value="request_supplement"' in officer_html
    assert 'value="issue_result"' not in officer_html
    assert 'value="assign"' not in officer_html
    # The leader assigns, signs, extends, refuses, stops.
    for action in ("assign", "issue_result", "extend", "refuse_after_appraisal", "stop"):
        assert f'value="{action}"' in leader_html
    assert 'value="return_result"' not in leader_html


def test_process_approve_and_return(people, frozen, browser_for):
    dossier = in_status(Status.RECEIVED, people)
    officer, leader = browser_for(people.officer), browser_for(people.leader)
    handler = browser_for(people.handler)
    assert act(officer, dossier, Action.TRANSFER).status_code == 302
    dossier.refresh_from_db()
    response = act(leader, dossier, Action.ASSIGN, handler=people.handler.pk, reason="Xử lý gấp")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.handler == people.handler
    response = act(handler, dossier, Action.FORWARD_STEP, step="Trình lãnh đạo ký")
    assert response.status_code == 302
    dossier.refresh_from_db()
    response = act(leader, dossier, Action.ISSUE_RESULT, results="Giấy xác nhận\nBản sao")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RESOLVED
    response = act(officer, dossier, Action.RETURN_RESULT, method="counter", received_by="Lan")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    html = officer.get(url(dossier)).content.decode()
    assert f"{dossier.code}-KQ1" in html
    assert "Trả kết quả" in html


def test_supplement_request_and_its_answer(people, frozen, browser_for, docs_procedure):
    from motcua.dossiers import services
    from motcua.dossiers.tests.factories import dossier_input, hours

    data = dossier_input(people)
    data.procedure_code = docs_procedure
    dossier = services.receive_dossier(data, people.officer, at=hours(0))
    dossier = services.transfer_dossier(dossier.pk, people.officer, at=hours(1))
    handler = browser_for(people.handler)
    page = handler.get(url(dossier)).content.decode()
    assert "Bản sao giấy khai sinh" in page  # the checklist of the procedure's documents
    response = handler.post(
        url(dossier, "thao-tac/"),
        {
            "action": "request_supplement",
            "expected_version": dossier.version,
            "documents": ["Bản sao giấy khai sinh"],
            "other": "Ảnh 4x6",
            "reason": "Thiếu giấy tờ",
        },
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.AWAITING_SUPPLEMENT
    asked = dossier.transitions.get(action=Action.REQUEST_SUPPLEMENT)
    assert asked.data["missing"] == ["Bản sao giấy khai sinh", "Ảnh 4x6"]
    before = dossier.due_current
    frozen(24)
    response = act(browser_for(people.officer), dossier, Action.RECEIVE_SUPPLEMENT)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESS
    assert dossier.due_current is not None
    assert before is not None
    assert dossier.due_current > before  # the time limit restarted (Art 19.4)


def test_an_empty_supplement_request_is_refused_with_the_form_open(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    response = act(browser_for(people.handler), dossier, Action.REQUEST_SUPPLEMENT, reason="x")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<details" in html
    assert "open" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESS


def test_a_stale_form_says_someone_else_acted_first(people, frozen, browser_for):
    dossier = in_status(Status.RECEIVED, people)
    officer = browser_for(people.officer)
    version = dossier.version
    first = act(officer, dossier, Action.TRANSFER, version=version)
    second = act(officer, dossier, Action.TRANSFER, version=version)  # a double click
    assert first.status_code == second.status_code == 302
    page = officer.get(second["Location"]).content.decode()
    assert "Người khác đã thao tác" in page
    assert dossier.transitions.filter(action=Action.TRANSFER).count() == 1


def test_an_online_submission_is_accepted_with_a_code(people, frozen, browser_for):
    dossier = in_status(Status.SUBMITTED, people)
    officer = browser_for(people.officer)
    html = officer.get(url(dossier)).content.decode()
    for action in ("accept_online", "request_completion", "refuse_intake"):
        assert f'value="{action}"' in html
    assert act(officer, dossier, Action.ACCEPT_ONLINE).status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
    assert dossier.code
    assert dossier.due_current


def test_an_online_submission_gets_one_complete_list_or_a_refusal(people, frozen, browser_for):
    officer = browser_for(people.officer)
    first = in_status(Status.SUBMITTED, people)
    response = act(
        officer, first, Action.REQUEST_COMPLETION, other="Tờ khai\nBản sao CCCD", reason="Thiếu"
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.pre_intake_incomplete
    second = in_status(Status.SUBMITTED, people)
    assert act(officer, second, Action.REFUSE_INTAKE, reason="Sai thẩm quyền").status_code == 302
    second.refresh_from_db()
    assert second.status == Status.NOT_RECEIVED


def test_the_extension_form_offers_the_earliest_date(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    leader = browser_for(people.leader)
    html = leader.get(url(dossier)).content.decode()
    assert 'type="date"' in html
    assert 'min="2026-03-10"' in html
    response = act(leader, dossier, Action.EXTEND, new_date="2026-03-16", reason="Cần xác minh")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.extension_count == 1
    assert f"{dossier.due_current.astimezone():%d/%m}" == "16/03"


def test_stopping_needs_a_ground(people, frozen, browser_for):
    dossier = in_status(Status.IN_PROCESS, people)
    leader = browser_for(people.leader)
    assert act(leader, dossier, Action.STOP, reason="Dừng").status_code == 400
    response = act(leader, dossier, Action.STOP, reason_code="applicant_request", reason="Dừng")
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED


def test_print_links_appear_only_when_the_printing_module_exists(
    people, frozen, browser_for, monkeypatch
):
    dossier = in_status(Status.RECEIVED, people)
    officer = browser_for(people.officer)
    if "motcua.dossiers.printing" not in sys.modules:
        try:
            import motcua.dossiers.printing  # noqa: F401
        except ImportError:
            assert "/in/receipt/" not in officer.get(url(dossier)).content.decode()
            assert officer.get(url(dossier, "in/receipt/")).status_code == 404

    class FormKind(StrEnum):
        RECEIPT = "receipt"
        CONTROL_SLIP = "control_slip"

    fake = types.ModuleType("motcua.dossiers.printing")
    fake.FormKind = FormKind  # type: ignore[attr-defined]
    fake.form_pdf = lambda user, dossier_id, form: (  # type: ignore[attr-defined]
        f"mau-01-{dossier.code}.pdf",
        b"%PDF-1.7 fake",
    )
    monkeypatch.setitem(sys.modules, "motcua.dossiers.printing", fake)
    html = officer.get(url(dossier)).content.decode()
    assert f"/can-bo/ho-so/{dossier.pk}/in/receipt/" in html
    response = officer.get(url(dossier, "in/receipt/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert dossier.code in response["Content-Disposition"]
    assert officer.get(url(dossier, "in/nonsense/")).status_code == 404
