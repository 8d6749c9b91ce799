"""Who may see and do what to a dossier — the one policy every interface asks (UI, API, exports).

Scope comes from the staff assignments valid on the day (``organizations``):

- one-stop officers and centre heads act on dossiers *received at their office*;
- handlers, leaders and clerks act on dossiers whose *competent agency* is theirs (a division counts
  as part of the agency it belongs to);
- province supervisors see every dossier (read only);
- applicants see and act on their own dossiers.

A draft (an online application not yet submitted) is the applicant's own workspace: nobody else
sees it, not even the office it is addressed to.

Consulted agencies (T21): the handlers, leaders and clerks of an agency asked for its opinion or
part see the dossier (read only) for as long as it has a consultation task for their agency —
open or answered, whatever the dossier's state since, so they can look up what they were asked and
what they answered. They act in one capacity only, ``CONSULTED``, and only while their agency's
task is open: to answer it.

Anything outside scope is invisible (interfaces answer 404, not 403, so codes cannot be probed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse

from motcua.core import refcache
from motcua.core.models import User
from motcua.dossiers.models import ConsultationTask, Dossier
from motcua.dossiers.workflow import Actor, Status
from motcua.organizations.models import Role
from motcua.organizations.selectors import agency_family, assignments_of

_ONE_STOP_ROLES = {Role.RECEPTION_OFFICER, Role.CENTRE_HEAD}
_PROCESSING = {
    Role.HANDLER: Actor.HANDLER,
    Role.DIVISION_LEADER: Actor.LEADER,
    Role.AGENCY_LEADER: Actor.LEADER,
    Role.CLERK: Actor.CLERK,
}


@dataclass(frozen=True)
class Scope:
    """What one user's roles cover on a day."""

    user_id: int | None
    one_stop: frozenset[int]  # offices where the user receives / returns
    centre_head: frozenset[int]
    processing: dict[Actor, frozenset[int]]  # role → agencies (with their divisions)
    everything: bool  # province supervisor (read only)

    @property
    def processing_agencies(self) -> frozenset[int]:
        return frozenset().union(*self.processing.values()) if self.processing else frozenset()


_memo: ContextVar[dict[tuple[int, dt.date], Scope] | None] = ContextVar("scope_memo", default=None)


@contextmanager
def remembered_scopes() -> Iterator[None]:
    """Within this block (one request), a user's scope is computed once per day asked."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def scope_of(user: User | AnonymousUser, on: dt.date) -> Scope:
    """The user's scope on ``on`` (empty for anonymous visitors)."""
    if not isinstance(user, User):
        return Scope(None, frozenset(), frozenset(), {}, everything=False)
    memo = _memo.get()
    if memo is not None and (user.pk, on) in memo:
        return memo[(user.pk, on)]
    # Memoised per process too (core.refcache): assignments and the agency tree change rarely,
    # and saving either drops it everywhere within about a second.
    scope = refcache.cached("scope", (user.pk, on), lambda: _compute_scope(user, on))
    if memo is not None:
        memo[(user.pk, on)] = scope
    return scope


def _compute_scope(user: User, on: dt.date) -> Scope:
    one_stop: set[int] = set()
    centre_head: set[int] = set()
    processing: dict[Actor, set[int]] = {}
    everything = False
    for assignment in assignments_of(user, on).order_by():
        role = Role(assignment.role)
        if role in _ONE_STOP_ROLES:
            one_stop.add(assignment.agency_id)
            if role == Role.CENTRE_HEAD:
                centre_head.add(assignment.agency_id)
        elif role in _PROCESSING:
            processing.setdefault(_PROCESSING[role], set()).add(assignment.agency_id)
        elif role == Role.PROVINCE_SUPERVISOR:
            everything = True
    return Scope(
        user.pk,
        frozenset(one_stop),
        frozenset(centre_head),
        {actor: frozenset(agency_family(ids)) for actor, ids in processing.items()},
        everything,
    )


