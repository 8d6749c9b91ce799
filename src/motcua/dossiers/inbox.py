"""Reads for the back office: inbox queues with cheap counts, filters, search, look-ups, hops.

Everything here starts from the dossiers a user may see (``policy.visible_filter``) and encodes
which of them wait for *this* user's role: the one-stop officer receives, transfers and returns at
their office; the leader assigns and signs, the handler processes, at their agency (domain notes,
lifecycle.md §3). Counts are one conditional aggregate over the open dossiers in scope, so an
inbox costs a handful of indexed queries whatever the size of the history.

Known limits:
- "due soon" compares calendar time, not working time: a dossier is due soon when the configured
  share (``MOTCUA_DUE_SOON_SHARE``, default 0.8) of the time between the start of counting and the
  appointment has passed, *or* the appointment falls before the end of the next working day (so
  that a Monday appointment shows on Friday). Working-time shares would need the calendar per row.
- Accent-insensitive applicant search expands the folded query into Vietnamese letter classes and
  uses the database's regular expressions (no folded column exists yet): a scan of the dossiers in
  scope that match the other criteria.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import (
    VN_TZ,
    CalendarError,
    Outcome,
    check_extension,
    classify_finished,
    step_due,
)
from motcua.calendars.selectors import compiled_calendar
from motcua.catalog.models import DocumentRequirement, ProcessStep
from motcua.catalog.offers import ReceptionRule, reception_rule
from motcua.catalog.selectors import ranked_version_ids
from motcua.core import clock
from motcua.core.models import User
from motcua.core.text import fold
from motcua.dossiers.models import Channel, Dossier, DossierTransition
from motcua.dossiers.policy import Scope, scope_of, visible_filter
from motcua.dossiers.workflow import CLOCK_RUNNING, Action, Actor, Status
from motcua.organizations.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    Role,
    StaffAssignment,
)
from motcua.organizations.selectors import agencies_valid_on, agency_family, calendar_of, valid_on

DEFAULT_DUE_SOON_SHARE = 0.8
PAGE_SIZE = 25

#: States in which a dossier still waits for someone (terminal ones never show in an inbox).
OPEN: frozenset[Status] = frozenset(
    {
        Status.SUBMITTED,
        Status.RECEIVED,
        Status.IN_PROCESS,
        Status.AWAITING_SUPPLEMENT,
        Status.AWAITING_PAYMENT,
        Status.RESOLVED,
    }
)


def due_soon_share() -> float:
    """The share of the time limit after which a dossier counts as "due soon" (0 < share < 1)."""
    share = float(getattr(settings, "MOTCUA_DUE_SOON_SHARE", DEFAULT_DUE_SOON_SHARE))
    return share if 0.0 < share < 1.0 else DEFAULT_DUE_SOON_SHARE


def _local_today() -> dt.date:
    return clock.now().astimezone(VN_TZ).date()


# --- Queues ------------------------------------------------------------------------------------


class Queue:
    """The inbox queues, in display order (values are URL slugs)."""

    TO_RECEIVE = "to_receive"
    TO_TRANSFER = "to_transfer"
    TO_ASSIGN = "to_assign"
    TO_PROCESS = "to_process"
    TO_APPROVE = "to_approve"
    TO_RETURN = "to_return"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    WAITING = "waiting"
    ALL = (
        TO_RECEIVE,
        TO_TRANSFER,
        TO_ASSIGN,
        TO_PROCESS,
        TO_APPROVE,
        TO_RETURN,
        DUE_SOON,
        OVERDUE,
        WAITING,
    )
    LABELS = {
        TO_RECEIVE: _("To receive"),
        TO_TRANSFER: _("To transfer"),
        TO_ASSIGN: _("To assign"),
        TO_PROCESS: _("To process"),
        TO_APPROVE: _("To approve and sign"),
        TO_RETURN: _("Results to return"),
        DUE_SOON: _("Due soon"),
        OVERDUE: _("Overdue"),
        WAITING: _("Waiting for the applicant"),
    }
    HINTS = {
        TO_RECEIVE: _("Online submissions waiting for acceptance at your office."),
        TO_TRANSFER: _("Received, not yet transferred to the competent agency."),
        TO_ASSIGN: _("Being processed at your agency, no handler assigned yet."),
        TO_PROCESS: _("Assigned to you as handler."),
        TO_APPROVE: _("Being processed at your agency by a handler: approve, sign, issue."),
        TO_RETURN: _("Results ready at your office, to hand to the applicant."),
        DUE_SOON: _("Most of the time limit is used up."),
        OVERDUE: _("The appointment has passed."),
        WAITING: _("Waiting for supplementary documents, a payment or a completed submission."),
    }


class _JulianTime(Func):
    """A point in time as a number on a linear scale (days on SQLite, seconds on PostgreSQL).

    Only compared with the same function applied to another instant, so the scale is irrelevant.
    """

    function = "julianday"
    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)", **extra
        )


def _time(expression: Expression | F | Value) -> Expression:
    return _JulianTime(expression)


@dataclass(frozen=True)
class QueueSpec:
    """A queue's filter and whether the user's roles make it theirs."""

    name: str
    condition: Q
    relevant: bool


def _next_working_closing(office: Agency | None, now: dt.datetime) -> dt.datetime:
    """Closing time of the next working day after today (the "due tomorrow" horizon)."""
    calendar = compiled_calendar(calendar_of(office)) if office is not None else compiled_calendar()
    day = now.astimezone(VN_TZ).date() + dt.timedelta(days=1)
    for _attempt in range(30):
        if calendar.is_working_day(day):
            return calendar.closing_instant(day)
        day += dt.timedelta(days=1)
    return now + dt.timedelta(days=1)


def _queue_specs(
    user: User, scope: Scope, now: dt.datetime, horizon: dt.datetime
) -> list[QueueSpec]:
    one_stop = Q(receiving_office_id__in=scope.one_stop)
    handler = scope.processing.get(Actor.HANDLER, frozenset())
    signing = scope.processing.get(Actor.LEADER, frozenset()) | scope.processing.get(
        Actor.CLERK, frozenset()
    )
    leader = scope.processing.get(Actor.LEADER, frozenset())
    running = Q(status__in=CLOCK_RUNNING, due_current__isnull=False)
    warned = Q(_due_warn__lte=_time(Value(now))) | Q(due_current__lte=horizon)
    return [
        QueueSpec(
            Queue.TO_RECEIVE,
            one_stop & Q(status=Status.SUBMITTED, pre_intake_incomplete=False),
            bool(scope.one_stop),
        ),
        QueueSpec(Queue.TO_TRANSFER, one_stop & Q(status=Status.RECEIVED), bool(scope.one_stop)),
        QueueSpec(
            Queue.TO_ASSIGN,
            Q(competent_agency_id__in=leader, status=Status.IN_PROCESS, handler__isnull=True),
            bool(leader),
        ),
        QueueSpec(
            Queue.TO_PROCESS,
            Q(competent_agency_id__in=handler, status=Status.IN_PROCESS, handler_id=user.pk),
            bool(handler),
        ),
        QueueSpec(
            Queue.TO_APPROVE,
            Q(competent_agency_id__in=signing, status=Status.IN_PROCESS, handler__isnull=False),
            bool(signing),
        ),
        QueueSpec(Queue.TO_RETURN, one_stop & Q(status=Status.RESOLVED), bool(scope.one_stop)),
        QueueSpec(
            Queue.DUE_SOON,
            running & Q(due_current__gt=now) & warned,
            True,
        ),
        QueueSpec(Queue.OVERDUE, running & Q(due_current__lte=now), True),
        QueueSpec(
            Queue.WAITING,
            Q(status__in=[Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT])
            | Q(status=Status.SUBMITTED, pre_intake_incomplete=True),
            True,
        ),
    ]


def _work_filter(scope: Scope) -> Q:
    """The dossiers a staff member works on (their offices and agencies; supervisors: all)."""
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    if scope.one_stop:
        condition |= Q(receiving_office_id__in=scope.one_stop)
    if scope.processing_agencies:
        condition |= Q(competent_agency_id__in=scope.processing_agencies)
    return condition


def _with_warning(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Annotate the instant (on the linear scale) from which a running dossier is due soon."""
    share = due_soon_share()
    return dossiers.alias(
        _due_warn=ExpressionWrapper(
            _time(F("due_current")) * (1.0 - share) + _time(F("counting_started_at")) * share,
            output_field=FloatField(),
        )
    )


