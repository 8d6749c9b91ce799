"""Bulk-load mode: secondary indexes dropped for a large COPY come back, whatever happens."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.config.demo.loader import load_demo
from motcua.dossiers.models import Dossier, DossierPause, DossierTransition
from motcua.reports import bulkload, synthetic

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="bulk loading is PostgreSQL's (COPY, indexes)"
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TABLES = [m._meta.db_table for m in (Dossier, DossierTransition, DossierPause)]


def index_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = ANY(%s)", [TABLES])
        return {name for (name,) in cursor.fetchall()}


def assert_histories_agree_with_the_dossiers() -> None:
    """Each generated dossier's row tells what its history says (the binary rows included)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT d.code, d.status, t.to_status, d.version, t.n, t.top, d.supplement_count,
                   t.asks, d.updated_at = t.last_at, t.data_ok, t.starts
            FROM dossiers_dossier d
            JOIN (SELECT dossier_id, COUNT(*) n, MAX(seq) top, MAX(at) last_at,
                         (ARRAY_AGG(to_status ORDER BY seq DESC))[1] to_status,
                         COUNT(*) FILTER (WHERE action = 'request_supplement') asks,
                         BOOL_AND(data = '{}'::jsonb AND actor_role = 'system') data_ok,
                         COUNT(*) FILTER (WHERE clock_effect = 'start') starts
                  FROM dossiers_dossiertransition GROUP BY dossier_id) t ON t.dossier_id = d.id
            WHERE d.applicant_name LIKE 'Người dân mô phỏng %%'
            """
        )
        rows = cursor.fetchall()
    assert rows
    for code, status, last, version, n, top, supplements, asks, updated, data_ok, starts in rows:
        assert status == last, code
        assert version == n == top, code  # seq runs 1..n without a gap
        assert supplements == asks, code
        assert updated, code
        assert data_ok, code
        assert starts == 1, code  # one reception (T2 or T3) each


def test_only_plain_indexes_are_dropped_and_all_come_back():
    before = index_names()
    dropped = bulkload.drop(TABLES)
    names = {i.name for i in dropped}
    assert "dossier_office_queue" in names
    assert "dossiers_dossier_pkey" not in names  # primary keys and unique indexes stay
    assert "dossiers_dossier_code_key" not in names
    assert "transition_seq_unique" not in names
    assert index_names() == before - names
    assert len(bulkload.pending(TABLES)) == len(dropped)

    # The process died here; the next load repairs the schema first.
    assert bulkload.restore_pending(TABLES) == len(dropped)
    assert index_names() == before
    assert bulkload.pending(TABLES) == []


def test_the_generator_rebuilds_the_indexes_even_when_the_load_fails(monkeypatch):
    load_demo()
    before, demo = index_names(), Dossier.objects.count()
    made = synthetic.generate(400, seed=3, communes=4, batch=200, rebuild_indexes=True)
    assert made.dossiers == 400
    assert made.index_seconds > 0
    assert index_names() == before
    assert Dossier.objects.count() == demo + 400
    assert_histories_agree_with_the_dossiers()

    def broken(*args: object, **kwargs: object) -> int:
        raise RuntimeError("generator broke mid-load")

    monkeypatch.setattr(synthetic, "_batch", broken)
    with pytest.raises(RuntimeError, match="mid-load"):
        synthetic.generate(400, seed=4, communes=4, batch=200, rebuild_indexes=True)
    assert index_names() == before
    assert bulkload.pending(TABLES) == []


def test_a_small_load_into_a_large_table_keeps_the_indexes():
    load_demo()  # a few hundred demo dossiers
    demo = Dossier.objects.count()
    made = synthetic.generate(demo + 100, seed=5, communes=4, batch=300)
    assert made.index_seconds > 0  # the load more than doubles the table: auto rebuilds
    made = synthetic.generate(100, seed=6, communes=4, batch=100)  # a small share: keeps them
    assert made.index_seconds == 0
    assert Dossier.objects.count() == 2 * demo + 200
