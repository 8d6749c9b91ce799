"""The one place MotCua asks for "now" and "today" (Vietnam local time); tests freeze it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current instant, timezone-aware."""
    return timezone.now()


def today() -> dt.date:
    """Today's date in Vietnam local time (Asia/Ho_Chi_Minh), not UTC."""
    return timezone.localdate(timezone.now())