@dataclass
class Inbox:
    """The queues of one user now: counts, which are theirs, and the base of each listing."""

    user: User
    scope: Scope
    now: dt.datetime
    specs: dict[str, QueueSpec]
    counts: dict[str, int]
    horizon: dt.datetime  # appointments before it are "due soon" (next working day's close)

    @property
    def queues(self) -> list[QueueSpec]:
        """The queues to show (the user's roles' own, plus the time-based ones)."""
        return [s for s in self.specs.values() if s.relevant]

    def default_queue(self) -> str:
        """The first of the user's own queues with work in it (else the first of them)."""
        mine = [s.name for s in self.queues]
        for name in mine:
            if self.counts.get(name):
                return name
        return mine[0] if mine else Queue.OVERDUE

    def dossiers(self, queue: str) -> QuerySet[Dossier]:
        """The dossiers of ``queue`` (unsorted, unfiltered)."""
        spec = self.specs[queue]
        return (
            _with_warning(dossiers_at_work(self.scope).filter(status__in=OPEN))
            .filter(spec.condition)
            .select_related(
                "procedure_version",
                "procedure_version__procedure",
                "receiving_office",
                "competent_agency",
                "handler",
            )
        )


def dossiers_at_work(scope: Scope) -> QuerySet[Dossier]:
    """The dossiers a staff scope works on (a subset of what it may see; no applicants' own)."""
    return Dossier.objects.filter(_work_filter(scope))


