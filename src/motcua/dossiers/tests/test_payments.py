"""Online payment of a dossier: the fee with the application, an obligation during processing;
the gateway's notice (IPN) is verified and applied exactly once."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import online, services
from motcua.dossiers.payments import amount_due, receive_gateway_notice, start_payment
from motcua.dossiers.tests.test_online import ready_draft
from motcua.dossiers.workflow import Action, Status
from motcua.integrations.models import Payment, PaymentStatus
from motcua.integrations.payments.gateways import SIMULATOR_HASH_SECRET
from motcua.integrations.payments.simulator import result_params
from motcua.integrations.payments.vnpay import signed_query

pytestmark = pytest.mark.django_db
RETURN = "http://testserver/thanh-toan/vnpay/tra-ve/"


def gateway_notice(pay_url: str, *, paid: bool = True) -> dict[str, str]:
    """What the gateway (simulator) sends back for the order in ``pay_url``."""
    request = dict(parse_qsl(urlsplit(pay_url).query))
    return dict(parse_qsl(signed_query(SIMULATOR_HASH_SECRET, result_params(request, paid=paid))))


def test_the_fee_is_paid_before_submission_and_recorded_with_it(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    assert amount_due(draft).amount == 7000
    url = start_payment(lan, draft.pk, return_url=RETURN, client_ip="127.0.0.1")
    assert url.startswith("/cong-thanh-toan-thu-nghiem/?")
    answer = receive_gateway_notice(gateway_notice(url))
    assert (answer.code, answer.message) == ("00", "Confirm Success")
    payment = Payment.objects.get(dossier=draft)
    assert payment.status == PaymentStatus.PAID
    assert payment.callbacks[0]["source"] == "ipn"
    assert amount_due(draft) is None
    submitted = online.submit_draft(lan, draft.pk, declared=True)
    assert submitted.paid_online
    assert submitted.transitions.get().data["paid_fee"] == payment.txn_ref


def test_a_repeated_notice_changes_nothing(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    notice = gateway_notice(start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1"))
    assert receive_gateway_notice(notice).code == "00"
    assert receive_gateway_notice(notice).code == "02"  # already confirmed
    payment = Payment.objects.get(dossier=draft)
    assert len(payment.callbacks) == 1


def test_a_tampered_notice_is_refused(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    notice = gateway_notice(start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1"))
    assert receive_gateway_notice({**notice, "vnp_Amount": "100"}).code == "97"
    assert receive_gateway_notice({**notice, "vnp_ResponseCode": "00", "vnp_TxnRef": "X"}).code == (
        "97"
    )
    assert Payment.objects.get(dossier=draft).status == PaymentStatus.PENDING


def test_an_unknown_order_is_answered_not_found(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    request = dict(
        parse_qsl(urlsplit(start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1")).query)
    )
    result = result_params({**request, "vnp_TxnRef": "HS0TNOSUCH"}, paid=True)
    notice = dict(parse_qsl(signed_query(SIMULATOR_HASH_SECRET, result)))
    assert receive_gateway_notice(notice).code == "01"


def test_a_cancelled_payment_leaves_the_fee_due(tam_tru, lan, office):
    draft = ready_draft(lan, office)
    url = start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1")
    assert receive_gateway_notice(gateway_notice(url, paid=False)).code == "00"
    assert Payment.objects.get(dossier=draft).status == PaymentStatus.CANCELLED
    assert amount_due(draft).amount == 7000


def test_a_requested_payment_confirms_the_dossier_once(tam_tru, lan, office):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    officer = User.objects.get(username="tiepnhan.rachgia")
    handler = User.objects.get(username="chuyenvien.rachgia")
    services.accept_online(dossier.pk, officer)
    services.transfer_dossier(dossier.pk, officer)
    services.request_payment(dossier.pk, handler, amount=50_000, note="Lệ phí cấp bản sao")
    dossier.refresh_from_db()
    assert amount_due(dossier).amount == 50_000
    notice = gateway_notice(start_payment(lan, dossier.pk, return_url=RETURN, client_ip="::1"))
    assert receive_gateway_notice(notice).code == "00"
    assert receive_gateway_notice(notice).code == "02"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESS
    assert dossier.paid_online
    confirmations = dossier.transitions.filter(action=Action.CONFIRM_PAYMENT)
    assert confirmations.count() == 1
    assert confirmations.get().actor is None


def test_only_the_applicant_pays_and_only_what_is_owed(tam_tru, lan, minh, office):
    draft = ready_draft(lan, office)
    with pytest.raises(services.NotFound):
        start_payment(minh, draft.pk, return_url=RETURN, client_ip="::1")
    submitted = online.submit_draft(lan, draft.pk, declared=True)
    with pytest.raises(DomainError) as refused:
        start_payment(lan, submitted.pk, return_url=RETURN, client_ip="::1")
    assert refused.value.code == "nothing_to_pay"
