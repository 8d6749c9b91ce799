"""Operational background tasks (used to prove the task pipeline works end to end)."""

from __future__ import annotations

from django.tasks import task


@task()
def ping(token: str) -> str:
    """Return ``token``: enqueued by ``motcua doctor`` to check that a worker runs tasks."""
    return token
