"""Operators see the outbox: what waits, what failed and why."""

from __future__ import annotations

from django.contrib import admin

from motcua.notifications.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("key", "topic", "status", "attempts", "available_at", "done_at")
    list_filter = ("status", "topic")
    search_fields = ("key",)
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