def visible_filter(scope: Scope) -> Q:
    """The dossiers a scope may see, as a query filter."""
    own = Q(applicant_user_id=scope.user_id) if scope.user_id is not None else Q(pk__in=[])
    if scope.everything:
        return ~Q(status=Status.DRAFT) | own
    staff = Q(pk__in=[])
    if scope.one_stop:
        staff |= Q(receiving_office_id__in=scope.one_stop)
    if scope.processing_agencies:
        staff |= Q(competent_agency_id__in=scope.processing_agencies)
    if scope.processing_agencies:
        # Dossiers their agencies were consulted on: only flagged dossiers are probed, through a
        # partial index, so the other arms keep their index plans (an OR of two index scans).
        staff |= Q(
            Exists(
                ConsultationTask.objects.filter(
                    dossier_id=OuterRef("pk"), agency_id__in=scope.processing_agencies
                )
            ),
            consulted=True,
        )
    if scope.one_stop or scope.processing_agencies:
        staff &= ~Q(status=Status.DRAFT)
    return staff | own


_CONSULTATIONS = "_consultation_agencies"


def consultation_agencies(dossier: Dossier) -> dict[int, bool]:
    """The agencies consulted on ``dossier`` → whether their task is still open (no answer yet).

    Read once per dossier instance (the services drop it after each change); never queried for a
    dossier that was never consulted.
    """
    if not dossier.consulted or dossier.pk is None:
        return {}
    cached: dict[int, bool] | None = dossier.__dict__.get(_CONSULTATIONS)
    if cached is None:
        cached = {}
        for agency_id, answered_at in ConsultationTask.objects.filter(
            dossier_id=dossier.pk
        ).values_list("agency_id", "answered_at"):
            cached[agency_id] = cached.get(agency_id, False) or answered_at is None
        dossier.__dict__[_CONSULTATIONS] = cached
    return cached


def forget_consultations(dossier: Dossier) -> None:
    """Drop what ``consultation_agencies`` remembered (after tasks were added or answered)."""
    dossier.__dict__.pop(_CONSULTATIONS, None)


def actors_for(scope: Scope, dossier: Dossier) -> frozenset[Actor]:
    """The capacities in which the scope's user may act on ``dossier``."""
    actors: set[Actor] = set()
    # A saved draft is the applicant's own workspace (an unsaved one is a desk reception in the
    # making: the officer's capacities below apply).
    if dossier.status == Status.DRAFT and dossier.pk is not None:
        if scope.user_id is not None and dossier.applicant_user_id == scope.user_id:
            actors.add(Actor.APPLICANT)
        return frozenset(actors)
    if dossier.receiving_office_id in scope.one_stop:
        actors.add(Actor.ONE_STOP)
    if dossier.receiving_office_id in scope.centre_head:
        actors.add(Actor.CENTRE_HEAD)
    for actor, agencies in scope.processing.items():
        if dossier.competent_agency_id in agencies:
            actors.add(actor)
    if scope.processing_agencies and any(
        is_open and agency in scope.processing_agencies
        for agency, is_open in consultation_agencies(dossier).items()
    ):
        actors.add(Actor.CONSULTED)
    if scope.user_id is not None and dossier.applicant_user_id == scope.user_id:
        actors.add(Actor.APPLICANT)
    return frozenset(actors)


def consulted_here(scope: Scope, dossier: Dossier) -> bool:
    """Whether one of the scope's agencies was consulted on ``dossier`` (open or answered)."""
    return bool(scope.processing_agencies) and any(
        agency in scope.processing_agencies for agency in consultation_agencies(dossier)
    )


def may_see(scope: Scope, dossier: Dossier) -> bool:
    """Whether the scope's user may see ``dossier`` at all."""
    if scope.everything and dossier.status != Status.DRAFT:
        return True
    return bool(actors_for(scope, dossier)) or consulted_here(scope, dossier)


class RememberScopesMiddleware:
    """Compute each user's dossier scope at most once per request (it is asked several times)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with remembered_scopes():
            return self.get_response(request)
