"""Reconciliation of pending payments through the simulator's real querydr API, and the fee
receipts a payment gets (issued once, numbered, printed; cancelled and replaced by an officer)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from io import StringIO
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import online, services
from motcua.dossiers.payments import reconcile_payments, start_payment
from motcua.dossiers.receipts import cancel_receipt, issue_receipt, receipt_file, replace_receipt
from motcua.dossiers.services import NotFound
from motcua.dossiers.tests.test_online import ready_draft
from motcua.dossiers.workflow import Action, Status
from motcua.integrations.models import (
    FeeReceipt,
    Payment,
    PaymentStatus,
    ReceiptStatus,
    SimulatedOrder,
)
from motcua.integrations.payments import PaymentQuery, QueryFailedError
from motcua.integrations.payments.gateways import (
    SIMULATOR_API_PATH,
    SIMULATOR_HASH_SECRET,
    configured_gateway,
)
from motcua.integrations.payments.vnpay import (
    QUERY_REQUEST_FIELDS,
    QUERY_RESPONSE_FIELDS,
    pipe_hash,
    query_params,
)
from motcua.integrations.receipts import amount_in_words

pytestmark = pytest.mark.django_db
RETURN = "http://testserver/thanh-toan/vnpay/tra-ve/"
LATER = dt.timedelta(minutes=20)


def through(client: Client, tamper: dict[str, str] | None = None) -> Any:
    """The gateway's server-to-server transport, carried by the test client (real endpoint)."""

    def post(url: str, body: dict[str, str]) -> Any:
        response = client.post(urlsplit(url).path, body, content_type="application/json")
        assert response.status_code == 200
        return {**response.json(), **(tamper or {})}

    return post


def pay_at_simulator(client: Client, pay_url: str, *, paid: bool = True, lose_ipn: bool = True):
    """The payer opens the simulator's page and pays (or cancels); the IPN gets lost."""
    assert client.get(pay_url).status_code == 200
    params = dict(parse_qsl(urlsplit(pay_url).query))
    form = {**params, "ket_qua": "thanh_toan" if paid else "huy"}
    if lose_ipn:
        form["mat_ipn"] = "1"
    response = client.post(urlsplit(pay_url).path, form)
    assert response.status_code == 302
    return dict(parse_qsl(urlsplit(response["Location"]).query))  # the signed result


def reconcile(client: Client, **options: Any):
    gateway = configured_gateway(post=through(client))
    return reconcile_payments(gateway=gateway, now=clock.now() + LATER, **options)


# --- The querydr protocol ----------------------------------------------------------------------


def test_the_query_is_signed_over_the_fields_joined_with_bars_in_vnpays_order():
    query = PaymentQuery(
        "HS1TABC", "Thanh toan le phi", dt.datetime(2026, 3, 2, 2, 30, tzinfo=dt.UTC)
    )
    body = query_params("MOTCUA01", "k", query, at=dt.datetime(2026, 3, 2, 3, 0, tzinfo=dt.UTC))
    data = (
        f"{body['vnp_RequestId']}|2.1.0|querydr|MOTCUA01|HS1TABC|20260302093000|20260302100000"
        "|127.0.0.1|Thanh toan le phi"
    )  # written by hand from VNPay's guide, not rebuilt from the same field list
    assert body["vnp_SecureHash"] == hmac.new(b"k", data.encode(), hashlib.sha512).hexdigest()
    assert len(QUERY_REQUEST_FIELDS) == 9
    answer = {"vnp_ResponseId": "r", "vnp_Command": "querydr", "vnp_ResponseCode": "00"}
    expected = "r|querydr|00||||||||||||"  # 15 fields; absent ones (promotion too) empty
    assert pipe_hash("k", answer, QUERY_RESPONSE_FIELDS) == (
        hmac.new(b"k", expected.encode(), hashlib.sha512).hexdigest()
    )


def test_the_simulator_refuses_a_bad_checksum_and_another_merchant(client):
    query = PaymentQuery("HS1TABC", "x", clock.now())
    body = query_params("MOTCUA01", "wrong-secret", query)
    answer = client.post(SIMULATOR_API_PATH, body, content_type="application/json").json()
    assert answer["vnp_ResponseCode"] == "97"
    assert answer["vnp_SecureHash"] == pipe_hash(
        SIMULATOR_HASH_SECRET, answer, QUERY_RESPONSE_FIELDS
    )
    body = query_params("OTHER001", SIMULATOR_HASH_SECRET, query)
    answer = client.post(SIMULATOR_API_PATH, body, content_type="application/json").json()
    assert answer["vnp_ResponseCode"] == "02"
    assert client.get(SIMULATOR_API_PATH).status_code == 405


