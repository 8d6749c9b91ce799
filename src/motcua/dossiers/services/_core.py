"""The one way a dossier changes: lock, check the table and the actor, apply, log, outbox.

``transition`` runs an action in one database transaction:

1. lock the dossier row (``SELECT … FOR UPDATE``; SQLite takes the write lock at BEGIN);
2. refuse a stale request (``expected_version``) — two officers acting at once: one wins, the other
   gets a clear conflict;
3. check ``workflow.TRANSITIONS`` for (status, action) and the actor's capacities for this dossier;
4. apply the action's own changes (clock, fields) — they may refuse with a ``DomainError``;
5. append the ``DossierTransition`` row (seq = new version), update the cached status;
6. write the outbox message (applicant notice, national sync), delivered after commit by the
   worker's periodic sweep.

Any error rolls everything back: nothing is half-done.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ, DueDate
from motcua.calendars.selectors import compute_due_date
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers.models import CodeCounter, Dossier, DossierTransition
from motcua.dossiers.policy import Scope, actors_for, forget_consultations, may_see, scope_of
from motcua.dossiers.workflow import (
    NATIONAL_CODES,
    Action,
    Actor,
    ClockEffect,
    Status,
    Transition,
    transition_for,
)
from motcua.notifications.services import enqueue
from motcua.organizations.models import Agency
from motcua.organizations.selectors import calendar_of

TOPIC = "dossier.changed"


class NotFound(DomainError):  # noqa: N818 - reads as the answer interfaces give (404)
    """The dossier does not exist or is outside the actor's scope (interfaces answer 404)."""

    def __init__(self) -> None:
        super().__init__("not_found", _("There is no such dossier."))


@dataclass
class Step:
    """What an action's own code decided: reason, details, clock effect on the appointment; and
    the agency that acted when the capacity does not name it (a consulted agency's answer)."""

    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    agency: Agency | None = None


type Apply = Callable[[Dossier, Transition, "Context"], Step]


@dataclass(frozen=True)
class Context:
    """Who acts, in which capacity, when."""

    user: User | None
    actor: Actor
    scope: Scope | None
    at: dt.datetime
    agency: Agency | None


def _acting_agency(dossier: Dossier, actor: Actor) -> Agency | None:
    if actor in {Actor.ONE_STOP, Actor.CENTRE_HEAD}:
        return dossier.receiving_office
    if actor in {Actor.HANDLER, Actor.LEADER, Actor.CLERK}:
        return dossier.competent_agency
    return None


def context_for(
    user: User | None, dossier: Dossier, transition: Transition, at: dt.datetime
) -> Context:
    """Check that ``user`` may perform ``transition`` on ``dossier``; the capacity used."""
    if user is None:  # the system itself (scheduler, integrations)
        if Actor.SYSTEM not in transition.actors:
            raise DomainError("not_permitted", _("This action needs a person."))
        return Context(None, Actor.SYSTEM, None, at, None)
    scope = scope_of(user, at.astimezone(VN_TZ).date())
    if dossier.pk is not None and not may_see(scope, dossier):
        raise NotFound
    capacities = actors_for(scope, dossier) & transition.actors
    if not capacities:
        raise DomainError(
            "not_permitted",
            _("Your role at this dossier's agencies does not allow “%(action)s”."),
            {"action": str(transition.action.label)},
        )
    # Prefer the most specific capacity deterministically (for the history's "as").
    order = [
        Actor.APPLICANT,
        Actor.LEADER,
        Actor.CLERK,
        Actor.HANDLER,
        Actor.ONE_STOP,
        Actor.CENTRE_HEAD,
        Actor.CONSULTED,
    ]
    actor = next(a for a in order if a in capacities)
    return Context(user, actor, scope, at, _acting_agency(dossier, actor))


def _notice(dossier: Dossier, record: DossierTransition) -> dict[str, Any]:
    return {
        "dossier_id": dossier.pk,
        "code": dossier.code,
        "seq": record.seq,
        "action": record.action,
        "from": record.from_status,
        "to": record.to_status,
        "national_status": NATIONAL_CODES.get(Status(record.to_status)),
        "at": record.at.isoformat(),
        "due": dossier.due_current.isoformat() if dossier.due_current else None,
        "applicant_email": dossier.applicant_email,
        # For the applicant's e-mail (notifications.email): who, which procedure, what is missing.
        "applicant_name": dossier.applicant_name,
        "submission_ref": dossier.submission_ref,
        "procedure_code": dossier.procedure_version.procedure.code,
        "procedure_name": dossier.procedure_version.name,
        "receiving_office": dossier.receiving_office.name,
        "competent_agency": dossier.competent_agency.name,
        "reason": record.reason,
        "missing": list(record.data.get("missing", [])),
    }


