"""Step budgets against the legal limit (calendar-and-deadlines.md §8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.process import Severity, StepBudget, check_step_budgets, critical_path
from motcua.catalog.services import (
    StepData,
    create_new_version,
    publish_version,
    set_process_steps,
    validate_process,
)
from motcua.catalog.tests.records import BUSINESS
from motcua.core.errors import DomainError
from motcua.organizations.models import Role

D = Decimal


def _steps(*budgets: tuple[str, str, int | None]) -> list[StepBudget]:
    return [
        StepBudget(order=i, amount=D(a), unit=u, parallel_group=g)
        for i, (a, u, g) in enumerate(budgets)
    ]


@pytest.mark.parametrize(
    ("budgets", "limit", "expected"),
    [
        ([("0.5", "working_days", None), ("2.5", "working_days", None)], ("3", "working_days"), []),
        ([("4", "working_hours", None), ("2.5", "working_days", None)], ("3", "working_days"), []),
        (
            [("1", "working_days", None), ("3", "working_days", None)],
            ("3", "working_days"),
            ["catalog.process_exceeds_limit"],
        ),
        ([("1", "working_days", None)], ("3", "working_days"), ["catalog.process_below_limit"]),
        # parallel steps cost their longest: 1 + max(2, 1.5) = 3
        (
            [("1", "working_days", None), ("2", "working_days", 7), ("1.5", "working_days", 7)],
            ("3", "working_days"),
            [],
        ),
        ([("10", "calendar_days", None)], ("10", "calendar_days"), []),
        (
            [("1", "working_days", None)],
            ("10", "calendar_days"),
            ["catalog.process_units_not_comparable"],
        ),
        ([("1", "working_days", None)], (None, None), ["catalog.process_no_limit"]),
        ([("4", "working_hours", None), ("4", "working_hours", None)], (None, "same_day"), []),
    ],
)
def test_budgets_are_checked_against_the_limit(budgets, limit, expected):
    amount = None if limit[0] is None else D(limit[0])
    issues = check_step_budgets(_steps(*budgets), amount, limit[1])
    assert [issue.code for issue in issues] == expected


def test_exceeding_is_an_error_and_falling_short_a_warning():
    over = check_step_budgets(_steps(("4", "working_days", None)), D(3), "working_days")
    under = check_step_budgets(_steps(("2", "working_days", None)), D(3), "working_days")
    assert over[0].severity == Severity.ERROR
    with translation.override("en"):
        assert str(over[0]) == "Step budgets add up to 32 h, more than the legal limit of 24 h."
    with translation.override("vi"):
        assert str(over[0]) == "Tổng thời gian các bước là 32 h, vượt thời hạn luật định 24 h."
    assert under[0].severity == Severity.WARNING


def test_no_process_means_nothing_to_check():
    assert check_step_budgets([], D(3), "working_days") == []
    assert critical_path([], "working_days") == (D(0), "minutes")


@pytest.mark.django_db
def test_publication_is_refused_when_budgets_exceed_the_limit(catalogue):
    published = ProcedureVersion.objects.get(procedure__code=BUSINESS["code"])  # 3 working days
    draft = create_new_version(published.procedure)
    set_process_steps(
        draft,
        [
            StepData("Tiếp nhận, chuyển hồ sơ", Role.RECEPTION_OFFICER, D("0.5"), "working_days"),
            StepData("Thẩm định", Role.HANDLER, D(3), "working_days"),
        ],
    )
    assert [i.code for i in validate_process(draft)] == ["catalog.process_exceeds_limit"]
    with pytest.raises(DomainError) as refused:
        publish_version(draft, dt.date(2026, 1, 1))
    assert refused.value.code == "catalog.process_exceeds_limit"
    set_process_steps(
        draft,
        [
            StepData("Tiếp nhận, chuyển hồ sơ", Role.RECEPTION_OFFICER, D("0.5"), "working_days"),
            StepData("Thẩm định", Role.HANDLER, D(2), "working_days"),
        ],
    )
    assert [i.code for i in validate_process(draft)] == ["catalog.process_below_limit"]
    with pytest.raises(DomainError):
        publish_version(draft, dt.date(2026, 1, 1), allow_warnings=False)
    assert publish_version(draft, dt.date(2026, 1, 1)).status == "published"
