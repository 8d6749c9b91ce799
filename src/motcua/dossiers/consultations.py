"""Reads of inter-agency consultations (T21): a dossier's tasks with their state, the tasks a user
may answer, and the list "consultations for my agency" (open first, oldest deadline first).

A task is *waiting* until its deadline, then *late*; *answered* once answered (flagged when after
the deadline); *closed* when the dossier no longer takes answers (result issued, or ended) without
one. Writes are in ``services.consultation``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.core import clock
from motcua.core.models import User
from motcua.documents.models import Attachment
from motcua.dossiers.models import ConsultationTask, Dossier
from motcua.dossiers.policy import scope_of
from motcua.dossiers.selectors import _HEAVY_VERSION_FIELDS, dossier_for
from motcua.dossiers.workflow import ANSWERABLE, Status


class TaskState:
    """Where a consultation task stands (values are stable: API and CSS classes)."""

    WAITING = "waiting"
    LATE = "late"
    ANSWERED = "answered"
    CLOSED = "closed"
    LABELS = {
        WAITING: _("Waiting for the answer"),
        LATE: _("Late: no answer by the deadline"),
        ANSWERED: _("Answered"),
        CLOSED: _("Closed without an answer"),
    }


def task_state(task: ConsultationTask, dossier_status: str, now: dt.datetime) -> str:
    """The state of ``task`` now (see the module docstring)."""
    if task.answered_at is not None:
        return TaskState.ANSWERED
    if Status(dossier_status) not in ANSWERABLE:
        return TaskState.CLOSED
    return TaskState.LATE if now > task.deadline else TaskState.WAITING


@dataclass(frozen=True)
class ConsultationRow:
    """One task as the screens and the API show it."""

    task: ConsultationTask
    state: str
    answered_late: bool
    files: list[Attachment]
    mine: bool  # addressed to one of the viewer's agencies
    may_answer: bool  # open, the dossier takes answers, and the viewer's agency's

    @property
    def state_label(self) -> str:
        return str(TaskState.LABELS[self.state])


def _today(now: dt.datetime) -> dt.date:
    return now.astimezone(VN_TZ).date()


def dossier_consultations(
    user: User, dossier: Dossier, now: dt.datetime | None = None
) -> list[ConsultationRow]:
    """The consultation tasks of a dossier the user may see, in the order they were asked."""
    if not dossier.consulted:
        return []
    now = now or clock.now()
    agencies = scope_of(user, _today(now)).processing_agencies
    tasks = list(
        ConsultationTask.objects.filter(dossier_id=dossier.pk)
        .select_related("agency", "requested_by", "requesting_agency", "answered_by")
        .order_by("request_seq", "agency__name", "id")
    )
    wanted = {pk for t in tasks for pk in t.attachment_ids if isinstance(pk, int)}
    files = Attachment.objects.filter(dossier_id=dossier.pk, pk__in=wanted).in_bulk()
    rows = []
    for task in tasks:
        state = task_state(task, dossier.status, now)
        mine = task.agency_id in agencies
        rows.append(
            ConsultationRow(
                task=task,
                state=state,
                answered_late=task.answered_at is not None and task.answered_at > task.deadline,
                files=[files[pk] for pk in task.attachment_ids if pk in files],
                mine=mine,
                may_answer=mine and state in {TaskState.WAITING, TaskState.LATE},
            )
        )
    return rows


def consultations_of(user: User, dossier_id: int) -> tuple[Dossier, list[ConsultationRow]]:
    """A dossier the user may see (``NotFound`` otherwise) and its consultation tasks."""
    dossier = dossier_for(user, dossier_id)
    return dossier, dossier_consultations(user, dossier)


#: A task still waiting for its answer (the dossier takes answers).
_OPEN = Q(answered_at__isnull=True, dossier__status__in=list(ANSWERABLE))


def consultations_for_my_agency(
    user: User, now: dt.datetime | None = None
) -> QuerySet[ConsultationTask]:
    """Tasks addressed to the user's agencies: the open ones first (oldest deadline first), then
    the others (most recently answered first)."""
    now = now or clock.now()
    agencies = scope_of(user, _today(now)).processing_agencies
    return (
        ConsultationTask.objects.filter(agency_id__in=agencies)
        .select_related(
            "agency",
            "requesting_agency",
            "answered_by",
            "dossier",
            "dossier__procedure_version",
            "dossier__competent_agency",
        )
        .defer(*(f"dossier__procedure_version__{name}" for name in _HEAVY_VERSION_FIELDS))
        .alias(
            _closed=Case(When(_OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()),
            _open_deadline=Case(When(_OPEN, then=F("deadline")), default=None),
        )
        .order_by(
            "_closed",
            F("_open_deadline").asc(nulls_last=True),
            F("answered_at").desc(nulls_last=True),
            "-deadline",
            "-id",
        )
    )


def open_consultation_count(user: User, now: dt.datetime | None = None) -> int | None:
    """How many tasks of the user's agencies wait for an answer (None: the user has no agency
    that can be consulted, so the list is not theirs)."""
    now = now or clock.now()
    agencies = scope_of(user, _today(now)).processing_agencies
    if not agencies:
        return None
    return ConsultationTask.objects.filter(_OPEN, agency_id__in=agencies).count()


def late_state(task: ConsultationTask, now: dt.datetime) -> str:
    """``task_state`` for a task loaded with its dossier (the list above)."""
    return task_state(task, task.dossier.status, now)