def inbox_for(user: User, *, now: dt.datetime | None = None, office: Agency | None = None) -> Inbox:
    """The user's inbox now: every queue with its count, in one aggregate query."""
    now = now or clock.now()
    scope = scope_of(user, now.astimezone(VN_TZ).date())
    horizon = _next_working_closing(office, now)
    specs = {s.name: s for s in _queue_specs(user, scope, now, horizon)}
    base = _with_warning(dossiers_at_work(scope).filter(status__in=OPEN))
    aggregates = {
        name: Count("pk", filter=spec.condition) for name, spec in specs.items() if spec.relevant
    }
    counts: dict[str, int] = base.aggregate(**aggregates) if aggregates else {}
    return Inbox(user, scope, now, specs, {k: int(v or 0) for k, v in counts.items()}, horizon)


# --- Filters, sorting, time badges -----------------------------------------------------------


class Sort:
    """Inbox orderings; the appointment first by default."""

    DUE = "due"
    RECEIVED = "received"
    NEWEST = "newest"
    CODE = "code"
    ALL = (DUE, RECEIVED, NEWEST, CODE)
    LABELS = {
        DUE: _("Appointment, earliest first"),
        RECEIVED: _("Received, oldest first"),
        NEWEST: _("Received, newest first"),
        CODE: _("Dossier code"),
    }


def sorted_dossiers(dossiers: QuerySet[Dossier], sort: str) -> QuerySet[Dossier]:
    """``dossiers`` in the chosen order (dossiers without an appointment last)."""
    if sort == Sort.RECEIVED:
        return dossiers.order_by(F("received_at").asc(nulls_first=True), "id")
    if sort == Sort.NEWEST:
        return dossiers.order_by(F("received_at").desc(nulls_last=True), "-id")
    if sort == Sort.CODE:
        return dossiers.order_by(F("code").asc(nulls_last=True), "id")
    return dossiers.order_by(F("due_current").asc(nulls_last=True), "submitted_at", "id")


@dataclass(frozen=True)
class Criteria:
    """Filters shared by the inbox and the search page (empty = no filter)."""

    procedure: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    channel: str = ""
    code: str = ""
    name: str = ""
    phone: str = ""
    id_number: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.procedure.strip(),
                self.date_from,
                self.date_to,
                self.channel,
                self.code.strip(),
                self.name.strip(),
                self.phone.strip(),
                self.id_number.strip(),
            )
        )


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=VN_TZ)


