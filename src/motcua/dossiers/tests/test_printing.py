"""Printed forms of a dossier: each applies to the right state, says what the history says,
respects scope, and renders to PDF; the register is capped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.core.errors import DomainError
from motcua.documents import forms
from motcua.dossiers import printing, services
from motcua.dossiers.printing import FormKind, form_pdf, printed_form, register_pdf
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.factories import People, hours, in_status, office, other_commune
from motcua.dossiers.workflow import Status


@pytest.fixture
def people(demo) -> People:
    return People.load()


def html_of(dossier, kind) -> str:
    return forms.form_html(printed_form(dossier, kind))


def extended(people: People):
    d = in_status(Status.IN_PROCESS, people)
    assert d.due_current is not None
    return services.extend_deadline(
        d.pk,
        people.leader,
        new_due=d.due_current + dt.timedelta(days=10),
        reason="Cần xác minh thêm",
        at=hours(2),
    )


def test_the_receipt_shows_the_code_the_appointment_and_the_officer(people):
    d = in_status(Status.RECEIVED, people)
    html = html_of(d, FormKind.RECEIPT)
    assert d.code
    assert d.code in html
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert forms.clock_time(d.due_original) in html
    assert people.officer.display_name in html
    assert f"v1|{d.code}|9.999001|" in forms.form_context(printed_form(d, "receipt"))["qr_payload"]


def test_every_form_renders_for_a_dossier_in_its_state(people):
    cases = {
        FormKind.RECEIPT: in_status(Status.RECEIVED, people),
        FormKind.CONTROL_SLIP: in_status(Status.RETURNED, people),
        FormKind.SUPPLEMENT_REQUEST: in_status(Status.AWAITING_SUPPLEMENT, people),
        FormKind.STOP_NOTICE: in_status(Status.STOPPED, people),
        FormKind.REFUSAL: in_status(Status.NOT_RECEIVED, people),
        FormKind.APOLOGY: extended(people),
    }
    submitted = in_status(Status.SUBMITTED, people)
    cases[FormKind.COMPLETION_REQUEST] = services.request_completion(
        submitted.pk, people.officer, missing=["Tờ khai"], reason="Thiếu", at=hours(1)
    )
    cases[FormKind.CONSULTATION_REQUEST] = services.consult_agencies(
        in_status(Status.IN_PROCESS, people).pk,
        people.handler,
        agencies=[other_commune()],
        task="Cho ý kiến",
        deadline=hours(24),
        at=hours(2),
    )
    cases[FormKind.TRANSFER_SLIP] = services.transfer_to_competent_office(
        in_status(Status.RECEIVED, people).pk,
        people.officer,
        agency=other_commune(),
        reason="Sai thẩm quyền",
        at=hours(1),
    )
    assert set(cases) == set(FormKind)
    for kind, dossier in cases.items():
        html = html_of(dossier, kind)
        assert (dossier.code or dossier.submission_ref) in html, kind
        name, pdf = form_pdf(people.officer, dossier.pk, kind)
        assert pdf.startswith(b"%PDF"), kind
        per_event = f"-{dossier.version}" if kind in printing.EVENT_FORMS else ""
        assert name.endswith(f"-{kind.value.replace('_', '-')}{per_event}.pdf")


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (FormKind.REFUSAL, Status.RESOLVED),
        (FormKind.APOLOGY, Status.IN_PROCESS),
        (FormKind.STOP_NOTICE, Status.RETURNED),
        (FormKind.RECEIPT, Status.SUBMITTED),
        (FormKind.CONTROL_SLIP, Status.NOT_RECEIVED),
        (FormKind.SUPPLEMENT_REQUEST, Status.RECEIVED),
        (FormKind.COMPLETION_REQUEST, Status.SUBMITTED),
    ],
)
def test_a_form_the_history_does_not_support_is_refused(people, kind, status):
    dossier = in_status(status, people)
    with pytest.raises(DomainError) as refused:
        printed_form(dossier, kind)
    assert refused.value.code == "form_not_applicable"


def test_forms_available_follow_the_history(people):
    assert printing.forms_available(extended(people)) == [
        FormKind.RECEIPT,
        FormKind.APOLOGY,
        FormKind.CONTROL_SLIP,
    ]
    assert printing.forms_available(in_status(Status.NOT_RECEIVED, people)) == [FormKind.REFUSAL]


def test_the_apology_gives_the_old_and_the_new_appointment(people):
    d = extended(people)
    html = html_of(d, FormKind.APOLOGY)
    assert forms.clock_time(d.due_original) in html
    assert forms.clock_time(d.due_current) in html
    assert "Cần xác minh thêm" in html
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in html  # 2026: TT 03/2025


def test_before_the_switch_over_the_2018_forms_are_printed(people, settings):
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2027, 1, 1)
    html = html_of(extended(people), FormKind.APOLOGY)
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in html
    assert "TT 01/2018/TT-VPCP" in html


def test_the_refusal_after_appraisal_is_signed_by_the_agency(people):
    d = in_status(Status.IN_PROCESS, people)
    d = services.refuse_after_appraisal(
        d.pk, people.leader, reason="Không đủ điều kiện", at=hours(2)
    )
    html = html_of(d, FormKind.REFUSAL)
    assert "THỦ TRƯỞNG CƠ QUAN" in html
    assert "Không đủ điều kiện" in html


def test_the_control_slip_has_one_row_per_hand_over(people):
    d = in_status(Status.RETURNED, people)
    rows = printed_form(d, FormKind.CONTROL_SLIP).data["rows"]
    notes = [row["note"] for row in rows]
    assert notes[0] == "Chuyển hồ sơ đến cơ quan giải quyết"
    assert notes[-1] == "Trả kết quả"
    assert rows[1]["note"].startswith(f"Có kết quả: {d.code}-KQ1")
    # Reception 02/03 09:00, result 11:00 the same day, 5 working days allowed: early.
    assert rows[1]["outcome"] == "Trước hạn"
    assert rows[0]["outcome"] in {"Trước hạn", "Đúng hạn"}


def test_another_communes_officer_gets_not_found(people):
    d = in_status(Status.RECEIVED, people)
    with pytest.raises(NotFound):
        form_pdf(people.outsider, d.pk, FormKind.RECEIPT)


def test_the_register_lists_the_offices_dossiers_of_the_period(people):
    first = in_status(Status.RETURNED, people)
    second = in_status(Status.WITHDRAWN, people)
    printed = printing.register_rows([first, second])
    assert [row["code"] for row in printed] == [first.code, second.code]
    assert printed[1]["note"] == "Rút hồ sơ"
    name, pdf = register_pdf(people.officer, office(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert pdf.startswith(b"%PDF")
    assert name == "so-theo-doi-000.01.31.H01-20260301-20260331.pdf"


def test_the_register_is_capped_per_pdf(people, monkeypatch):
    in_status(Status.RECEIVED, people)
    in_status(Status.RECEIVED, people)
    monkeypatch.setattr(printing, "REGISTER_MAX_ROWS", 1)
    with pytest.raises(DomainError) as refused:
        register_pdf(people.officer, office(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert refused.value.code == "register_too_large"


def test_only_the_office_prints_its_register(people):
    with pytest.raises(NotFound):
        register_pdf(people.outsider, office(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    with pytest.raises(NotFound):
        register_pdf(people.citizen, office(), dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def test_operators_print_a_form_from_the_command_line(people, tmp_path: Path):
    d = in_status(Status.RECEIVED, people)
    target = tmp_path / "receipt.pdf"
    call_command("print-form", "--dossier", d.code, "--form", "receipt", "-o", str(target))
    assert target.read_bytes().startswith(b"%PDF")


def test_the_receipt_lists_what_the_officer_ticked_at_the_desk(demo):
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.printing import _components
    from motcua.dossiers.tests.factories import People, dossier_input, ensure_procedure, hours

    ensure_procedure()
    people = People.load()
    data = dossier_input(people)
    data.extra = {"documents_received": ["Tờ khai", "Bản sao giấy khai sinh"]}
    dossier = dossier_services.receive_dossier(data, people.officer, at=hours(0))
    assert [row["name"] for row in _components(dossier)] == ["Tờ khai", "Bản sao giấy khai sinh"]
