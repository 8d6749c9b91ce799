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
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
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


@dataclass
class Claim:
    """The (client, key) of a creation, written by the creating service in its own transaction
    (``record``), so the key and the dossier commit together without a nested savepoint."""

    client: str
    key: str
    fingerprint: str
    recorded: bool = False

    def record(self, dossier: Dossier) -> None:
        """Write the key's record for ``dossier``; call inside the dossier's transaction."""
        IdempotencyRecord.objects.create(
            client=self.client, key=self.key, fingerprint=self.fingerprint, dossier=dossier
        )
        self.recorded = True


def create_once(
    client: str, key: str, payload: Mapping[str, Any], create: Callable[[Claim], Dossier]
) -> tuple[Dossier, bool]:
    """Run ``create`` once per (client, key); returns (dossier, created).

    ``create`` passes the claim to the service that creates the dossier (``claim=``), which
    records it last, in the same transaction: a concurrent twin blocks on the unique (client,
    key) row until the first commits, then fails and rolls its own dossier back (its code counter
    increment too, so codes stay gap-free).
    """
    key = key.strip()
    if not key or len(key) > 200:
        raise DomainError(
            "idempotency_key_invalid", _("Give an Idempotency-Key of 1–200 characters.")
        )
    claim = Claim(client, key, fingerprint(payload))
    try:
        dossier = create(claim)
    except IntegrityError:
        if not IdempotencyRecord.objects.filter(client=client, key=key).exists():
            raise  # another constraint failed; not a concurrent twin
        return _existing(client, key, claim.fingerprint), False
    if not claim.recorded:
        raise RuntimeError("the creating service did not record the idempotency claim")
    return dossier, True
