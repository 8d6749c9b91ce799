"""Intake: receive at the desk or by post (T2), submit and accept online (T1, T3), ask to complete
before reception (T4, T5), refuse at intake (T7), withdraw (T17). NĐ 61/2018 Art 15–17."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.catalog.models import Channel as CatalogChannel
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.offers import reception_rule
from motcua.catalog.selectors import version_for_intake
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.dossiers.models import (
    ApplicantType,
    Channel,
    Dossier,
    ResultDelivery,
)
from motcua.dossiers.services._core import (
    Context,
    Step,
    apply_due,
    context_for,
    due_from,
    next_code,
    record,
    transition,
)
from motcua.dossiers.services.idempotency import Claim
from motcua.dossiers.services.steps import create_steps
from motcua.dossiers.workflow import Action, Status, Transition, transition_for
from motcua.organizations.models import Agency, AgencyKind, AgencyLevel

_CATALOG_CHANNEL = {
    Channel.COUNTER: CatalogChannel.IN_PERSON,
    Channel.POST: CatalogChannel.POSTAL,
    Channel.PORTAL: CatalogChannel.ONLINE,
    Channel.NATIONAL_PORTAL: CatalogChannel.ONLINE,
    Channel.VNEID: CatalogChannel.ONLINE,
}


@dataclass
class DossierInput:
    """What an officer, the portal or the API gives to create a dossier."""

    procedure_code: str
    receiving_office: Agency
    channel: Channel
    applicant_name: str
    competent_agency: Agency | None = None
    applicant_type: ApplicantType = ApplicantType.CITIZEN
    applicant_id_number: str = ""
    applicant_phone: str = ""
    applicant_email: str = ""
    applicant_address: str = ""
    representative_name: str = ""
    applicant_user: User | None = None
    subject: str = ""
    sets_count: int = 1
    result_delivery: ResultDelivery = ResultDelivery.COUNTER
    external_code: str = ""
    has_digitised_components: bool = False
    extra: dict[str, object] = field(default_factory=dict)


#: Unit assumed when the national database publishes a number without a unit (e.g. khai sinh "1");
#: MotCua default, recorded in the dossier's explanation (data README §2: "as published").
ASSUMED_UNIT = "working_days"


def _time_limit(version: ProcedureVersion, channel: Channel) -> tuple[Decimal | None, str, bool]:
    """The legal time limit for the channel (the first published one when the channel has none);
    the last item says whether the unit was assumed."""
    wanted = _CATALOG_CHANNEL[channel]
    channels = sorted(version.channels.all(), key=lambda c: (c.channel != wanted, c.order))
    for item in channels:
        if item.amount is not None and item.unit:
            return Decimal(item.amount), item.unit, False
    for item in channels:
        if item.amount is not None:
            return Decimal(item.amount), ASSUMED_UNIT, True
    return None, "", False


def _competent(data: DossierInput, on: dt.date) -> Agency:
    """The competent agency: given, else the one the reception offer names, else the commune's."""
    office = data.receiving_office
    rule = reception_rule(data.procedure_code, office, on)
    if not rule.allowed:
        raise DomainError(
            "not_received_here",
            _("%(office)s does not receive this procedure; it is received at: %(offices)s."),
            {"office": office.name, "offices": "; ".join(rule.offices)},
        )
    if data.competent_agency is not None:
        return data.competent_agency
    if rule.competent_agency is not None:
        return rule.competent_agency
    if office.level == AgencyLevel.COMMUNE and office.parent is not None:
        return office.parent  # a commune centre receives for its People's Committee
    raise DomainError(
        "competent_agency_required",
        _("Choose the competent agency: this centre receives for several agencies."),
    )


def _new_dossier(data: DossierInput, at: dt.datetime, status: Status) -> Dossier:
    """An unsaved dossier built from validated input (pins the procedure version in force)."""
    on = at.astimezone(VN_TZ).date()
    name = nfc(data.applicant_name).strip()
    if not name:
        raise DomainError("applicant_required", _("Enter the applicant's name."))
    version = version_for_intake(data.procedure_code, on)
    if version is None:
        raise DomainError(
            "unknown_procedure",
            _("No procedure with code “%(code)s” is in force on %(date)s."),
            {"code": data.procedure_code, "date": f"{on:%d/%m/%Y}"},
        )
    office = data.receiving_office
    in_force = office.valid_from <= on and (office.valid_to is None or office.valid_to >= on)
    if office.kind not in AgencyKind.one_stop() or not in_force:
        raise DomainError(
            "not_a_receiving_office",
            _("%(office)s does not receive dossiers."),
            {"office": office.name},
        )
    amount, unit, assumed = _time_limit(version, data.channel)
    return Dossier(
        procedure_version=version,
        receiving_office=office,
        competent_agency=_competent(data, on),
        channel=data.channel,
        applicant_type=data.applicant_type,
        applicant_name=name,
        applicant_id_number=data.applicant_id_number.strip(),
        applicant_phone=data.applicant_phone.strip(),
        applicant_email=data.applicant_email.strip(),
        applicant_address=nfc(data.applicant_address).strip(),
        representative_name=nfc(data.representative_name).strip(),
        applicant_user=data.applicant_user,
        subject=nfc(data.subject).strip(),
        sets_count=max(1, data.sets_count),
        result_delivery=data.result_delivery,
        external_code=data.external_code.strip(),
        has_digitised_components=data.has_digitised_components,
        status=status,
        time_limit_amount=amount,
        time_limit_unit=unit,
        time_limit_unit_assumed=assumed,
    )


def build_dossier(data: DossierInput, at: dt.datetime, status: Status) -> Dossier:
    """An unsaved dossier from validated input, pinned to the procedure version in force (the
    portal's drafts start here; ``dossiers.online``)."""
    return _new_dossier(data, at, status)


