"""Bulk-load mode for PostgreSQL: secondary indexes off during a large COPY, rebuilt after.

What ``pg_restore`` does, for the synthetic generator (ADR 0019): maintaining some twenty
secondary indexes row by row costs PostgreSQL more than the COPY itself (measured: 13.5k dossiers/s
with them, 25.4k/s without, at 300k). Building an index once over the loaded table is a sort, far
cheaper. Unique and primary-key indexes stay (they keep the load honest).

Nothing is lost if the process dies between the drop and the rebuild: before dropping, the
definitions are written into a comment on their table, in the same transaction as the drops, and
``restore_pending`` (run at the start of every load) recreates whatever a comment still lists.
Meanwhile only speed suffers: the unique indexes were never dropped.
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction

MARK = "motcua bulk load, indexes to restore: "


@dataclass(frozen=True)
class Index:
    table: str
    name: str
    definition: str
    bytes: int


def secondary_indexes(tables: Sequence[str]) -> list[Index]:
    """Indexes of ``tables`` that are neither primary keys nor unique, largest first."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.relname, i.relname, pg_get_indexdef(i.oid), pg_relation_size(i.oid)
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE t.relname = ANY(%s) AND n.nspname = current_schema()
              AND NOT x.indisunique AND NOT x.indisprimary
            ORDER BY pg_relation_size(i.oid) DESC, i.relname
            """,
            [list(tables)],
        )
        return [Index(*row) for row in cursor.fetchall()]


def drop(tables: Sequence[str]) -> list[Index]:
    """Record and drop the secondary indexes of ``tables`` (one transaction); returns them."""
    indexes = secondary_indexes(tables)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            mine = [i.definition for i in indexes if i.table == table]
            if mine:
                cursor.execute(
                    f'COMMENT ON TABLE "{table}" IS %s',
                    [MARK + json.dumps(mine)],
                )
        for index in indexes:
            cursor.execute(f'DROP INDEX "{index.name}"')
    return indexes


def pending(tables: Sequence[str]) -> list[str]:
    """Index definitions recorded by a ``drop`` whose rebuild has not finished."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT obj_description(c.oid, 'pg_class') FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = ANY(%s) AND n.nspname = current_schema()",
            [list(tables)],
        )
        found: list[str] = []
        for (comment,) in cursor.fetchall():
            if comment and comment.startswith(MARK):
                found.extend(json.loads(comment[len(MARK) :]))
        return found


def rows(table: str) -> int:
    """About how many rows ``table`` holds: the planner's estimate, exact below a million."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])
        found = cursor.fetchone()
        estimate = int(found[0]) if found else -1
        if estimate < 1_000_000:  # never analysed (-1), or small enough to count
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a model table
            estimate = int(cursor.fetchone()[0])
        return estimate


def rebuild(tables: Sequence[str], definitions: Sequence[str], *, workers: int = 2) -> None:
    """Create ``definitions`` (those missing) on ``workers`` connections, then clear the marks
    and refresh the planner's statistics of ``tables``."""
    jobs: queue.Queue[str] = queue.Queue()
    for definition in definitions:
        jobs.put(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    for table in tables:  # the planner's statistics, last (the largest indexes go first)
        jobs.put(f'ANALYZE "{table}"')
    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    errors: list[BaseException] = []

    def work() -> None:
        import psycopg

        try:
            with psycopg.connect(**params, autocommit=True) as conn:
                conn.execute("SET maintenance_work_mem = '512MB'")
                # One process per statement: the workers already use the cores, and parallel
                # index builds on top of them only queue for the CPU.
                conn.execute("SET max_parallel_maintenance_workers = 0")
                while True:
                    try:
                        statement = jobs.get_nowait()
                    except queue.Empty:
                        return
                    conn.execute(statement.encode())
        except BaseException as error:  # noqa: BLE001 - raised by the caller below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(max(1, workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'COMMENT ON TABLE "{table}" IS NULL')


def restore_pending(tables: Sequence[str]) -> int:
    """Rebuild the indexes an interrupted bulk load left dropped; how many were listed."""
    definitions = pending(tables)
    if definitions:
        rebuild(tables, definitions)
    return len(definitions)


__all__ = ["Index", "drop", "pending", "rebuild", "restore_pending", "rows"]
