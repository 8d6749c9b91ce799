"""Step budgets of an internal process against the legal time limit (pure rules).

Catalogue rule (calendar-and-deadlines.md §8, MotCua default): at publication the step budgets
along the critical path must sum to the legal limit — an **error** if they exceed it, a
**warning** if they fall short (slack nobody owns). Steps sharing a ``parallel_group`` run at the
same time, so a group costs its longest step.

Budgets and limits compare in working minutes when both are working time (1 working day = 480
working minutes, domain notes §1; "same day" counts as one working day). Calendar days and months
only compare with the same unit; anything else is reported as not comparable (a warning).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import DEFAULT_WORKING_DAY_MINUTES, Unit

_WORKING_MINUTES = {
    Unit.WORKING_HOURS: Decimal(60),
    Unit.WORKING_DAYS: Decimal(DEFAULT_WORKING_DAY_MINUTES),
    Unit.SAME_DAY: Decimal(DEFAULT_WORKING_DAY_MINUTES),
}


class Severity(StrEnum):
    """How bad a process issue is: errors block publication, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class StepBudget:
    """One step's place in the process and its time budget."""

    order: int
    amount: Decimal
    unit: str
    parallel_group: int | None = None


@dataclass(frozen=True)
class Issue:
    """A finding about a process, with a stable code and a translated message."""

    severity: Severity
    code: str
    message: str | Promise
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


def _stages(steps: Sequence[StepBudget]) -> list[list[StepBudget]]:
    """Steps in order, grouped into stages; a stage's steps run in parallel."""
    stages: list[list[StepBudget]] = []
    index: dict[int, list[StepBudget]] = {}
    for step in sorted(steps, key=lambda s: s.order):
        if step.parallel_group is None:
            stages.append([step])
        elif step.parallel_group in index:
            index[step.parallel_group].append(step)
        else:
            index[step.parallel_group] = [step]
            stages.append(index[step.parallel_group])
    return stages


def _in(amount: Decimal, unit: str, common: str | None) -> Decimal | None:
    """``amount`` of ``unit`` expressed in the comparison unit (None: not comparable)."""
    if common == "minutes":
        factor = _WORKING_MINUTES.get(Unit(unit))
        return None if factor is None else amount * factor
    return amount if unit == common else None


def critical_path(steps: Sequence[StepBudget], limit_unit: str) -> tuple[Decimal, str] | None:
    """Σ over stages of the longest budget, in the limit's terms: (total, "minutes" | unit)."""
    common = "minutes" if Unit(limit_unit) in _WORKING_MINUTES else limit_unit
    total = Decimal(0)
    for stage in _stages(steps):
        costs = [_in(step.amount, step.unit, common) for step in stage]
        if any(cost is None for cost in costs):
            return None
        total += max(cost for cost in costs if cost is not None)
    return total, common


def check_step_budgets(
    steps: Sequence[StepBudget], limit_amount: Decimal | None, limit_unit: str | None
) -> list[Issue]:
    """Issues of a process against its legal limit (empty: the budgets add up exactly)."""
    if not steps:
        return []
    if limit_unit is None or (limit_amount is None and limit_unit != Unit.SAME_DAY):
        return [
            Issue(
                Severity.WARNING,
                "catalog.process_no_limit",
                _("The procedure has no time limit with a unit; step budgets cannot be checked."),
            )
        ]
    path = critical_path(steps, limit_unit)
    if path is None:
        return [
            Issue(
                Severity.WARNING,
                "catalog.process_units_not_comparable",
                _("Step budget units cannot be compared with the time limit's unit."),
            )
        ]
    total, common = path
    limit = _in(limit_amount or Decimal(1), limit_unit, common)
    assert limit is not None  # the limit's own unit is always comparable with itself
    params: dict[str, object] = {"total": _show(total, common), "limit": _show(limit, common)}
    if total > limit:
        return [
            Issue(
                Severity.ERROR,
                "catalog.process_exceeds_limit",
                _("Step budgets add up to %(total)s, more than the legal limit of %(limit)s."),
                params,
            )
        ]
    if total < limit:
        return [
            Issue(
                Severity.WARNING,
                "catalog.process_below_limit",
                _("Step budgets add up to %(total)s, less than the legal limit of %(limit)s."),
                params,
            )
        ]
    return []


def _show(amount: Decimal, common: str) -> str:
    if common == "minutes":
        hours = amount / 60
        return f"{hours.normalize():f} h"
    return f"{amount.normalize():f} {common}"
