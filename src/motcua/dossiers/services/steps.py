"""Per-step deadlines of the internal process (quy trình nội bộ), kept in step with the lifecycle.

- At reception the pinned procedure version's steps are copied onto the dossier and the first group
  starts at the reception instant.
- Each forward move (transfer, hand-over to the next step, issuing the result, returning it)
  finishes the active group — recording early/on time/late against the step's due — and starts the
  next group.
- A restarted time limit (supplement received, Art 19.4) restarts the active steps' budgets too.
Step due = start + budget in working time, capped at the dossier's legal due (domain notes §8);
a step overrun is recorded, the dossier's appointment does not move.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.calendars.engine import CalendarError, CompiledCalendar, step_due, working_lateness
from motcua.calendars.selectors import compiled_calendar
from motcua.catalog.selectors import process_template
from motcua.dossiers.models import Dossier, DossierStep
from motcua.organizations.selectors import calendar_of


def _calendar(dossier: Dossier) -> CompiledCalendar:
    return compiled_calendar(calendar_of(dossier.receiving_office))


def _start(dossier: Dossier, steps: list[DossierStep], at: dt.datetime) -> None:
    cal = _calendar(dossier)
    for step in steps:
        step.started_at = at
        step.due_at = None
        if dossier.due_legal is not None:
            try:
                step.due_at = step_due(
                    cal,
                    started_at=at,
                    amount=Decimal(step.budget_amount),
                    unit=step.budget_unit,
                    dossier_due=dossier.due_legal,
                ).due_at
            except CalendarError:
                step.due_at = dossier.due_legal
        step.save(update_fields=["started_at", "due_at"])


def create_steps(dossier: Dossier, at: dt.datetime) -> list[DossierStep]:
    """Copy the process of the dossier's procedure version and start its first group."""
    template = process_template(dossier.procedure_version_id)
    steps = DossierStep.objects.bulk_create(
        DossierStep(
            dossier=dossier,
            order=item.order,
            group=item.parallel_group if item.parallel_group is not None else 1000 + item.order,
            name=item.name,
            role=item.role,
            agency_text=item.agency,
            budget_amount=item.budget_amount,
            budget_unit=item.budget_unit,
        )
        for item in template
    )
    if steps:
        first = steps[0].group
        _start(dossier, [s for s in steps if s.group == first], at)
    return steps


def advance(dossier: Dossier, at: dt.datetime) -> list[DossierStep]:
    """Finish the active steps at ``at`` and start the next group; returns the finished steps."""
    steps = list(dossier.steps.order_by("order"))
    active = [s for s in steps if s.started_at is not None and s.finished_at is None]
    if not active:
        return []
    cal = _calendar(dossier)
    for step in active:
        step.finished_at = at
        step.late_minutes = (
            working_lateness(cal, due=step.due_at, finished_at=at) if step.due_at else None
        )
        step.save(update_fields=["finished_at", "late_minutes"])
    waiting = [s for s in steps if s.started_at is None]
    if waiting:
        nxt = waiting[0].group
        _start(dossier, [s for s in waiting if s.group == nxt], at)
    return active


def restart_active(dossier: Dossier, at: dt.datetime) -> None:
    """After a restarted time limit, the active steps' budgets run again from ``at``."""
    active = list(dossier.steps.filter(started_at__isnull=False, finished_at__isnull=True))
    if active:
        _start(dossier, active, at)


def step_report(step: DossierStep) -> str:
    """early / on_time / late / active / pending, for the timeline and the control slip."""
    if step.started_at is None:
        return "pending"
    if step.finished_at is None:
        return "active"
    if step.late_minutes:
        return "late"
    if step.due_at and step.finished_at.date() < step.due_at.date():
        return "early"
    return "on_time"