def _letter_classes() -> dict[str, str]:
    """Every Vietnamese (Latin) letter grouped under the ASCII letter it folds to."""
    groups: dict[str, set[str]] = {}
    ranges = (range(0x41, 0x5B), range(0x61, 0x7B), range(0xC0, 0x250), range(0x1E00, 0x1F00))
    for block in ranges:
        for code in block:
            char = chr(code)
            if not char.isalpha():
                continue
            base = fold(char)
            if len(base) == 1 and "a" <= base <= "z":
                groups.setdefault(base, set()).update({char, char.lower(), char.upper()})
    return {
        base: "".join(sorted(c for c in chars if len(c) == 1)) for base, chars in groups.items()
    }


_CLASSES = _letter_classes()


def name_pattern(text: str) -> str:
    """A regular expression matching ``text`` with or without diacritics, in any case.

    'nguyen van' → '[nNñ…]g…[eEéèẻẽẹêếềểễệ…]n\\s+…' — both PostgreSQL and SQLite (Python) read it.
    """
    parts = []
    for word in fold(unicodedata.normalize("NFC", text)).split():
        letters = []
        for char in word:
            variants = _CLASSES.get(char)
            letters.append(f"[{variants}]" if variants else re.escape(char))
        parts.append("".join(letters))
    return r"\s+".join(parts)


def filtered(dossiers: QuerySet[Dossier], criteria: Criteria) -> QuerySet[Dossier]:
    """``dossiers`` narrowed by ``criteria`` (every filter uses an index except the name)."""
    if criteria.procedure.strip():
        ids = ranked_version_ids(criteria.procedure)
        dossiers = dossiers.filter(
            Q(procedure_version_id__in=ids)
            | Q(procedure_version__procedure__code=criteria.procedure.strip())
        )
    if criteria.date_from:
        dossiers = dossiers.filter(
            Q(received_at__gte=_day_start(criteria.date_from))
            | Q(received_at__isnull=True, submitted_at__gte=_day_start(criteria.date_from))
        )
    if criteria.date_to:
        end = _day_start(criteria.date_to + dt.timedelta(days=1))
        dossiers = dossiers.filter(
            Q(received_at__lt=end) | Q(received_at__isnull=True, submitted_at__lt=end)
        )
    if criteria.channel in Channel.values:
        dossiers = dossiers.filter(channel=criteria.channel)
    code = criteria.code.strip().upper()
    if code:
        # A range instead of LIKE, so SQLite can use the unique index on the code.
        dossiers = dossiers.filter(
            Q(code__gte=code, code__lt=code + "~") | Q(submission_ref__startswith=code)
        )
    if criteria.phone.strip():
        dossiers = dossiers.filter(applicant_phone=re.sub(r"[\s.-]", "", criteria.phone))
    if criteria.id_number.strip():
        dossiers = dossiers.filter(applicant_id_number=criteria.id_number.strip())
    if criteria.name.strip():
        dossiers = dossiers.filter(applicant_name__regex=name_pattern(criteria.name))
    return dossiers


def search_dossiers(user: User, criteria: Criteria) -> QuerySet[Dossier]:
    """Dossiers the user may see matching ``criteria``, newest first (empty criteria: none)."""
    if criteria.is_empty:
        return Dossier.objects.none()
    scope = scope_of(user, _local_today())
    visible = Dossier.objects.filter(visible_filter(scope)).select_related(
        "procedure_version", "procedure_version__procedure", "receiving_office"
    )
    return filtered(_with_warning(visible), criteria).order_by("-id")


class TimeBadge:
    """Where an open dossier stands against its appointment (shown on every row)."""

    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    WITHIN = "within"
    PAUSED = "paused"
    NONE = ""
    LABELS = {
        OVERDUE: _("Overdue"),
        DUE_SOON: _("Due soon"),
        WITHIN: _("Within time"),
        PAUSED: _("Clock paused"),
    }


