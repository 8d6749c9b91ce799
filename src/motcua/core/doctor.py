"""End-to-end checks of the runtime parts an operator configured (``motcua doctor``).

Each check exercises the real component — database, cache, file storage, task queue + worker — and
reports what answered, so a province's IT team can verify a deployment in one command.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.tasks import TaskResultStatus

from motcua.core.health import check_health
from motcua.core.tasks import ping


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check: which component, whether it worked, and details."""

    name: str
    ok: bool
    detail: str


def check_database() -> CheckResult:
    """The database answers a query."""
    health = check_health()
    return CheckResult("database", health.database_ok, health.database)


def check_cache() -> CheckResult:
    """A value written to the cache can be read back."""
    key, value = f"motcua:doctor:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    ok = cache.get(key) == value
    cache.delete(key)
    return CheckResult("cache", ok, settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])


def check_storage() -> CheckResult:
    """A file written to the default storage reads back identically, then is deleted."""
    payload = secrets.token_bytes(64)
    name = default_storage.save(f"doctor/{secrets.token_hex(8)}.bin", ContentFile(payload))
    try:
        with default_storage.open(name, "rb") as handle:
            ok = handle.read() == payload
    finally:
        default_storage.delete(name)
    return CheckResult("storage", ok, settings.STORAGES["default"]["BACKEND"].rsplit(".", 1)[-1])


def check_tasks(
    run_worker: Callable[[], object] | None = None, timeout: float = 30.0
) -> CheckResult:
    """A task enqueued now is executed by a worker within ``timeout`` seconds.

    ``run_worker`` lets a caller process the queue itself (tests, ``doctor --run-worker``);
    otherwise a running ``motcua worker`` must pick the task up.
    """
    token = secrets.token_hex(8)
    result = ping.enqueue(token)
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    if run_worker is not None:
        run_worker()
    deadline = time.monotonic() + timeout
    while True:
        result.refresh()
        if result.status == TaskResultStatus.SUCCESSFUL:
            return CheckResult("tasks", result.return_value == token, backend)
        if result.status == TaskResultStatus.FAILED or time.monotonic() > deadline:
            return CheckResult("tasks", False, f"{backend}: task {result.status}")
        time.sleep(0.2)
