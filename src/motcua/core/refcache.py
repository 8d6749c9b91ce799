"""A per-process memo of reference data read on every request (ADR 0018).

Receiving a dossier or looking one up reads the same few rows again and again: the API token and
its user, the receiving office, the procedure version in force with its channels, the reception
offers, the officer's scope, the calendar chain, the process steps. They change a few times a day;
dossiers change thousands of times. Reading them from the database on every request was most of
the time a reception took (ADR 0018 has the figures).

How it stays correct:

- Apps name the models their cached reads depend on (``watch``); saving or deleting one of them
  clears this process's memo at once and, in the same transaction, bumps one shared generation
  number (a row in ``core_referencegeneration``).
- Every process compares the generation with the one it loaded from at most once per
  ``CHECK_SECONDS``; when it moved, the memo is dropped. So another process sees a change at most
  about a second after it commits — the same database, no extra service.
- Writes that send no signals (``QuerySet.update``, ``bulk_create``, raw SQL) must call
  ``invalidate()`` themselves; ``TTL_SECONDS`` bounds the damage when one is forgotten.
- Cached model instances are shared: callers treat them as read-only (``cached`` hands out shallow
  copies of model instances so a stray assignment cannot leak into the next request).
"""

from __future__ import annotations

import copy
import threading
import time as time
from collections.abc import Callable, Hashable
from typing import Any

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

#: How often a process asks the database whether reference data changed elsewhere.
CHECK_SECONDS = 1.0
#: Upper bound on the age of an entry, whatever happens (a forgotten ``invalidate``).
TTL_SECONDS = 60.0
#: Entries per memo before it is emptied (reference data is small; this only bounds memory).
MAX_ENTRIES = 20_000

_lock = threading.Lock()
_memos: dict[str, dict[Hashable, tuple[float, Any]]] = {}
_state: dict[str, Any] = {"generation": None, "checked": 0.0}


def _fresh_copy[T](value: T) -> T:
    return copy.copy(value) if isinstance(value, models.Model) else value


def _shared_generation() -> int:
    from motcua.core.models import ReferenceGeneration

    value = ReferenceGeneration.objects.filter(pk=1).values_list("value", flat=True).first()
    return int(value or 0)


def _sync(now: float) -> None:
    """Drop every memo when another process changed reference data since we last looked."""
    if now - _state["checked"] < CHECK_SECONDS:
        return
    generation = _shared_generation()
    with _lock:
        if generation != _state["generation"]:
            _memos.clear()
            _state["generation"] = generation
        _state["checked"] = now


def cached[T](memo: str, key: Hashable, load: Callable[[], T]) -> T:
    """``load()``'s value for ``key`` in the memo named ``memo``, loaded at most once per change."""
    now = time.monotonic()
    _sync(now)
    entries = _memos.get(memo)
    found: tuple[float, Any] | None = entries.get(key) if entries is not None else None
    if found is not None and now - found[0] < TTL_SECONDS:
        kept: T = found[1]
        return _fresh_copy(kept)
    value = load()
    with _lock:
        entries = _memos.setdefault(memo, {})
        if len(entries) >= MAX_ENTRIES:
            entries.clear()
        entries[key] = (now, value)
    return _fresh_copy(value)


def _clear_local() -> None:
    with _lock:
        _memos.clear()


def invalidate() -> None:
    """Reference data changed: forget it here now, and tell the other processes at commit."""
    from motcua.core.models import ReferenceGeneration

    _clear_local()
    # The row is created by the migration; a missing row only means nobody else can be told.
    ReferenceGeneration.objects.filter(pk=1).update(value=models.F("value") + 1)
    # A read between our change and our commit may have cached the old rows: forget again.
    transaction.on_commit(_clear_local)


def reset() -> None:
    """Forget everything, including the generation seen (tests; a new database)."""
    with _lock:
        _memos.clear()
        _state["generation"] = None
        _state["checked"] = 0.0


def _changed(sender: type[models.Model], **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures being loaded: the memo is reset with the database
    fields = kwargs.get("update_fields")
    ignored: frozenset[str] = getattr(sender, "REFCACHE_IGNORED_FIELDS", frozenset())
    if fields and set(fields) <= ignored:
        return  # e.g. a user's last_login: nothing a cached read shows
    invalidate()


def watch(*watched: type[models.Model]) -> None:
    """Clear the memo whenever one of ``watched`` is saved or deleted (call from ``ready()``)."""
    for model in watched:
        uid = f"motcua.refcache:{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid + ":save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid + ":delete", weak=False)