def time_badge(dossier: Dossier, now: dt.datetime, horizon: dt.datetime | None = None) -> str:
    """The badge of ``dossier`` now (same rules as the queues)."""
    if dossier.status == Status.AWAITING_SUPPLEMENT:
        return TimeBadge.PAUSED
    if dossier.status not in CLOCK_RUNNING or dossier.due_current is None:
        return TimeBadge.NONE
    if now > dossier.due_current:
        return TimeBadge.OVERDUE
    start = dossier.counting_started_at or dossier.received_at or now
    warn_at = start + (dossier.due_current - start) * due_soon_share()
    if now >= warn_at or (horizon is not None and dossier.due_current <= horizon):
        return TimeBadge.DUE_SOON
    return TimeBadge.WITHIN


def due_horizon(office: Agency | None = None, now: dt.datetime | None = None) -> dt.datetime:
    """Closing time of the next working day: appointments before it are "due soon"."""
    return _next_working_closing(office, now or clock.now())


# --- Intake -----------------------------------------------------------------------------------


def intake_offices(user: User, on: dt.date | None = None) -> list[Agency]:
    """The one-stop offices where ``user`` receives dossiers today."""
    scope = scope_of(user, on or _local_today())
    return list(
        Agency.objects.filter(pk__in=scope.one_stop, kind__in=AgencyKind.one_stop()).order_by(
            "level", "name"
        )
    )


def competent_agencies_for(
    office: Agency, procedure_code: str = "", on: dt.date | None = None
) -> list[Agency]:
    """Agencies the office receives ``procedure_code`` for: the one its reception offer names
    (``catalog.offers``); else a commune centre for its People's Committee, a provincial centre
    for the provincial People's Committee, its departments and vertical agencies."""
    on = on or _local_today()
    if procedure_code:
        rule = reception_rule(procedure_code, office, on)
        if rule.allowed and rule.competent_agency is not None:
            return [rule.competent_agency]
    if office.level == AgencyLevel.COMMUNE and office.parent_id is not None:
        return list(Agency.objects.filter(pk=office.parent_id))
    return list(
        agencies_valid_on(on)
        .filter(
            level=office.level,
            kind__in=[
                AgencyKind.PEOPLES_COMMITTEE,
                AgencyKind.DEPARTMENT,
                AgencyKind.VERTICAL_AGENCY,
            ],
        )
        .order_by("kind", "name")
    )


def where_received(procedure_code: str, office: Agency, on: dt.date | None = None) -> ReceptionRule:
    """Whether ``office`` receives the procedure (and where it is received otherwise)."""
    return reception_rule(procedure_code, office, on or _local_today())


@dataclass(frozen=True)
class EarlierApplicant:
    """Applicant details from the newest earlier dossier with the same ID number or phone."""

    name: str
    applicant_type: str
    id_number: str
    phone: str
    email: str
    address: str
    code: str


def earlier_applicant(
    user: User, *, id_number: str = "", phone: str = ""
) -> EarlierApplicant | None:
    """The applicant of the newest dossier visible to ``user`` with this ID number or phone."""
    id_number, phone = id_number.strip(), re.sub(r"[\s.-]", "", phone)
    if not id_number and not phone:
        return None
    scope = scope_of(user, _local_today())
    condition = Q(applicant_id_number=id_number) if id_number else Q(applicant_phone=phone)
    dossier = (
        Dossier.objects.filter(visible_filter(scope))
        .filter(condition)
        .order_by("-id")
        .only(
            "applicant_name",
            "applicant_type",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "code",
            "submission_ref",
        )
        .first()
    )
    if dossier is None:
        return None
    return EarlierApplicant(
        dossier.applicant_name,
        dossier.applicant_type,
        dossier.applicant_id_number,
        dossier.applicant_phone,
        dossier.applicant_email,
        dossier.applicant_address,
        str(dossier),
    )


def required_documents(version_id: int) -> list[DocumentRequirement]:
    """The documents of a procedure version, in their groups' order (the intake checklist)."""
    return list(
        DocumentRequirement.objects.filter(version_id=version_id).order_by(
            "group_order", "order", "id"
        )
    )


# --- The dossier page -------------------------------------------------------------------------


