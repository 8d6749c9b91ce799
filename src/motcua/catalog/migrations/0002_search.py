"""Search structures, per database (ADR 0009).

SQLite: an FTS5 table over ``ProcedureVersion.search_text`` (rowid = version id), filled and kept in
sync by ``catalog.search_index`` (called from the services, never from signals).
PostgreSQL: the ``pg_trgm`` extension and a trigram GIN index on the same column.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS catalog_search USING fts5("
    "search_text, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')",
    "INSERT INTO catalog_search (rowid, search_text) "
    "SELECT id, search_text FROM catalog_procedureversion",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS catalog_search"]
POSTGRES_FORWARD = [
    # Needs a role allowed to create extensions (the owner of the database on PostgreSQL >= 13,
    # since pg_trgm is a trusted extension).
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalog_version_search_trgm "
    "ON catalog_procedureversion USING gin (search_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS catalog_version_search_trgm"]


def _run(statements_by_vendor):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
            elidable=False,
        ),
    ]
