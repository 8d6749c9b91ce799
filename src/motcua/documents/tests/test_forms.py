"""Official forms: form sets by issue date, QR payload and masking, official dates, rendering."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.core.errors import DomainError
from motcua.documents import forms
from motcua.documents.forms import (
    FormPurpose,
    FormSet,
    Letterhead,
    PrintedForm,
    QrSubject,
)

SWITCH = dt.date(2025, 9, 15)


def test_the_form_set_follows_the_issue_date():
    assert forms.form_set_for(dt.date(2025, 9, 14), SWITCH) == FormSet.TT01_2018
    assert forms.form_set_for(dt.date(2025, 9, 15), SWITCH) == FormSet.TT03_2025


def test_the_switch_over_date_is_configurable(settings):
    settings.MOTCUA_FORMS_2025_FROM = dt.date(2026, 1, 1)
    assert forms.form_set_for(dt.date(2025, 12, 31)) == FormSet.TT01_2018


def test_mau_05_means_different_forms_in_each_set():
    # forms-and-codes.md §1: the numbering trap — key by purpose, never by number.
    assert forms.spec_for(FormPurpose.CONTROL_SLIP, FormSet.TT01_2018).number == "05"
    assert forms.spec_for(FormPurpose.STOP_NOTICE, FormSet.TT03_2025).number == "05"
    assert forms.spec_for(FormPurpose.CONTROL_SLIP, FormSet.TT03_2025).number == "06"
    assert forms.spec_for(FormPurpose.REGISTER, FormSet.TT01_2018).number == "06"
    assert forms.spec_for(FormPurpose.REGISTER, FormSet.TT03_2025).number == "07"
    assert forms.spec_for(FormPurpose.STOP_NOTICE, FormSet.TT01_2018).number is None


def test_every_purpose_has_a_form_in_every_set():
    for form_set in FormSet:
        for purpose in FormPurpose:
            assert forms.spec_for(purpose, form_set).title


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("091186001234", "091******234"),
        ("0911 8600 1234", "091******234"),
        ("12345678", "1******8"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_identifiers_are_masked(raw, masked):
    assert forms.mask_identifier(raw) == masked


def test_the_qr_payload_is_versioned_and_never_holds_a_full_id():
    subject = QrSubject(
        "000.01.31.H01-260302-0001", "1.001193", "091186001234", "GIẤY TIẾP NHẬN | HẸN"
    )
    payload = forms.qr_payload_v1(subject)
    assert payload == ("v1|000.01.31.H01-260302-0001|1.001193|091******234|GIẤY TIẾP NHẬN / HẸN")
    assert "091186001234" not in payload


def test_the_lookup_url_uses_the_site_url(settings):
    settings.MOTCUA_SITE_URL = "https://dichvucong.angiang.gov.vn"
    assert forms.lookup_url("000.01.31.H01-260302-0001") == (
        "https://dichvucong.angiang.gov.vn/tra-cuu/?ma=000.01.31.H01-260302-0001"
    )


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 2, 5), "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 3, 12), "ngày 12 tháng 3 năm 2026"),
        (dt.date(2026, 11, 1), "ngày 01 tháng 11 năm 2026"),
    ],
)
def test_dates_follow_decree_30(day, text):
    assert forms.long_date(day) == text


def test_instants_are_written_in_vietnam_time():
    instant = dt.datetime(2026, 3, 2, 2, 5, tzinfo=dt.UTC)
    assert forms.clock_time(instant) == "09 giờ 05 phút, ngày 02 tháng 3 năm 2026"


def sample(purpose=FormPurpose.REFUSAL, issued=dt.date(2026, 3, 2)) -> PrintedForm:
    return PrintedForm(
        purpose=purpose,
        issued_on=issued,
        letterhead=Letterhead("Ủy ban nhân dân phường Rạch Giá", "Trung tâm PVHCC", "Rạch Giá"),
        data={
            "code": "000.01.31.H01-260302-0001",
            "code_label": "Mã hồ sơ",
            "applicant_name": "Nguyễn Thị Lan",
            "office_name": "Trung tâm PVHCC",
            "unit_name": "Trung tâm PVHCC",
            "request": "Đăng ký khai sinh",
            "reason": "Sai thẩm quyền",
            "signer_title": "NGƯỜI TIẾP NHẬN HỒ SƠ",
            "submitted_at": dt.datetime(2026, 3, 2, 9, tzinfo=VN_TZ),
        },
        qr=QrSubject("000.01.31.H01-260302-0001", "1.001193", "091186001234", "PHIẾU"),
    )


def test_the_html_carries_the_official_header_and_the_codes():
    html = forms.form_html(sample())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Độc lập - Tự do - Hạnh phúc" in html
    assert "Rạch Giá, ngày 02 tháng 3 năm 2026" in html
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in html
    assert "Mẫu số 03" in html
    assert "000.01.31.H01-260302-0001" in html
    assert "data:image/svg+xml" in html  # the QR codes
    assert "091186001234" not in html


def test_a_form_before_the_switch_over_uses_the_2018_set():
    html = forms.form_html(sample(FormPurpose.APOLOGY, dt.date(2025, 6, 2)))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in html
    assert "TT 01/2018/TT-VPCP" in html


def test_a_form_renders_to_pdf_with_the_shipped_fonts():
    pdf = forms.render_form(sample())
    assert pdf.startswith(b"%PDF")
    assert pdf.rstrip().endswith(b"%%EOF")


def test_without_pango_rendering_is_a_clear_error(monkeypatch):
    def broken() -> None:
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(forms, "_engine", broken)
    assert not forms.pdf_available()
    with pytest.raises(DomainError) as refused:
        forms.render_form(sample())
    assert refused.value.code == "pdf_unavailable"