def handlers_for(dossier: Dossier, on: dt.date | None = None) -> list[User]:
    """Handlers of the dossier's competent agency (and its divisions) today."""
    on = on or _local_today()
    family = agency_family({dossier.competent_agency_id})
    user_ids = StaffAssignment.objects.filter(
        valid_on(on), role=Role.HANDLER, agency_id__in=family
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk"))


def consultable_agencies(dossier: Dossier, on: dt.date | None = None) -> list[Agency]:
    """Agencies that may be asked for their part or opinion (every deciding agency but this one)."""
    on = on or _local_today()
    return list(
        agencies_valid_on(on)
        .filter(
            kind__in=[
                AgencyKind.PEOPLES_COMMITTEE,
                AgencyKind.DEPARTMENT,
                AgencyKind.DIVISION,
                AgencyKind.VERTICAL_AGENCY,
            ]
        )
        .exclude(pk=dossier.competent_agency_id)
        .order_by("level", "name")
    )


def process_steps(dossier: Dossier) -> list[ProcessStep]:
    """The internal process steps of the dossier's procedure version (may be empty)."""
    return list(
        ProcessStep.objects.filter(version_id=dossier.procedure_version_id).order_by("order")
    )


@dataclass(frozen=True)
class ExtensionBounds:
    """What the apology-and-extension form may offer: the earliest new date, the latest day the
    apology may be issued, and whether it may be issued today (NĐ 61/2018 Art 19.9)."""

    earliest_date: dt.date | None
    latest_apology_date: dt.date | None
    allowed_today: bool


def extension_bounds(dossier: Dossier, now: dt.datetime | None = None) -> ExtensionBounds:
    """The bounds of the one extension of ``dossier`` (earliest = next working day after the
    current appointment; the apology at least one working day before it)."""
    now = now or clock.now()
    if dossier.due_current is None:
        return ExtensionBounds(None, None, False)
    calendar = compiled_calendar(calendar_of(dossier.receiving_office))
    day = dossier.due_current.astimezone(VN_TZ).date() + dt.timedelta(days=1)
    for _attempt in range(60):
        if calendar.is_working_day(day):
            break
        day += dt.timedelta(days=1)
    try:
        check = check_extension(
            calendar,
            due_current=dossier.due_current,
            new_due=calendar.closing_instant(day),
            apology_at=now,
            previous_extensions=dossier.extension_count,
        )
    except CalendarError:
        return ExtensionBounds(day, None, False)
    return ExtensionBounds(day, check.latest_apology_date, check.allowed)


def appointment_on(dossier: Dossier, day: dt.date) -> dt.datetime:
    """The new appointment for a chosen day: closing time of that working day (or of the next
    working day when the chosen one is a day off)."""
    calendar = compiled_calendar(calendar_of(dossier.receiving_office))
    for _attempt in range(60):
        if calendar.is_working_day(day):
            return calendar.closing_instant(day)
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=VN_TZ)


@dataclass
class Hop:
    """One history entry as the dossier page and the control slip show it."""

    entry: DossierTransition
    role_label: str = ""
    outcome: str = ""  # "early" / "on_time" / "late" / "" (not measured)
    step_due: dt.datetime | None = None
    details: list[tuple[str, str]] = field(default_factory=list)


def _outcome(finished: dt.datetime, due: dt.datetime) -> str:
    result = classify_finished(finished, due).outcome
    return "late" if result in {Outcome.LATE, Outcome.LATE_WITH_APOLOGY} else result.value


def _names(user_ids: Iterable[int]) -> dict[int, str]:
    return {u.pk: u.display_name for u in User.objects.filter(pk__in=list(user_ids))}


