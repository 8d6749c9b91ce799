"""Background delivery of the outbox."""

from __future__ import annotations

from django.tasks import task

from motcua.notifications.services import deliver_pending


@task()
def deliver_outbox() -> dict[str, int]:
    """Deliver due outbox messages (enqueued after each commit that wrote some)."""
    report = deliver_pending()
    return {"delivered": report.delivered, "retried": report.retried, "dead": report.dead}
