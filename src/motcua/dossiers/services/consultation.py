"""Inter-agency consultation (T21, NĐ 61/2018 Art 19.5–19.7): ask, answer, and report late answers.

- ``consult_agencies``: the lead agency (or the one-stop office before the transfer) asks one or
  more agencies for their opinion or part, with a deadline. One history row (``consult``) and one
  ``ConsultationTask`` per agency, in the same transaction.
- ``answer_consultation``: an officer of a consulted agency answers their agency's task, once,
  optionally with files (stored through ``documents``). The answer is a history row of its own
  (``answer_consultation``, same state, no clock effect) and goes through ``transition`` like every
  change: it locks the dossier, bumps its version and writes the outbox message, so an answer and
  a dossier action at the same moment are serialised and a stale page is refused.
- ``notify_late_consultations``: for each task whose deadline passed unanswered while the dossier
  is still being handled, one ``dossier.consultation_late`` outbox message to the head of the
  one-stop office (lifecycle.md §5.4: "automatic notice to the centre head"), once per task.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files import File
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.calendars.presenters import spoken
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.documents.models import Attachment, AttachmentKind
from motcua.documents.services import discard_objects, store_attachments
from motcua.dossiers.models import ConsultationTask, Dossier
from motcua.dossiers.services._core import Context, NotFound, Step, transition
from motcua.dossiers.workflow import ANSWERABLE, Action, Transition
from motcua.notifications.services import enqueue
from motcua.organizations.models import Agency, AgencyKind, Role, StaffAssignment
from motcua.organizations.selectors import valid_on

LATE_TOPIC = "dossier.consultation_late"

#: Agencies that can be asked for an opinion or a part: those that decide (not one-stop offices).
CONSULTABLE_KINDS = frozenset(
    {
        AgencyKind.PEOPLES_COMMITTEE,
        AgencyKind.DEPARTMENT,
        AgencyKind.DIVISION,
        AgencyKind.VERTICAL_AGENCY,
    }
)


def _in_force(agency: Agency, on: dt.date) -> bool:
    return agency.valid_from <= on and (agency.valid_to is None or agency.valid_to >= on)


def consult_agencies(
    dossier_id: int,
    user: User,
    *,
    agencies: list[Agency],
    task: str,
    deadline: dt.datetime,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Send the dossier to other agencies for their part or opinion (T21, Art 19.5–19.7): one
    task per agency, each with the question and the deadline (not after the appointment)."""
    unique = list({a.pk: a for a in agencies}.values())
    if not unique:
        raise DomainError("agencies_required", _("Choose the agencies to consult."))
    text = nfc(task).strip()
    if not text:
        raise DomainError("task_required", _("Say what the agencies are asked for."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        if deadline <= ctx.at:
            raise DomainError("deadline_past", _("The consultation deadline must be later."))
        if dossier.due_current and deadline > dossier.due_current:
            raise DomainError(
                "deadline_after_due",
                _("The consultation deadline must not be after the dossier's appointment."),
            )
        on = ctx.at.astimezone(VN_TZ).date()
        for agency in unique:
            if agency.kind not in CONSULTABLE_KINDS or not _in_force(agency, on):
                raise DomainError(
                    "agency_not_consultable",
                    _("%(agency)s cannot be consulted: choose an agency that decides procedures."),
                    {"agency": agency.name},
                )
            if agency.pk == dossier.competent_agency_id:
                raise DomainError(
                    "agency_is_lead",
                    _("%(agency)s is the dossier's competent agency itself."),
                    {"agency": agency.name},
                )
        waiting = set(
            ConsultationTask.objects.filter(
                dossier_id=dossier.pk,
                agency_id__in=[a.pk for a in unique],
                answered_at__isnull=True,
            ).values_list("agency__name", flat=True)
        )
        if waiting:
            raise DomainError(
                "consultation_open",
                _("Still waiting for the answer of %(agencies)s to an earlier consultation."),
                {"agencies": "; ".join(sorted(waiting))},
            )
        seq = dossier.version + 1  # the history row ``record`` is about to write
        ConsultationTask.objects.bulk_create(
            ConsultationTask(
                dossier=dossier,
                agency=agency,
                request_seq=seq,
                task=text,
                deadline=deadline,
                requested_at=ctx.at,
                requested_by=ctx.user,
                requesting_agency=ctx.agency,
            )
            for agency in unique
        )
        dossier.consulted = True
        return Step(
            reason=text,
            data={"agencies": [a.pk for a in unique], "deadline": deadline.isoformat()},
        )

    return transition(
        dossier_id, Action.CONSULT, user, apply, expected_version=expected_version, at=at
    )


def answer_consultation(
    task_id: int,
    user: User,
    *,
    answer: str,
    files: Sequence[File] = (),  # type: ignore[type-arg]
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> ConsultationTask:
    """An officer of the consulted agency answers its task, once, with optional files (T21).

    Only the staff (handler, leader, clerk) of the consulted agency may answer, while the dossier
    is still being handled (in process, or waiting for the applicant); a second answer is refused.
    """
    text = nfc(answer).strip()
    if not text:
        raise DomainError("answer_required", _("Write your agency's answer."))
    dossier_id = (
        ConsultationTask.objects.filter(pk=task_id).values_list("dossier_id", flat=True).first()
    )
    if dossier_id is None:
        raise NotFound

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        # Lock the task row only (not its agency; PostgreSQL refuses FOR UPDATE on outer joins).
        task = (
            ConsultationTask.objects.select_for_update(of=("self",))
            .select_related("agency")
            .get(pk=task_id)
        )
        assert ctx.scope is not None  # a person answers (the table names no system actor)
        if task.agency_id not in ctx.scope.processing_agencies:
            raise DomainError(
                "not_your_consultation",
                _("This consultation is addressed to %(agency)s, not to your agency."),
                {"agency": task.agency.name},
            )
        if task.answered_at is not None:
            raise _already_answered(task)
        # All or none: a refused file undoes the ones stored before it (objects included).
        written.extend(
            store_attachments(
                dossier.pk,
                files,
                kind=AttachmentKind.SCAN,
                name=f"Ý kiến của {task.agency.name}"[:300],
                user=ctx.user,
            )
        )
        stored = [attachment.pk for attachment in written]
        task.answered_at = ctx.at
        task.answered_by = ctx.user
        task.answer = text
        task.answer_seq = dossier.version + 1
        task.attachment_ids = stored
        task.save(
            update_fields=[
                "answered_at",
                "answered_by",
                "answer",
                "answer_seq",
                "attachment_ids",
            ]
        )
        # The answer itself stays in the task (agencies' opinions are not shown to applicants).
        return Step(
            data={
                "consultation": task.pk,
                "agencies": [task.agency_id],
                "request_seq": task.request_seq,
                "deadline": task.deadline.isoformat(),
                "late": ctx.at > task.deadline,
                "attachments": stored,
            },
            agency=task.agency,
        )

    _refuse_if_answered(task_id)
    written: list[Attachment] = []  # stored by ``apply``; their objects go if the answer fails
    try:
        transition(
            dossier_id,
            Action.ANSWER_CONSULTATION,
            user,
            apply,
            expected_version=expected_version,
            at=at,
        )
    except DomainError as error:
        discard_objects(written)
        if error.code == "not_permitted":
            # Answered meanwhile (the agency's capacity ends with its open task): say so.
            _refuse_if_answered(task_id)
        raise
    except BaseException:
        discard_objects(written)  # the rows were rolled back with the answer
        raise
    return ConsultationTask.objects.select_related("agency", "answered_by").get(pk=task_id)


def _already_answered(task: ConsultationTask) -> DomainError:
    assert task.answered_at is not None
    return DomainError(
        "already_answered",
        _("%(agency)s already answered this consultation on %(date)s; an answer is given once."),
        {"agency": task.agency.name, "date": spoken(task.answered_at)},
    )


def _refuse_if_answered(task_id: int) -> None:
    """Refuse a second answer clearly (an answer is final, so reading it unlocked is safe)."""
    task = ConsultationTask.objects.select_related("agency").get(pk=task_id)
    if task.answered_at is not None:
        raise _already_answered(task)


# --- Late answers -------------------------------------------------------------------------------


def _recipients(office_id: int, lead_id: int | None, on: dt.date) -> list[dict[str, str]]:
    """The head(s) of the receiving one-stop office; without one, the lead agency's leaders."""
    for agency_id, roles in (
        (office_id, [Role.CENTRE_HEAD]),
        (lead_id, [Role.AGENCY_LEADER, Role.DIVISION_LEADER]),
    ):
        if agency_id is None:
            continue
        people = (
            StaffAssignment.objects.filter(valid_on(on), agency_id=agency_id, role__in=roles)
            .filter(user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        )
        found = {a.user_id: a.user for a in people}
        if found:
            return [
                {"user_id": str(u.pk), "name": u.display_name, "email": u.email}
                for u in found.values()
            ]
    return []


def _late_payload(task: ConsultationTask, on: dt.date) -> dict[str, Any]:
    dossier = task.dossier
    return {
        "consultation": task.pk,
        "dossier_id": dossier.pk,
        "code": dossier.code,
        "procedure_name": dossier.procedure_version.name,
        "agency": task.agency.name,
        "lead_agency": dossier.competent_agency.name,
        "receiving_office": dossier.receiving_office.name,
        "task": task.task,
        "requested_at": task.requested_at.isoformat(),
        "deadline": task.deadline.isoformat(),
        "recipients": _recipients(dossier.receiving_office_id, dossier.competent_agency_id, on),
    }


def notify_late_consultations(now: dt.datetime | None = None, limit: int = 500) -> int:
    """Write one ``dossier.consultation_late`` outbox message per task whose deadline passed
    unanswered while its dossier is still being handled; returns how many were written.

    Idempotent: a task is marked (``late_notified_at``) in the same transaction as its message,
    whose key (``consultation:<id>:late``) is unique; concurrent runs skip the rows another one
    holds (PostgreSQL ``SKIP LOCKED``; SQLite has one writer at a time).
    """
    now = now or clock.now()
    on = now.astimezone(VN_TZ).date()
    with transaction.atomic():
        due = (
            ConsultationTask.objects.filter(
                answered_at__isnull=True,
                late_notified_at__isnull=True,
                deadline__lt=now,
                dossier__status__in=list(ANSWERABLE),
            )
            .select_related(
                "agency",
                "dossier__procedure_version",
                "dossier__receiving_office",
                "dossier__competent_agency",
            )
            .order_by("deadline", "id")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        tasks = list(due[:limit])
        for task in tasks:
            enqueue(LATE_TOPIC, f"consultation:{task.pk}:late", _late_payload(task, on))
            task.late_notified_at = now
        ConsultationTask.objects.bulk_update(tasks, ["late_notified_at"])
    return len(tasks)


__all__ = [
    "CONSULTABLE_KINDS",
    "LATE_TOPIC",
    "answer_consultation",
    "consult_agencies",
    "notify_late_consultations",
]
