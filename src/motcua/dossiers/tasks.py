"""Background work of the dossiers: the periodic sweep of late consultations (ADR 0005)."""

from __future__ import annotations

from django.tasks import task

from motcua.dossiers.services.consultation import notify_late_consultations


@task()
def notify_late_consultations_task() -> dict[str, int]:
    """Notify the one-stop office's head once per consultation whose deadline passed unanswered
    (enqueued by ``motcua scheduler``; idempotent, so a repeated or overlapping run is harmless)."""
    return {"notified": notify_late_consultations()}
