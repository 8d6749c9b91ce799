"""Reads of dossiers that encode policy: the only way interfaces list or open dossiers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from motcua.calendars.engine import VN_TZ
from motcua.catalog.selectors import version_summary
from motcua.core import clock
from motcua.core.models import User
from motcua.dossiers.models import Dossier, DossierStep, DossierTransition
from motcua.dossiers.policy import Scope, actors_for, scope_of, visible_filter
from motcua.dossiers.services._core import HISTORY_IN_MEMORY, NotFound
from motcua.dossiers.workflow import (
    CLOCK_RUNNING,
    TERMINAL,
    Action,
    Status,
    allowed_actions,
    transition_for,
)
from motcua.organizations.selectors import agency_by_id


def _today() -> dt.date:
    return clock.now().astimezone(VN_TZ).date()


_HEAVY_VERSION_FIELDS = (
    "steps",
    "conditions",
    "legal_basis",
    "results",
    "applicants",
    "competent_authority",
    "implementing_agency",
    "coordinating_agency",
    "delegated_agency",
    "receiving_place",
    "related_procedures_text",
    "search_text",
    "name_folded",
    "announcing_decision",
)


def dossiers_visible_to(user: User | AnonymousUser, on: dt.date | None = None) -> QuerySet[Dossier]:
    """Every dossier ``user`` may see (officers: their offices and agencies; applicants: theirs)."""
    scope = scope_of(user, on or _today())
    return (
        Dossier.objects.filter(visible_filter(scope))
        .select_related(
            "procedure_version",
            "procedure_version__procedure",
            "receiving_office",
            "competent_agency",
        )
        # The catalogue's long texts (steps, conditions, legal basis…) are never needed to list
        # or open a dossier; leaving them out keeps lookups fast at national volume.
        .defer(*(f"procedure_version__{name}" for name in _HEAVY_VERSION_FIELDS))
    )


def dossier_for(user: User | AnonymousUser, dossier_id: int) -> Dossier:
    """The dossier if ``user`` may see it; ``NotFound`` otherwise (never reveal it exists)."""
    dossier = dossiers_visible_to(user).filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound
    return dossier


#: The dossier row a lookup by code reads: no join — the names of its procedure version and
#: agencies come from the per-process reference memo (``with_references``, ADR 0018).
LOOKUP_FIELDS = (
    "id",
    "code",
    "status",
    "version",
    "received_at",
    "due_legal",
    "due_current",
    "resolved_at",
    "returned_at",
    "applicant_name",
    "receiving_office_id",
    "competent_agency_id",
    "procedure_version_id",
    "applicant_user_id",
    "consulted",
)


def with_references(dossier: Dossier) -> Dossier:
    """``dossier`` with its procedure version and agencies attached from the reference memo (the
    version's name and number, the procedure code, the agencies' codes and names)."""
    dossier.procedure_version = version_summary(dossier.procedure_version_id)
    dossier.receiving_office = agency_by_id(dossier.receiving_office_id)
    dossier.competent_agency = agency_by_id(dossier.competent_agency_id)
    return dossier


def lookup_by_code(user: User | AnonymousUser) -> QuerySet[Dossier]:
    """The query of a lookup by code, before the code is given (one indexed row, no join)."""
    return Dossier.objects.filter(visible_filter(scope_of(user, _today()))).only(*LOOKUP_FIELDS)


def dossier_by_code(user: User | AnonymousUser, code: str) -> Dossier:
    """The dossier with ``code`` if ``user`` may see it (the fields a lookup shows, with its
    procedure and agencies; other fields load on access); ``NotFound`` otherwise."""
    found = list(lookup_by_code(user).filter(code=code.strip().upper())[:1])
    if not found:
        raise NotFound
    return with_references(found[0])


def dossier_timeline(dossier: Dossier) -> QuerySet[DossierTransition]:
    """The dossier's history, oldest first, with who acted."""
    return dossier.transitions.select_related("actor", "actor_agency").order_by("seq")


def dossier_history(dossier: Dossier) -> Sequence[DossierTransition]:
    """The dossier's history, oldest first: from memory when the dossier was created by this
    instance (the API answers a reception without reading back what it just wrote)."""
    written: list[DossierTransition] | None = dossier.__dict__.get(HISTORY_IN_MEMORY)
    return list(written) if written is not None else list(dossier_timeline(dossier))


def actions_available(
    user: User, dossier: Dossier, on: dt.date | None = None, *, scope: Scope | None = None
) -> list[Action]:
    """The actions ``user`` may take on ``dossier`` now (table and capacity both allow them)."""
    scope = scope or scope_of(user, on or _today())
    capacities = actors_for(scope, dossier)
    result = []
    for action in allowed_actions(dossier.status):
        rule = transition_for(dossier.status, action)
        if rule is not None and rule.actors & capacities:
            result.append(action)
    return result


@dataclass(frozen=True)
class TimeState:
    """Where a dossier stands against its appointment (derived, never stored)."""

    overdue: bool
    past_legal: bool
    paused: bool


def time_state(dossier: Dossier, now: dt.datetime | None = None) -> TimeState:
    """Overdue / past the legal due / paused, now (calendar-and-deadlines.md §10 open dossiers)."""
    now = now or clock.now()
    running = Status(dossier.status) in CLOCK_RUNNING and dossier.status not in TERMINAL
    return TimeState(
        overdue=running and dossier.due_current is not None and now > dossier.due_current,
        past_legal=running and dossier.due_legal is not None and now > dossier.due_legal,
        paused=dossier.status == Status.AWAITING_SUPPLEMENT,
    )


def dossier_steps(dossier: Dossier) -> list[tuple[DossierStep, str]]:
    """The dossier's internal-process steps with their state (pending/active/early/on_time/late)."""
    from motcua.dossiers.services.steps import step_report

    return [(step, step_report(step)) for step in dossier.steps.order_by("order")]
