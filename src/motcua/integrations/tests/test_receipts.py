"""The local receipt provider's numbering: sequential per series, never twice the same number,
even when many payments are settled at once (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections, transaction

from motcua.core import clock
from motcua.integrations.receipts import (
    FeeLine,
    LocalReceiptProvider,
    ReceiptDocument,
    ReceiptRequest,
    local_series,
)


def request() -> ReceiptRequest:
    return ReceiptRequest(
        dossier_code="000.00.00.H01-260302-0001",
        code_label="Mã hồ sơ",
        payer_name="Nguyễn Thị Lan",
        payer_address="",
        payer_identifier="091******001",
        lines=(FeeLine("Lệ phí", 7000), FeeLine("Phí", 3000)),
        collector_superior="UBND",
        collector="Trung tâm",
        place="Rạch Giá",
        paid_at=clock.now(),
        payment_method="VNPAY",
        payment_reference="1",
    )


def fake_pdf(document: ReceiptDocument) -> bytes:
    return f"%PDF {document.ref.series} {document.ref.number_text}".encode()


@pytest.mark.django_db
def test_numbers_follow_each_other_within_a_years_series():
    provider = LocalReceiptProvider(fake_pdf)
    first, second = provider.issue(request()), provider.issue(request())
    assert request().amount == 10_000
    assert second.ref.number == first.ref.number + 1
    assert first.pdf == f"%PDF {first.ref.series} {first.ref.number_text}".encode()
    replacement = provider.replace(first.ref, request(), "wrong name")
    assert replacement.ref.number == second.ref.number + 1
    assert local_series(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)) == "MC27E"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (DATABASE_URL)")
    provider = LocalReceiptProvider(fake_pdf)
    numbers: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(5):
                with transaction.atomic():
                    numbers.append(provider.issue(request()).ref.number)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 41))
