"""The per-process reference memo (ADR 0018): loaded once, dropped on change here and elsewhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.core import refcache
from motcua.core.models import ReferenceGeneration, User

pytestmark = pytest.mark.django_db


def test_a_value_is_loaded_once_and_handed_out_as_a_copy():
    user = User.objects.create(username="lan", full_name="Nguyễn Thị Lan")
    loads = []

    def load() -> User:
        loads.append(1)
        return User.objects.get(pk=user.pk)

    first = refcache.cached("test", user.pk, load)
    first.full_name = "changed by a careless caller"
    second = refcache.cached("test", user.pk, load)
    assert len(loads) == 1
    assert second.full_name == "Nguyễn Thị Lan"  # the stray assignment did not leak


def test_saving_a_watched_model_drops_the_memo_and_bumps_the_generation():
    user = User.objects.create(username="lan", full_name="Lan")
    before = ReferenceGeneration.objects.get(pk=1).value
    name = lambda: refcache.cached("name", user.pk, lambda: User.objects.get(pk=user.pk).full_name)  # noqa: E731
    assert name() == "Lan"
    user.full_name = "Nguyễn Thị Lan"
    user.save()
    assert name() == "Nguyễn Thị Lan"
    assert ReferenceGeneration.objects.get(pk=1).value > before


def test_saving_only_last_login_keeps_the_memo():
    user = User.objects.create(username="lan")
    refcache.cached("x", 1, lambda: "kept")
    user.save(update_fields=["last_login"])
    assert refcache.cached("x", 1, lambda: "reloaded") == "kept"


def test_a_change_made_by_another_process_is_seen_after_the_check_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    assert refcache.cached("x", 1, lambda: "old") == "old"
    # Another process changed reference data: only the shared number moved.
    ReferenceGeneration.objects.filter(pk=1).update(value=12345)
    clock[0] += refcache.CHECK_SECONDS / 2
    assert refcache.cached("x", 1, lambda: "new") == "old"  # not checked yet
    clock[0] += refcache.CHECK_SECONDS
    assert refcache.cached("x", 1, lambda: "new") == "new"


def test_entries_expire_after_the_ttl_even_without_a_signal(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(refcache, "_shared_generation", lambda: 0)
    assert refcache.cached("x", 1, lambda: "old") == "old"
    clock[0] += refcache.TTL_SECONDS + 1
    assert refcache.cached("x", 1, lambda: "new") == "new"


def test_the_check_is_one_small_query_at_most_once_per_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(refcache.time, "monotonic", lambda: clock[0])
    refcache.cached("x", 1, lambda: "v")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            refcache.cached("x", 1, lambda: "v")
    assert len(queries) == 0
    clock[0] += refcache.CHECK_SECONDS
    with CaptureQueriesContext(connection) as queries:
        refcache.cached("x", 1, lambda: "v")
    assert len(queries) == 1
