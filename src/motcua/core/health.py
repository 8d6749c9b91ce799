"""Liveness and readiness facts for operators (load balancers, monitoring)."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Health:
    """What a health probe reports."""

    ok: bool
    version: str
    database: str
    database_ok: bool


def check_health() -> Health:
    """Run one trivial query and report the application version and database vendor."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database_ok = True
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        database_ok = False
    return Health(
        ok=database_ok,
        version=importlib.metadata.version("motcua"),
        database=connection.vendor,
        database_ok=database_ok,
    )
