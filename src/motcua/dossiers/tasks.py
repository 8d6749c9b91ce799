"""Background work of the dossiers: the periodic sweep of late consultations (ADR 0005)."""

from __future__ import annotations

from django.tasks import task

from motcua.dossiers.services.consultation import notify_late_consultations


@task()
def notify_late_consultations_task() -> dict[str, int]:
    """Notify the one-stop office's head once per consultation whose deadline passed unanswered
    (enqueued by ``motcua scheduler``; idempotent, so a repeated or overlapping run is harmless)."""
    return {"notified": notify_late_consultations()}


@task()
def reconcile_payments_task(full_day: bool = False) -> dict[str, int]:
    """Ask the payment gateway about pending payments (integrations.md §1.3): every 15 minutes,
    plus a daily full pass (enqueued by ``motcua scheduler``; idempotent like the IPN)."""
    from motcua.dossiers.payments import reconcile_payments

    return reconcile_payments(full_day=full_day).as_dict()