def test_a_tampered_answer_is_not_believed(tam_tru, lan, office, client):
    draft = ready_draft(lan, office)
    pay_at_simulator(client, start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1"))
    payment = Payment.objects.get(dossier=draft)
    gateway = configured_gateway(post=through(client, {"vnp_Amount": "100"}))
    with pytest.raises(QueryFailedError):
        gateway.query(PaymentQuery(payment.txn_ref, payment.order_info, payment.created_at))
    summary = reconcile_payments(
        gateway=gateway, now=clock.now() + LATER
    )  # counted as an error, nothing recorded
    assert (summary.checked, summary.errors) == (1, 1)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


# --- Reconciliation ----------------------------------------------------------------------------


def test_a_lost_ipn_is_found_by_the_reconciliation_and_a_late_ipn_changes_nothing(
    tam_tru, lan, office, client
):
    draft = ready_draft(lan, office)
    url = start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1")
    result = pay_at_simulator(client, url)
    assert not SimulatedOrder.objects.get().ipn_sent
    payment = Payment.objects.get(dossier=draft)
    assert payment.status == PaymentStatus.PENDING
    # Too young: the frequent pass leaves a payment alone for 15 minutes.
    assert reconcile_payments(gateway=configured_gateway(post=through(client))).checked == 0

    summary = reconcile(client)
    assert (summary.checked, summary.paid, summary.errors) == (1, 1, 0)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert [c["source"] for c in payment.callbacks] == ["querydr"]
    assert payment.gateway_transaction_no == result["vnp_TransactionNo"]
    assert not FeeReceipt.objects.exists()  # a draft: the receipt waits for the submission

    for _ in range(2):  # the lost IPN arrives late, twice
        answer = client.get("/thanh-toan/vnpay/ipn/", result).json()
        assert answer == {"RspCode": "02", "Message": "Order already confirmed"}
    payment.refresh_from_db()
    assert len(payment.callbacks) == 1
    assert reconcile(client).checked == 0  # nothing pending any more
    submitted = online.submit_draft(lan, draft.pk, declared=True)
    assert submitted.paid_online
    receipt = FeeReceipt.objects.get(payment=payment)
    assert (receipt.amount, receipt.dossier_code) == (7000, submitted.submission_ref)


def test_a_requested_payment_found_by_the_reconciliation_confirms_the_dossier_once(
    tam_tru, lan, office, client
):
    dossier = online.submit_draft(lan, ready_draft(lan, office).pk, declared=True)
    officer = User.objects.get(username="tiepnhan.rachgia")
    handler = User.objects.get(username="chuyenvien.rachgia")
    services.accept_online(dossier.pk, officer)
    services.transfer_dossier(dossier.pk, officer)
    services.request_payment(dossier.pk, handler, amount=50_000, note="Lệ phí cấp bản sao")
    result = pay_at_simulator(
        client, start_payment(lan, dossier.pk, return_url=RETURN, client_ip="::1")
    )
    assert reconcile(client).paid == 1
    assert client.get("/thanh-toan/vnpay/ipn/", result).json()["RspCode"] == "02"
    assert reconcile(client, full_day=True).checked == 0
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESS
    assert dossier.transitions.filter(action=Action.CONFIRM_PAYMENT).count() == 1
    receipt = FeeReceipt.objects.get(dossier=dossier)
    assert receipt.lines == [{"name": "Lệ phí cấp bản sao", "amount": 50_000}]
    assert receipt.dossier_code == dossier.code


def test_a_payment_cancelled_at_the_gateway_is_closed(tam_tru, lan, office, client):
    draft = ready_draft(lan, office)
    pay_at_simulator(
        client, start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1"), paid=False
    )
    summary = reconcile(client)
    assert (summary.checked, summary.closed, summary.paid) == (1, 1, 0)
    assert Payment.objects.get(dossier=draft).status == PaymentStatus.FAILED
    assert not FeeReceipt.objects.exists()


def test_an_order_the_gateway_never_saw_expires_after_half_an_hour(tam_tru, lan, office, client):
    draft = ready_draft(lan, office)
    start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1")  # the payer never went
    summary = reconcile(client)
    assert (summary.checked, summary.pending, summary.closed) == (1, 1, 0)
    gateway = configured_gateway(post=through(client))
    summary = reconcile_payments(gateway=gateway, now=clock.now() + dt.timedelta(minutes=40))
    assert summary.closed == 1
    payment = Payment.objects.get(dossier=draft)
    assert payment.status == PaymentStatus.EXPIRED
    assert payment.callbacks[-1]["params"]["vnp_ResponseCode"] == "91"


def test_an_order_left_unpaid_on_the_gateway_page_fails_after_it_expires(
    tam_tru, lan, office, client, monkeypatch
):
    draft = ready_draft(lan, office)
    url = start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1")
    assert client.get(url).status_code == 200  # seen by the gateway, never paid
    assert reconcile(client).pending == 1
    later = clock.now() + LATER
    monkeypatch.setattr(clock, "now", lambda: later)  # the pay link (15 minutes) has expired
    gateway = configured_gateway(post=through(client))
    assert reconcile_payments(gateway=gateway).closed == 1
    assert Payment.objects.get(dossier=draft).status == PaymentStatus.FAILED


def test_the_frequent_pass_looks_back_an_hour_and_the_daily_pass_a_day(
    tam_tru, lan, office, client
):
    draft = ready_draft(lan, office)
    pay_at_simulator(client, start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1"))
    gateway = configured_gateway(post=through(client))
    three_hours = clock.now() + dt.timedelta(hours=3)
    assert reconcile_payments(gateway=gateway, now=three_hours).checked == 0
    assert reconcile_payments(gateway=gateway, now=three_hours, full_day=True).paid == 1


def test_the_command_runs_a_pass(tam_tru, lan, office):
    out = StringIO()
    call_command("payments-reconcile", "--all-day", stdout=out)
    assert "checked=0" in out.getvalue()


# --- Receipts ----------------------------------------------------------------------------------


def paid_payment(lan, office, client) -> Payment:
    """A fee paid with a draft (the IPN arrives), then the draft submitted."""
    draft = ready_draft(lan, office)
    result = pay_at_simulator(
        client, start_payment(lan, draft.pk, return_url=RETURN, client_ip="::1")
    )
    assert client.get("/thanh-toan/vnpay/ipn/", result).json()["RspCode"] == "00"
    online.submit_draft(lan, draft.pk, declared=True)
    return Payment.objects.get(dossier=draft)


def test_the_ipn_issues_one_numbered_receipt_with_the_dossier_code(tam_tru, lan, office, client):
    first = paid_payment(lan, office, client)
    second = paid_payment(lan, office, client)
    one, two = FeeReceipt.objects.get(payment=first), FeeReceipt.objects.get(payment=second)
    assert (one.form_number, one.series) == ("01BLP0-001", f"MC{clock.now().year % 100:02d}E")
    assert two.number == one.number + 1
    assert one.payer_name == first.dossier.applicant_name
    first.dossier.refresh_from_db()
    assert one.dossier_code == first.dossier.submission_ref
    assert issue_receipt(first.pk) == one  # issuing again returns the same receipt
    download = receipt_file(lan, first.dossier_id, one.pk)
    pdf = download.file.read()
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == one.sha256


def test_an_officer_replaces_and_cancels_a_receipt(tam_tru, lan, office, client):
    payment = paid_payment(lan, office, client)
    dossier = payment.dossier
    officer = User.objects.get(username="tiepnhan.rachgia")
    services.accept_online(dossier.pk, officer)
    old = FeeReceipt.objects.get(payment=payment)
    with pytest.raises(DomainError) as refused:
        cancel_receipt(lan, old.pk, reason="x")  # the payer does not manage receipts
    assert refused.value.code == "not_allowed"
    with pytest.raises(NotFound):
        cancel_receipt(User.objects.get(username="tiepnhan.tinh"), old.pk, reason="x")
    with pytest.raises(DomainError):
        replace_receipt(officer, old.pk, reason=" ")
    new = replace_receipt(officer, old.pk, reason="Sai họ tên", payer_name="Trần Thị Lan")
    old.refresh_from_db()
    assert old.status == ReceiptStatus.REPLACED
    assert old.cancel_reason == "Sai họ tên"
    assert new.replaces == old
    assert new.number == old.number + 1
    assert new.payer_name == "Trần Thị Lan"
    assert new.status == ReceiptStatus.ISSUED
    with pytest.raises(DomainError):
        cancel_receipt(officer, old.pk, reason="again")
    cancelled = cancel_receipt(officer, new.pk, reason="Thu nhầm")
    assert cancelled.status == ReceiptStatus.CANCELLED
    assert cancelled.cancelled_by == officer
    assert issue_receipt(payment.pk) == cancelled  # never silently re-issued


def test_amounts_in_words():
    assert amount_in_words(7000) == "Bảy nghìn đồng"
    assert amount_in_words(50_000) == "Năm mươi nghìn đồng"
    assert amount_in_words(1_005_000) == "Một triệu không trăm linh năm nghìn đồng"
    assert amount_in_words(215_000) == "Hai trăm mười lăm nghìn đồng"
    assert amount_in_words(21_000) == "Hai mươi mốt nghìn đồng"


def test_the_applicant_and_the_office_download_the_receipt(tam_tru, lan, office, client):
    payment = paid_payment(lan, office, client)
    receipt = FeeReceipt.objects.get(payment=payment)
    applicant = Client()
    applicant.force_login(lan)
    page = applicant.get(f"/ho-so-cua-toi/{payment.dossier_id}/").content.decode()
    link = f"/ho-so-cua-toi/{payment.dossier_id}/bien-lai/{receipt.pk}.pdf"
    assert link in page
    assert f"{receipt.number:07d}" in page
    download = applicant.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.getvalue().startswith(b"%PDF")
    other = Client()
    other.force_login(User.objects.get(username="congdan.minh"))
    assert other.get(link).status_code == 404
    officer = Client()
    officer.force_login(User.objects.get(username="tiepnhan.rachgia"))
    page = officer.get(f"/can-bo/ho-so/{payment.dossier_id}/").content.decode()
    office_link = f"/can-bo/ho-so/{payment.dossier_id}/bien-lai/{receipt.pk}.pdf"
    assert office_link in page
    assert officer.get(office_link).status_code == 200
    stranger = Client()
    stranger.force_login(User.objects.get(username="tiepnhan.tinh"))
    assert stranger.get(office_link).status_code == 404


def test_the_office_replaces_and_cancels_a_receipt_from_the_dossier_page(
    tam_tru, lan, office, client
):
    payment = paid_payment(lan, office, client)
    dossier_id = payment.dossier_id
    old = FeeReceipt.objects.get(payment=payment)
    officer = Client()
    officer.force_login(User.objects.get(username="tiepnhan.rachgia"))
    page = f"/can-bo/ho-so/{dossier_id}/"
    change = f"/can-bo/ho-so/{dossier_id}/bien-lai/{old.pk}/dieu-chinh/"
    assert f'action="{change}"' in officer.get(page).content.decode()
    # No reason: refused with a message, nothing changes.
    answer = officer.post(change, {"action": "replace", "reason": " "}, follow=True)
    assert "Hãy nêu lý do." in answer.content.decode()
    old.refresh_from_db()
    assert old.status == ReceiptStatus.ISSUED
    # Replace with the corrected name, then cancel the new one.
    officer.post(change, {"action": "replace", "reason": "Sai tên", "payer_name": "Trần  Lan"})
    old.refresh_from_db()
    new = FeeReceipt.objects.get(replaces=old)
    assert (old.status, new.payer_name) == (ReceiptStatus.REPLACED, "Trần Lan")
    assert officer.get(change).status_code == 405
    cancel = f"/can-bo/ho-so/{dossier_id}/bien-lai/{new.pk}/dieu-chinh/"
    answer = officer.post(cancel, {"action": "cancel", "reason": "Thu nhầm"}, follow=True)
    new.refresh_from_db()
    assert new.status == ReceiptStatus.CANCELLED
    assert f"{new.number}" in answer.content.decode()
    # The applicant cannot, and another office's officer does not see the dossier.
    applicant = Client()
    applicant.force_login(lan)
    assert applicant.post(cancel, {"action": "cancel", "reason": "x"}).status_code in {302, 403}
    stranger = Client()
    stranger.force_login(User.objects.get(username="tiepnhan.tinh"))
    assert stranger.post(cancel, {"action": "cancel", "reason": "x"}).status_code == 404
    assert FeeReceipt.objects.get(pk=new.pk).cancel_reason == "Thu nhầm"