def dossier_hops(dossier: Dossier, entries: list[DossierTransition]) -> list[Hop]:
    """The history with, per hop, early / on time / late against what the hop was measured by:
    the transfer against Art 18's same-day rule, an internal step against its budget (catalogue
    process), the result against the appointment (control slip, TT 01/2018 Mẫu 05)."""
    steps = {fold(s.name): s for s in process_steps(dossier)}
    calendar = compiled_calendar(calendar_of(dossier.receiving_office))
    people = _names(
        int(e.data["handler"]) for e in entries if isinstance(e.data.get("handler"), int)
    )
    agencies = {
        a.pk: a.name
        for a in Agency.objects.filter(
            pk__in=[
                pk
                for e in entries
                for pk in [*e.data.get("agencies", []), e.data.get("to_agency")]
                if isinstance(pk, int)
            ]
        )
    }
    hops: list[Hop] = []
    for index, entry in enumerate(entries):
        hop = Hop(entry, str(Actor(entry.actor_role).label) if entry.actor_role in Actor else "")
        data = entry.data or {}
        following = entries[index + 1].at if index + 1 < len(entries) else None
        if (
            entry.action
            in {Action.TRANSFER, Action.ANSWER_CONSULTATION, Action.TRANSFER_TO_COMPETENT}
            and "late" in data
        ):
            hop.outcome = "late" if data["late"] else "on_time"
        elif entry.action in {Action.ISSUE_RESULT, Action.REFUSE_AFTER_APPRAISAL}:
            due = entry.due_before or dossier.due_legal
            if due is not None:
                hop.outcome = _outcome(entry.at, due)
        elif entry.action in {Action.FORWARD_STEP, Action.ASSIGN} and dossier.due_current:
            step = steps.get(fold(str(data.get("step", ""))))
            if step is not None:
                try:
                    hop.step_due = step_due(
                        calendar,
                        started_at=entry.at,
                        amount=step.budget_amount,
                        unit=step.budget_unit,
                        dossier_due=dossier.due_current,
                    ).due_at
                except CalendarError:
                    hop.step_due = None
                if hop.step_due is not None and following is not None:
                    hop.outcome = _outcome(following, hop.step_due)
        hop.details = _details(data, people, agencies)
        hops.append(hop)
    return hops


def _local(iso: str) -> str:
    try:
        return f"{dt.datetime.fromisoformat(iso).astimezone(VN_TZ):%d/%m/%Y %H:%M}"
    except ValueError:
        return iso


def _details(
    data: dict[str, Any], people: dict[int, str], agencies: dict[int, str]
) -> list[tuple[str, str]]:
    """Readable details of a history entry (label, value)."""
    rows: list[tuple[str, str]] = []
    if data.get("missing"):
        rows.append((str(_("Missing")), "; ".join(str(m) for m in data["missing"])))
    if isinstance(data.get("handler"), int):
        rows.append((str(_("Handler")), people.get(data["handler"], "—")))
    if data.get("step"):
        rows.append((str(_("Step")), str(data["step"])))
    if data.get("agencies"):
        rows.append(
            (str(_("Agencies")), "; ".join(agencies.get(a, str(a)) for a in data["agencies"]))
        )
    if isinstance(data.get("to_agency"), int):
        rows.append((str(_("Sent to")), agencies.get(data["to_agency"], str(data["to_agency"]))))
    if data.get("paper_due"):
        rows.append((str(_("Paper originals due by")), _local(str(data["paper_due"]))))
    if data.get("paper_sent_at"):
        rows.append((str(_("Paper originals sent")), _local(str(data["paper_sent_at"]))))
    if data.get("deadline"):
        rows.append((str(_("Answer by")), _local(str(data["deadline"]))))
    if data.get("amount"):
        rows.append((str(_("Amount")), f"{int(data['amount']):,} ₫".replace(",", ".")))
    if data.get("results"):
        rows.append(
            (
                str(_("Results")),
                "; ".join(f"{r.get('name')} ({r.get('code')})" for r in data["results"]),
            )
        )
    if data.get("tracking_code"):
        rows.append((str(_("Postal tracking code")), str(data["tracking_code"])))
    if data.get("received_by"):
        rows.append((str(_("Received by")), str(data["received_by"])))
    if data.get("receipt"):
        rows.append((str(_("Receipt")), str(data["receipt"])))
    if data.get("outside_window"):
        rows.append((str(_("Exception")), str(_("requested outside the 3-working-day window"))))
    if data.get("counts_late_766"):
        rows.append((str(_("Exception")), str(_("second request: counts late (766)"))))
    return rows
