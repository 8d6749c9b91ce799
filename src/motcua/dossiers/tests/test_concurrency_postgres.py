"""Concurrency on PostgreSQL (the production database): many officers, one dossier or one office.

Runs in the CI lane with DATABASE_URL=postgres://…; skipped on the embedded SQLite, which
serialises writers at BEGIN IMMEDIATE instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections

from motcua.core.errors import DomainError
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, IdempotencyRecord
from motcua.dossiers.services.idempotency import create_once
from motcua.dossiers.tests.factories import (
    People,
    dossier_input,
    ensure_procedure,
    hours,
    in_status,
)
from motcua.dossiers.workflow import Status

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Run ``work(i)`` in ``count`` threads released together; returns results or exceptions."""
    barrier = threading.Barrier(count)

    def run(i: int) -> Any:
        try:
            barrier.wait()
            return work(i)
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.fixture
def people(demo) -> People:
    ensure_procedure()
    return People.load()


def test_fifty_parallel_receptions_at_one_office_get_unique_gapless_codes(people):
    results = in_parallel(
        50,
        lambda _i: (
            services.receive_dossier(dossier_input(people), people.officer, at=hours(0)).code
        ),
    )
    assert all(isinstance(code, str) for code in results), results
    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in results)
    assert numbers == list(range(1, 51))


def test_two_officers_acting_at_once_one_wins_the_other_gets_a_conflict(people):
    dossier = in_status(Status.RECEIVED, people)
    version = dossier.version
    results = in_parallel(
        2,
        lambda i: (
            services.transfer_dossier(
                dossier.pk, people.officer, expected_version=version, at=hours(1)
            )
            if i == 0
            else services.withdraw_dossier(
                dossier.pk, people.citizen, expected_version=version, at=hours(1)
            )
        ),
    )
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert losers[0].code in {"stale", "not_allowed"}
    dossier.refresh_from_db()
    assert dossier.version == version + 1
    assert dossier.transitions.count() == version + 1


def test_repeated_creates_with_one_idempotency_key_make_exactly_one_dossier(people):
    payload = {"applicant": "Nguyễn Thị Lan"}

    def create(_i: int) -> int:
        dossier, _created = create_once(
            "client:test",
            "same-key",
            payload,
            lambda claim: services.receive_dossier(
                dossier_input(people), people.officer, at=hours(0), claim=claim
            ),
        )
        return dossier.pk

    results = in_parallel(10, create)
    assert all(isinstance(r, int) for r in results), results
    assert len(set(results)) == 1
    assert Dossier.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1
