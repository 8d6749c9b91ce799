"""A small fixed-window rate limiter on the configured cache (shared via Redis in production)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address (REMOTE_ADDR; a TLS proxy must set it, e.g. nginx real_ip)."""
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def allow(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for ``key``; False once ``limit`` attempts were made in the window."""
    bucket = f"motcua:rate:{key}"
    if cache.add(bucket, 1, timeout=window_seconds):
        return True
    try:
        count = cache.incr(bucket)
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window_seconds)
        return True
    return count <= limit