def new_submission_ref(at: dt.datetime) -> str:
    """A submission reference for an online dossier (its code comes at acceptance)."""
    return f"HS-{at.astimezone(VN_TZ):%y%m%d}-{secrets.token_hex(4).upper()}"


def _start_clock(dossier: Dossier, ctx: Context) -> None:
    """Reception: the dossier code and the appointment (T2/T3 clock start)."""
    dossier.code = next_code(dossier.receiving_office.code, ctx.at)
    dossier.received_at = ctx.at
    apply_due(dossier, due_from(dossier, ctx.at), original=True)


def receive_dossier(
    data: DossierInput,
    officer: User,
    *,
    at: dt.datetime | None = None,
    claim: Claim | None = None,
) -> Dossier:
    """Receive a complete dossier at the desk or by post (T2): code, receipt data, appointment.

    One transaction: the dossier, its code (gap-free per office and day), the due date with its
    explanation, the first history row, the applicant notice and the idempotency ``claim`` (when
    given, ``idempotency.create_once``) all exist together or not at all.
    """
    at = at or clock.now()
    rule = transition_for(Status.DRAFT, Action.RECEIVE)
    assert rule is not None
    with transaction.atomic():
        dossier = _new_dossier(data, at, Status.DRAFT)
        ctx = context_for(officer, dossier, rule, at)
        _start_clock(dossier, ctx)
        received = data.extra.get("documents_received")
        step = Step(data={"documents_received": received} if received else {})
        record(dossier, rule, ctx, step, from_status=Status.DRAFT, due_before=None)
        create_steps(dossier, at)
        if claim is not None:
            claim.record(dossier)
    return dossier


def submit_online(
    data: DossierInput,
    applicant: User | None,
    *,
    at: dt.datetime | None = None,
    claim: Claim | None = None,
) -> Dossier:
    """Submit online (T1): a submission reference, no code and no clock until accepted (with the
    idempotency ``claim`` in the same transaction when given)."""
    at = at or clock.now()
    rule = transition_for(Status.DRAFT, Action.SUBMIT)
    assert rule is not None
    if data.channel not in {Channel.PORTAL, Channel.NATIONAL_PORTAL, Channel.VNEID}:
        raise DomainError("wrong_channel", _("Online submission needs an online channel."))
    with transaction.atomic():
        dossier = _new_dossier(data, at, Status.DRAFT)
        dossier.applicant_user = applicant
        dossier.submitted_at = at
        dossier.submission_ref = new_submission_ref(at)
        ctx = context_for(applicant, dossier, rule, at)
        record(dossier, rule, ctx, Step(), from_status=Status.DRAFT, due_before=None)
        if claim is not None:
            claim.record(dossier)
    return dossier


def accept_online(
    dossier_id: int,
    officer: User,
    *,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Accept an online dossier (T3): the code and the clock start at acceptance (§6 default)."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        dossier.pre_intake_incomplete = False
        _start_clock(dossier, ctx)
        create_steps(dossier, ctx.at)
        return Step()

    return transition(
        dossier_id, Action.ACCEPT_ONLINE, officer, apply, expected_version=expected_version, at=at
    )


def request_completion(
    dossier_id: int,
    officer: User,
    *,
    missing: list[str],
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant to complete an online dossier before reception, once and completely (T4).

    NĐ 61/2018 Art 15: one complete, accurate list. A second round needs the officer to say why the
    first list was incomplete (``reason``), and is flagged in the history.
    """
    items = [nfc(item).strip() for item in missing if item.strip()]
    if not items:
        raise DomainError("missing_required", _("List what the applicant must add or correct."))

    def apply(dossier: Dossier, _rule: Transition, _ctx: Context) -> Step:
        earlier = dossier.transitions.filter(action=Action.REQUEST_COMPLETION).count()
        if earlier and not reason.strip():
            raise DomainError(
                "completion_already_requested",
                _("Completion was already requested once; say why the first list was incomplete."),
            )
        dossier.pre_intake_incomplete = True
        return Step(reason=nfc(reason), data={"missing": items, "round": earlier + 1})

    return transition(
        dossier_id,
        Action.REQUEST_COMPLETION,
        officer,
        apply,
        expected_version=expected_version,
        at=at,
    )


def resubmit(
    dossier_id: int,
    applicant: User | None,
    *,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The applicant sends the completed dossier back (T5)."""

    def apply(dossier: Dossier, _rule: Transition, _ctx: Context) -> Step:
        if not dossier.pre_intake_incomplete:
            raise DomainError("nothing_requested", _("No completion was requested."))
        dossier.pre_intake_incomplete = False
        return Step()

    return transition(
        dossier_id, Action.RESUBMIT, applicant, apply, expected_version=expected_version, at=at
    )


def refuse_intake(
    dossier_id: int,
    officer: User,
    *,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse an online dossier at intake with reasons (T7, Mẫu 03)."""
    if not reason.strip():
        raise DomainError("reason_required", _("Give the reasons for refusing."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        dossier.ended_at = ctx.at
        return Step(reason=nfc(reason))

    return transition(
        dossier_id, Action.REFUSE_INTAKE, officer, apply, expected_version=expected_version, at=at
    )


def withdraw_dossier(
    dossier_id: int,
    user: User,
    *,
    reason: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Withdraw at the applicant's request (T17): the clock stops, originals are returned."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        dossier.ended_at = ctx.at
        if dossier.paused_at is not None:
            from motcua.dossiers.services.processing import close_pause

            close_pause(dossier, ctx.at)
        return Step(reason=nfc(reason))

    return transition(
        dossier_id, Action.WITHDRAW, user, apply, expected_version=expected_version, at=at
    )
