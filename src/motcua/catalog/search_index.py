"""The search index of procedure versions, per database (ADR 0009).

SQLite (embedded): the FTS5 table ``catalog_search`` (migration 0002) holds each version's
``search_text`` under the version's id as rowid. The catalogue services call
``refresh_search_index`` in the same transaction as every write of a version — no signals — so
the index commits or rolls back with the data. PostgreSQL: the trigram GIN index on
``search_text`` is maintained by the database itself, so these functions do nothing there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

_CHUNK = 500  # well under SQLite's default limit of host parameters


def uses_fts5() -> bool:
    """Whether the default database searches through the FTS5 table (SQLite)."""
    return connection.vendor == "sqlite"


def refresh_search_index(version_ids: Iterable[int]) -> None:
    """(Re)index the given versions from their ``search_text``; drops ids that no longer exist."""
    if not uses_fts5():
        return
    ids = list(version_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM catalog_search WHERE rowid IN ({marks})", chunk)  # noqa: S608
            cursor.execute(
                "INSERT INTO catalog_search (rowid, search_text) "  # noqa: S608 - placeholders only
                f"SELECT id, search_text FROM catalog_procedureversion WHERE id IN ({marks})",
                chunk,
            )


def rebuild_search_index() -> int:
    """Rebuild the whole index from the versions table; returns the number of rows indexed."""
    if not uses_fts5():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_search")
        cursor.execute(
            "INSERT INTO catalog_search (rowid, search_text) "
            "SELECT id, search_text FROM catalog_procedureversion"
        )
        return int(cursor.rowcount)


def search_index_mismatches() -> int:
    """Versions whose indexed text differs from the table, plus stray index rows (0 = in sync)."""
    if not uses_fts5():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT "
            "(SELECT count(*) FROM catalog_procedureversion v LEFT JOIN catalog_search s "
            " ON s.rowid = v.id WHERE s.rowid IS NULL OR s.search_text != v.search_text) + "
            "(SELECT count(*) FROM catalog_search s LEFT JOIN catalog_procedureversion v "
            " ON v.id = s.rowid WHERE v.id IS NULL)"
        )
        row = cursor.fetchone()
    return int(row[0])


def refresh_statistics() -> None:
    """Let SQLite's planner know the catalogue's shape after a bulk change (ANALYZE).

    Without statistics SQLite takes the in-force index (status, valid_from) for selective, and
    walks every published version even for a one-code search. PostgreSQL's autovacuum does this.
    """
    if not uses_fts5():
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_procedure")
        cursor.execute("ANALYZE catalog_procedureversion")


def fts_match_ids_sql(match: str) -> tuple[str, list[str]]:
    """SQL selecting the version ids whose text matches an FTS5 ``match`` expression."""
    return "SELECT rowid FROM catalog_search WHERE catalog_search MATCH %s", [match]
