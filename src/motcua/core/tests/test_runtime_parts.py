"""The configured runtime parts work end to end: database, cache, file storage, task worker.

Run in the embedded shape (SQLite, memory cache, local files, database tasks) by `make test`, and
in the production shape (PostgreSQL, Redis, RQ, S3) by the CI lane that sets those variables.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from motcua.core.doctor import check_cache, check_database, check_storage, check_tasks


@pytest.mark.django_db
def test_the_database_answers():
    assert check_database().ok


def test_the_cache_keeps_a_value():
    assert check_cache().ok


def test_files_round_trip_through_the_storage(tmp_path, settings):
    assert check_storage().ok


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_queued_task_is_run_by_the_worker():
    result = check_tasks(
        run_worker=lambda: call_command("worker", "--batch", verbosity=0), timeout=20
    )
    assert result.ok, result.detail


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_doctor_command_reports_every_part(capsys):
    call_command("doctor", "--run-worker", "--timeout", "20")
    out = capsys.readouterr().out
    for part in ("database", "cache", "storage", "tasks"):
        assert f"ok   {part}" in out
