"""Write to and deliver from the outbox (see ``models``).

``enqueue`` is called inside the business transaction. ``deliver_pending`` runs in a worker: it
takes due messages (``SKIP LOCKED`` on PostgreSQL, so workers never deliver the same message twice
at once), calls every handler registered for the topic, and records success, a retry with
exponential backoff, or — after ``MAX_ATTEMPTS`` — the dead state for operators to look at.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from motcua.notifications.models import OutboxMessage, OutboxStatus

logger = logging.getLogger("motcua.outbox")

MAX_ATTEMPTS = 8
type Handler = Callable[[Mapping[str, object]], None]
_handlers: dict[str, list[Handler]] = {}


def register_handler(topic: str, handler: Handler) -> None:
    """Deliver messages of ``topic`` to ``handler`` too (called once at start-up, from config)."""
    if handler not in _handlers.setdefault(topic, []):
        _handlers[topic].append(handler)


def handlers_for(topic: str) -> list[Handler]:
    return list(_handlers.get(topic, []))


def enqueue(topic: str, key: str, payload: Mapping[str, object]) -> OutboxMessage:
    """Record a message to deliver after commit (call inside the business transaction)."""
    now = timezone.now()
    return OutboxMessage.objects.create(
        key=key, topic=topic, payload=dict(payload), available_at=now, created_at=now
    )


@dataclass(frozen=True)
class DeliveryReport:
    delivered: int
    retried: int
    dead: int


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def deliver_pending(limit: int = 100) -> DeliveryReport:
    """Deliver up to ``limit`` due messages; returns how many were delivered, retried, dead."""
    delivered = retried = dead = 0
    now = timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, available_at__lte=now
        ).order_by("available_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for message in due[:limit]:
            try:
                for handler in handlers_for(message.topic):
                    handler(message.payload)
            except Exception as error:  # noqa: BLE001 - any handler failure is retried
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxStatus.DEAD
                    dead += 1
                    logger.error("outbox message %s is dead: %s", message.key, message.last_error)
                else:
                    message.available_at = timezone.now() + _backoff(message.attempts)
                    retried += 1
                message.save(update_fields=["attempts", "last_error", "status", "available_at"])
                continue
            message.status = OutboxStatus.DONE
            message.attempts += 1
            message.done_at = timezone.now()
            message.save(update_fields=["status", "attempts", "done_at"])
            delivered += 1
    return DeliveryReport(delivered, retried, dead)


def retry_dead(key: str) -> OutboxMessage:
    """Put a dead message back in the queue (an operator fixed the cause)."""
    message = OutboxMessage.objects.get(key=key, status=OutboxStatus.DEAD)
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.available_at = timezone.now()
    message.save(update_fields=["status", "attempts", "available_at"])
    return message
