"""E-mail to the applicant from the outbox: Vietnamese, plain text and HTML, at the steps that
matter; nothing without an address."""

from __future__ import annotations

import pytest
from django.core import mail

from motcua.notifications.email import send_dossier_email, send_feedback_answer

PAYLOAD = {
    "dossier_id": 7,
    "code": "000.01.31.H01-260302-0001",
    "submission_ref": "HS-260302-0A1B2C3D",
    "action": "accept_online",
    "to": "received",
    "due": "2026-03-05T03:00:00+00:00",
    "applicant_email": "lan@example.vn",
    "applicant_name": "Nguyễn Thị Lan",
    "procedure_name": "Đăng ký tạm trú",
    "receiving_office": "Trung tâm Phục vụ hành chính công phường Rạch Giá",
    "reason": "",
    "missing": [],
}


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def test_reception_is_announced_with_the_code_and_the_appointment():
    send_dossier_email(PAYLOAD)
    (message,) = mail.outbox
    assert message.to == ["lan@example.vn"]
    assert "000.01.31.H01-260302-0001" in message.subject
    assert "10:00, 05/03/2026" in message.body  # Vietnam time
    assert "Đăng ký tạm trú" in message.body
    assert isinstance(message, mail.EmailMultiAlternatives)
    html, kind = message.alternatives[0]
    assert kind == "text/html"
    assert "<p>" in str(html)


def test_a_supplement_request_lists_what_is_missing():
    send_dossier_email(
        {**PAYLOAD, "action": "request_supplement", "missing": ["Hợp đồng thuê nhà"]}
    )
    (message,) = mail.outbox
    assert "Hợp đồng thuê nhà" in message.body
    assert "bổ sung" in message.subject.lower()


@pytest.mark.parametrize("action", ["issue_result", "return_result", "submit"])
def test_result_and_submission_steps_send_mail(action):
    send_dossier_email({**PAYLOAD, "action": action})
    assert len(mail.outbox) == 1


def test_internal_steps_and_missing_addresses_send_nothing():
    send_dossier_email({**PAYLOAD, "action": "forward_step"})
    send_dossier_email({**PAYLOAD, "applicant_email": ""})
    assert mail.outbox == []


def test_a_feedback_answer_is_mailed():
    send_feedback_answer(
        {
            "reference": "PA-260302-ABC123",
            "subject": "Chờ lâu",
            "answer": "Đã xử lý.",
            "email": "lan@example.vn",
        }
    )
    (message,) = mail.outbox
    assert "PA-260302-ABC123" in message.subject
    assert "Đã xử lý." in message.body
