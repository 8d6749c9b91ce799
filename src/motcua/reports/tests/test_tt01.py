"""TT 01/2018 evaluation scoring (Art 13–15): worked examples, table-driven (pure, no database)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from motcua.calendars.engine import VN_TZ
from motcua.reports import tt01
from motcua.reports.tt01 import Band, IndexResult, Timeliness

DUE = dt.datetime(2026, 2, 24, 10, 0, tzinfo=VN_TZ)  # calendar §10 mini-example (example 1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VN_TZ)


@pytest.mark.parametrize(
    ("end", "klass", "points"),
    [
        (at("2026-02-23T16:00"), Timeliness.EARLY, 2),
        (at("2026-02-24T09:30"), Timeliness.ON_TIME, 1),
        (at("2026-02-24T10:00"), Timeliness.ON_TIME, 1),
        (at("2026-02-24T15:00"), Timeliness.LATE, 0),
        (at("2026-02-26T08:00"), Timeliness.LATE, 0),
    ],
)
def test_index_1_early_on_time_late_score_2_1_0(end, klass, points):
    assert tt01.timeliness(end, DUE) is klass
    assert tt01.index1_points(end, DUE) == points


def test_index_1_compares_in_vietnamese_local_days():
    # 23/02 23:30 local is 16:30 UTC the same day; 24/02 01:00 local is still 23/02 in UTC.
    assert tt01.timeliness(at("2026-02-24T01:00").astimezone(dt.UTC), DUE) is Timeliness.ON_TIME


@pytest.mark.parametrize(
    ("agencies", "points"),
    [
        ([Timeliness.EARLY], 2),
        ([Timeliness.EARLY, Timeliness.EARLY], 2),
        ([Timeliness.EARLY, Timeliness.ON_TIME], 1),
        ([Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE], 0),
        ([Timeliness.ON_TIME, Timeliness.ON_TIME], 1),
        ([Timeliness.LATE, Timeliness.EARLY], 0),
        ([], None),
    ],
)
def test_index_2_the_worst_agency_counts(agencies, points):
    assert tt01.index2_points(agencies) == points


@pytest.mark.parametrize(
    ("due", "finished", "late_minutes", "klass"),
    [
        (at("2026-05-19T14:00"), at("2026-05-18T10:00"), 0, Timeliness.EARLY),
        (at("2026-05-19T14:00"), at("2026-05-19T13:00"), 0, Timeliness.ON_TIME),
        (at("2026-05-19T14:00"), at("2026-05-20T10:00"), 360, Timeliness.LATE),
        (at("2026-05-19T14:00"), at("2026-05-19T15:00"), None, Timeliness.LATE),
    ],
)
def test_a_control_slip_row_against_its_budget(due, finished, late_minutes, klass):
    assert tt01.step_timeliness(due, finished, late_minutes) is klass


@pytest.mark.parametrize(("contacts", "points"), [(0, 2), (1, 1), (2, 0), (5, 0)])
def test_index_3_contacts_0_1_more(contacts, points):
    assert tt01.index3_points(contacts) == points


@pytest.mark.parametrize(("agencies", "points"), [(0, 2), (1, 1), (2, 0)])
def test_index_4_agencies_contacted(agencies, points):
    assert tt01.index4_points(agencies) == points


@pytest.mark.parametrize(
    ("share", "level", "points"),
    [
        (0.2, "province", 2),
        (0.19, "province", 0),
        (0.5, "district", 2),
        (0.49, "district", 0),
        (1.0, "commune", 2),
        (0.99, "commune", 0),
    ],
)
def test_index_5_targets_by_level(share, level, points):
    assert tt01.index5_points(share, level) == points


@pytest.mark.parametrize(
    ("posted", "electronic", "expected"),
    [
        (True, True, (2, False)),
        (True, False, (1, False)),
        (False, False, (0, False)),
        (None, True, (1, True)),  # posting not recorded: a lower bound
        (None, None, (None, False)),
    ],
)
def test_index_6_publication(posted, electronic, expected):
    assert tt01.index6_points(posted, electronic) == expected


@pytest.mark.parametrize(
    ("klass", "complaints", "points"),
    [
        (Timeliness.EARLY, 0, 2),
        (Timeliness.ON_TIME, 0, 1),
        (Timeliness.LATE, 0, 0),
        (Timeliness.EARLY, 1, 0),
    ],
)
def test_index_7_attitude(klass, complaints, points):
    assert tt01.index7_points(klass, complaints) == points


@pytest.mark.parametrize(
    ("on_time", "total", "prolonged", "points"),
    [
        (10, 10, False, 2),
        (9, 10, False, 1),
        (89, 100, False, 0),
        (10, 10, True, 0),
        (0, 0, False, None),
    ],
)
def test_index_8_feedback_on_time(on_time, total, prolonged, points):
    assert tt01.index8_points(on_time, total, prolonged=prolonged) == points


@pytest.mark.parametrize(
    ("procedures", "dossiers", "late", "points"),
    [
        (0.2, 0.3, 0, 2),
        (0.2, 0.3, 1, 1),
        (0.19, 0.5, 0, 1),
        (0.5, 0.15, 0, 1),
        (0.5, 0.149, 0, 0),
    ],
)
def test_index_9_online_services(procedures, dossiers, late, points):
    assert tt01.index9_points(procedures, dossiers, late) == points


@pytest.mark.parametrize(
    ("points", "score"),
    [
        ([2, 1, 0], 1.0),
        ([2, 2, 1], 1.7),
        ([2, 1, 1, 1], 1.3),
        ([1, 2], 1.5),
        ([2, 2, 2, 2, 2, 2, 2, 1], 1.9),
        ([], None),
    ],
)
def test_index_score_is_the_mean_to_one_decimal(points, score):
    assert tt01.index_score(points) == score
    counts = {p: points.count(p) for p in set(points)}
    assert tt01.counted_score(counts) == score  # the same from {points: dossiers}


def test_a_result_from_counts_per_points_value_equals_the_per_dossier_one():
    points = [2, 2, 1, 0, 2, 1, 2]
    counted = tt01.counted_result(3, {2: 4, 1: 2, 0: 1, 5: 0}, ("x",))
    assert counted == tt01.per_dossier_result(3, points, ("x",))
    assert (counted.score, counted.dossiers, counted.distribution) == (1.4, 7, (1, 2, 4))
    assert tt01.counted_result(2, {}).score is None


def test_one_decimal_rounds_half_up():
    assert tt01.one_decimal(1.25) == 1.3
    assert tt01.one_decimal(0.05) == 0.1


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (18, Band.EXCELLENT),
        (15, Band.EXCELLENT),
        (14.9, Band.GOOD),
        (12, Band.GOOD),
        (11.9, Band.FAIR),
        (9, Band.FAIR),
        (8.9, Band.AVERAGE),
        (6, Band.AVERAGE),
        (5.9, Band.WEAK),
        (0, Band.WEAK),
    ],
)
def test_bands_at_their_boundaries(total, expected):
    assert tt01.band(total) is expected


def test_the_total_sums_the_available_indices_and_says_how_many():
    evaluation = tt01.evaluate(
        [
            tt01.per_dossier_result(1, [2, 2, 1]),  # 1.7
            tt01.per_dossier_result(3, [2, 2, 2]),  # 2.0
            IndexResult(8, 1.0),
            IndexResult(5, None),
        ]
    )
    assert evaluation.total == 4.7
    assert evaluation.covered == 3
    assert evaluation.max_covered == 6
    assert not evaluation.complete
    assert evaluation.get(2).score is None
    assert evaluation.get(1).distribution == (0, 1, 2)
    assert evaluation.band is Band.WEAK


def test_a_full_evaluation_reaches_18_at_most():
    evaluation = tt01.evaluate(IndexResult(n, 2.0) for n in tt01.INDICES)
    assert evaluation.total == 18
    assert evaluation.complete
    assert evaluation.band is Band.EXCELLENT


def test_the_scoring_module_does_not_import_django():
    tree = ast.parse(Path(tt01.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m.startswith(("django", "motcua.dossiers", "motcua.core")) for m in modules)