def record(
    dossier: Dossier,
    transition: Transition,
    ctx: Context,
    step: Step,
    *,
    from_status: Status,
    due_before: dt.datetime | None,
) -> DossierTransition:
    """Append the history row, bump the version, write the outbox message."""
    dossier.status = transition.target
    dossier.version += 1
    new = dossier._state.adding
    dossier.save()
    forget_consultations(dossier)
    entry = DossierTransition.objects.create(
        dossier=dossier,
        seq=dossier.version,
        action=transition.action,
        from_status=from_status,
        to_status=transition.target,
        at=ctx.at,
        actor=ctx.user,
        actor_role=ctx.actor,
        actor_agency=step.agency or ctx.agency,
        reason=step.reason,
        clock_effect=transition.clock,
        due_before=due_before,
        due_after=dossier.due_current,
        data=step.data,
    )
    # Delivered by the worker's periodic sweep (``motcua scheduler``), not per commit: receptions
    # at national volume should not each write a task row too.
    enqueue(TOPIC, f"dossier:{dossier.pk}:{entry.seq}", _notice(dossier, entry))
    # A dossier created here has its whole history in memory: answering with it needs no read.
    if new:
        dossier.__dict__[HISTORY_IN_MEMORY] = [entry]
    elif HISTORY_IN_MEMORY in dossier.__dict__:
        dossier.__dict__[HISTORY_IN_MEMORY].append(entry)
    return entry


#: Attribute of a dossier instance created in this process: its history rows, in order.
HISTORY_IN_MEMORY = "_history_in_memory"


def transition(
    dossier_id: int,
    action: Action,
    user: User | None,
    apply: Apply,
    *,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Run ``action`` on the dossier atomically (see the module docstring)."""
    at = at or clock.now()
    with transaction.atomic():
        try:
            dossier = (
                Dossier.objects.select_for_update(of=("self",))
                .select_related(
                    "receiving_office", "competent_agency", "procedure_version__procedure"
                )
                .get(pk=dossier_id)
            )
        except Dossier.DoesNotExist:
            raise NotFound from None
        rule = transition_for(dossier.status, action)
        if rule is None:
            # Check visibility first: an outsider learns nothing about the dossier's state.
            if user is not None:
                scope = scope_of(user, at.astimezone(VN_TZ).date())
                if not may_see(scope, dossier):
                    raise NotFound
            raise DomainError(
                "not_allowed",
                _("A dossier that is “%(status)s” cannot be “%(action)s”."),
                {"status": str(Status(dossier.status).label), "action": str(action.label)},
            )
        ctx = context_for(user, dossier, rule, at)
        if expected_version is not None and dossier.version != expected_version:
            raise DomainError(
                "stale",
                _("Someone else changed this dossier meanwhile; reload it and try again."),
            )
        from_status, due_before = Status(dossier.status), dossier.due_current
        step = apply(dossier, rule, ctx)
        record(dossier, rule, ctx, step, from_status=from_status, due_before=due_before)
    return dossier


# --- Codes ------------------------------------------------------------------------------------


def next_code(unit_code: str, at: dt.datetime) -> str:
    """The next gap-free dossier code of a receiving unit on the local date of ``at``.

    Call inside the transaction that creates the dossier: the counter row stays locked until
    commit, so concurrent receptions queue and a rolled-back reception leaves no gap
    (forms-and-codes.md §5.2).
    """
    day = at.astimezone(VN_TZ).date()
    table = CodeCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (unit_code, day, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (unit_code, day) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [unit_code, day],
        )
        (number,) = cursor.fetchone()
    if number > 9999:
        raise DomainError(
            "code_overflow",
            _("The office has received 9,999 dossiers today; dossier codes are exhausted."),
        )
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"


# --- Time limits ------------------------------------------------------------------------------


def due_from(dossier: Dossier, start: dt.datetime) -> DueDate | None:
    """The due date of the dossier's time limit counted from ``start`` (None: no time limit)."""
    if dossier.time_limit_amount is None or not dossier.time_limit_unit:
        return None
    calendar = calendar_of(dossier.receiving_office)
    return compute_due_date(
        start, Decimal(dossier.time_limit_amount), dossier.time_limit_unit, calendar=calendar
    )


def explain(due: DueDate, *, unit_assumed: bool = False) -> dict[str, list[str]]:
    """The explanation in both languages, as stored with the dossier."""
    vi, en = due.render("vi"), due.render("en")
    if unit_assumed:
        vi.insert(0, "Danh mục không ghi đơn vị thời hạn; tạm tính theo ngày làm việc")
        en.insert(0, "The catalogue gives no unit for the time limit; working days assumed")
    return {"vi": vi, "en": en}


def apply_due(dossier: Dossier, due: DueDate | None, *, original: bool) -> None:
    """Set the legal and current appointment (and the original one at reception)."""
    if due is None:
        dossier.due_legal = dossier.due_current = None
        dossier.due_explanation = {}
        return
    if original:
        dossier.due_original = due.due_at
    dossier.counting_started_at = due.counting_starts_at
    dossier.due_legal = dossier.due_current = due.due_at
    dossier.due_explanation = explain(due, unit_assumed=dossier.time_limit_unit_assumed)


def data_of(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-safe details for the history row."""
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v)
        for k, v in mapping.items()
    }


def no_change(_dossier: Dossier, _rule: Transition, _ctx: Context) -> Step:
    return Step()


__all__ = [
    "TOPIC",
    "ClockEffect",
    "Context",
    "NotFound",
    "Step",
    "apply_due",
    "context_for",
    "data_of",
    "due_from",
    "explain",
    "next_code",
    "no_change",
    "record",
    "transition",
]
