"""The transactional outbox: side effects that must not be lost, written with the business change.

A service that changes a dossier writes an ``OutboxMessage`` in the same database transaction; a
worker delivers it afterwards (notifications, national-portal sync …) with retries and backoff, and
parks it as *dead* after too many failures, visible to operators. The ``key`` makes delivery
idempotent for receivers and writing idempotent for producers.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DONE = "done", _("Delivered")
    DEAD = "dead", _("Failed for good")


class OutboxMessage(models.Model):
    """A message waiting for (or done with) delivery to its topic's handlers."""

    topic = models.CharField(_("topic"), max_length=100)
    key = models.CharField(_("key"), max_length=200, unique=True)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    available_at = models.DateTimeField(_("next attempt"))
    created_at = models.DateTimeField(_("created at"))
    done_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.topic} {self.key} ({self.status})"
