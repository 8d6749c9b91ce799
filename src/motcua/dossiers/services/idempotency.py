"""Idempotent creation: the same client and ``Idempotency-Key`` always give the same dossier.

The key's record (a unique row) is written right after the dossier, in the same transaction: a
concurrent request with the same key blocks on the unique index (PostgreSQL) or on the write lock
(SQLite) until the first commits, then fails, rolls its own dossier back — its code counter
increment too, so no code is spent — and returns the first one's dossier (ADR 0018).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, IdempotencyRecord


def fingerprint(payload: Mapping[str, Any]) -> str:
    """A stable digest of a request body (key order does not matter)."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _existing(client: str, key: str, digest: str) -> Dossier:
    record = IdempotencyRecord.objects.select_related("dossier").get(client=client, key=key)
    if record.fingerprint != digest:
        raise DomainError(
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for a different request."),
        )
    assert record.dossier is not None
    return record.dossier


def create_once(
    client: str, key: str, payload: Mapping[str, Any], create: Callable[[], Dossier]
) -> tuple[Dossier, bool]:
    """Run ``create`` once per (client, key); returns (dossier, created)."""
    key = key.strip()
    if not key or len(key) > 200:
        raise DomainError(
            "idempotency_key_invalid", _("Give an Idempotency-Key of 1–200 characters.")
        )
    digest = fingerprint(payload)
    try:
        with transaction.atomic():
            dossier = create()
            # Written last, in the same transaction: a concurrent twin blocks on the unique
            # (client, key) row until we commit, then fails and rolls its own dossier back
            # (its code counter increment too, so codes stay gap-free).
            IdempotencyRecord.objects.create(
                client=client, key=key, fingerprint=digest, dossier=dossier
            )
    except IntegrityError:
        if not IdempotencyRecord.objects.filter(client=client, key=key).exists():
            raise  # another constraint failed; not a concurrent twin
        return _existing(client, key, digest), False
    return dossier, True
