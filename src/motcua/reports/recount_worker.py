"""The body of a recount worker process (``rollups.recount`` with ``workers``; ADR 0021).

A spawned worker starts as a fresh interpreter that imports this module to find its target. This
module therefore imports nothing of Django's models at import time: ``run`` sets Django up first,
then points the default connection at the parent's database and recounts its range of dossiers.
"""

from __future__ import annotations

from typing import Any


def run(
    index: int,
    ids_from: int,
    ids_to: int,
    cursors: bool,
    database: dict[str, Any],
    messages: Any,
) -> None:
    """Recount dossiers ``ids_from``–``ids_to`` (with their cursors or not); send ``(index, kind,
    value)`` messages: progress counts, then ``done`` with the ``Recount`` (or ``error`` with its
    description)."""
    try:
        import django

        django.setup()
        from django.db import connections

        connections["default"].close()
        connections["default"].settings_dict.update(database)  # the parent's (test) database
        from motcua.reports.rollups import recount_range

        part = recount_range(
            ids_from, ids_to, lambda n: messages.put((index, "progress", n)), cursors=cursors
        )
        messages.put((index, "done", part))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, which raises
        messages.put((index, "error", repr(error)))
    finally:
        from django.db import connections

        connections.close_all()
