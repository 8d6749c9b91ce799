"""Processing at the competent agency: transfer (T8), transfer to another competent agency (T22),
assign and hand over (T9), supplement (T10, T11), payment (T12, T13), apology + extension (T14),
refusal (T15), stop (T16). NĐ 61/2018 Art 18–19, 22. Consultation (T21): ``consultation``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import (
    VN_TZ,
    CalendarError,
    CompiledCalendar,
    SupplementPolicy,
    check_extension,
    check_supplement_window,
    render_explanation,
    resume_after_supplement,
    transfer_due,
)
from motcua.calendars.messages import domain_error
from motcua.calendars.presenters import spoken
from motcua.calendars.selectors import compiled_calendar
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.dossiers.models import Channel, Dossier, DossierPause, PauseKind
from motcua.dossiers.services._core import (
    Context,
    Step,
    explain,
    transition,
)
from motcua.dossiers.services.consultation import CONSULTABLE_KINDS as COMPETENT_KINDS
from motcua.dossiers.services.steps import advance, restart_active
from motcua.dossiers.workflow import Action, Transition
from motcua.organizations.models import Agency, Role
from motcua.organizations.selectors import agency_family, assignments_of, calendar_of


def calendar_for(dossier: Dossier) -> CompiledCalendar:
    """The compiled calendar the dossier's time limit is counted by (its receiving office's)."""
    return compiled_calendar(calendar_of(dossier.receiving_office))


def close_pause(dossier: Dossier, at: dt.datetime) -> DossierPause | None:
    """End the open pause of ``dossier`` at ``at`` (returns it)."""
    pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    if pause is not None:
        pause.ended_at = at
        pause.save(update_fields=["ended_at"])
    dossier.paused_at = None
    return pause


def transfer_dossier(
    dossier_id: int,
    officer: User | None,
    *,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier to the competent agency (T8). Paper dossiers: the same working day, or the
    next working day's opening when received at or after 15:00 (NĐ 61/2018 Art 18); a late
    transfer is allowed and recorded as late."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        assert dossier.received_at is not None
        due = transfer_due(calendar_for(dossier), dossier.received_at)
        dossier.transferred_at = ctx.at
        advance(dossier, ctx.at)
        return Step(
            data={
                "to_agency": dossier.competent_agency_id,
                "transfer_due": due.due_at.isoformat(),
                "late": ctx.at > due.due_at,
            }
        )

    return transition(
        dossier_id, Action.TRANSFER, officer, apply, expected_version=expected_version, at=at
    )


#: Channels whose dossier has paper originals that must follow a transfer (Art 18).
PAPER_CHANNELS = frozenset({Channel.COUNTER, Channel.POST})


def transfer_to_competent_office(
    dossier_id: int,
    officer: User,
    *,
    agency: Agency,
    reason: str,
    paper_sent_at: dt.datetime | None = None,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Send the dossier to the competent agency of another unit (T22, NĐ 61/2018 Art 18): it was
    received for the wrong agency, or received here although another unit decides it
    (location-independent reception, lifecycle.md §7).

    The receiving office stays the receiving unit (its code, its "received" statistics, the return
    of the result); the clock keeps running from the original reception (no due date changes); the
    state stays (received, or in process — then at the new agency, waiting for a handler). Paper
    originals follow under the 15:00 rule, counted from this transfer: ``paper_due`` is recorded,
    with ``paper_sent_at`` when the officer says they left (late when after ``paper_due``).
    """
    text = nfc(reason).strip()
    if not text:
        raise DomainError("reason_required", _("Say why the dossier goes to another agency."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        on = ctx.at.astimezone(VN_TZ).date()
        in_force = agency.valid_from <= on and (agency.valid_to is None or agency.valid_to >= on)
        if agency.kind not in COMPETENT_KINDS or not in_force:
            raise DomainError(
                "not_a_competent_agency",
                _("%(agency)s does not decide procedures: choose the competent agency."),
                {"agency": agency.name},
            )
        if agency.pk == dossier.competent_agency_id:
            raise DomainError(
                "same_agency",
                _("The dossier is already with %(agency)s."),
                {"agency": agency.name},
            )
        before = {
            "competent_agency": dossier.competent_agency_id,
            "receiving_office": dossier.receiving_office_id,
        }
        data: dict[str, object] = {
            "to_agency": agency.pk,
            "before": before,
            "after": {**before, "competent_agency": agency.pk},
            "previous_handler": dossier.handler_id,
            "paper": dossier.channel in PAPER_CHANNELS,
        }
        if dossier.channel in PAPER_CHANNELS:
            due = transfer_due(calendar_for(dossier), ctx.at).due_at
            data["paper_due"] = due.isoformat()
            if paper_sent_at is not None:
                data["paper_sent_at"] = paper_sent_at.isoformat()
                data["late"] = paper_sent_at > due
        dossier.competent_agency = agency
        dossier.handler = None  # the new agency's leader assigns its own handler (Art 19.1)
        return Step(reason=text, data=data)

    return transition(
        dossier_id,
        Action.TRANSFER_TO_COMPETENT,
        officer,
        apply,
        expected_version=expected_version,
        at=at,
    )


def assign_handler(
    dossier_id: int,
    leader: User,
    *,
    handler: User,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The agency's leader assigns a handler (T9, NĐ 61/2018 Art 19.1)."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        family = agency_family({dossier.competent_agency_id})
        on = ctx.at.date()
        if not any(
            a.role == Role.HANDLER and a.agency_id in family for a in assignments_of(handler, on)
        ):
            raise DomainError(
                "not_a_handler",
                _("%(name)s is not a handler of the competent agency."),
                {"name": handler.display_name},
            )
        previous = dossier.handler_id
        dossier.handler = handler
        return Step(reason=nfc(note), data={"handler": handler.pk, "previous": previous})

    return transition(
        dossier_id, Action.ASSIGN, leader, apply, expected_version=expected_version, at=at
    )


def forward_step(
    dossier_id: int,
    user: User,
    *,
    step: str,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the dossier over to the next internal step (T9; one control-slip row)."""
    if not step.strip():
        raise DomainError("step_required", _("Name the step the dossier goes to."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        finished = advance(dossier, ctx.at)
        return Step(
            reason=nfc(note),
            data={
                "step": nfc(step).strip(),
                "finished_steps": [
                    {"name": s.name, "late_minutes": s.late_minutes} for s in finished
                ],
            },
        )

    return transition(
        dossier_id, Action.FORWARD_STEP, user, apply, expected_version=expected_version, at=at
    )


def request_supplement(
    dossier_id: int,
    user: User,
    *,
    missing: list[str],
    reason: str,
    override: bool = False,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask the applicant for missing documents (T10, Mẫu 02): pauses the clock.

    NĐ 61/2018 Art 19.4: within 3 working days of reception, and once (Art 15). Outside the window
    or a second time only with ``override`` (a leader's decision with a reason); the history flags
    it, and a second request counts the dossier late in the national 766 measure.
    """
    items = [nfc(item).strip() for item in missing if item.strip()]
    if not items:
        raise DomainError("missing_required", _("List the documents the applicant must add."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        assert dossier.received_at is not None
        window = check_supplement_window(
            calendar_for(dossier), received_at=dossier.received_at, requested_at=ctx.at
        )
        flags = {}
        if not window.allowed:
            if not override:
                raise DomainError(
                    "supplement_window_closed",
                    _(
                        "Supplements must be requested within 3 working days of reception "
                        "(until %(until)s)."
                    ),
                    {"until": spoken(window.window_ends_at)},
                )
            flags["outside_window"] = True
        if dossier.supplement_count >= 1:
            if not override:
                raise DomainError(
                    "supplement_already_requested",
                    _("A supplement was already requested; the law allows one complete request."),
                )
            flags["counts_late_766"] = True
        if override and not reason.strip():
            raise DomainError("reason_required", _("An exception needs a reason."))
        dossier.supplement_count += 1
        dossier.paused_at = ctx.at
        DossierPause.objects.create(dossier=dossier, kind=PauseKind.SUPPLEMENT, started_at=ctx.at)
        return Step(reason=nfc(reason), data={"missing": items, **flags})

    return transition(
        dossier_id, Action.REQUEST_SUPPLEMENT, user, apply, expected_version=expected_version, at=at
    )


def receive_supplement(
    dossier_id: int,
    user: User,
    *,
    policy: SupplementPolicy = SupplementPolicy.RESTART_PER_DECREE,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The complete supplement arrived (T11): the time limit restarts from now (Art 19.4) — or,
    under the ``shift`` policy, the appointment moves by the working time spent waiting."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        pause = close_pause(dossier, ctx.at)
        assert pause is not None
        assert dossier.due_legal is not None
        if dossier.time_limit_amount is None:
            return Step(data={"policy": policy.value})
        try:
            result = resume_after_supplement(
                calendar_for(dossier),
                due_legal=dossier.due_legal,
                asked_at=pause.started_at,
                resumed_at=ctx.at,
                amount=Decimal(dossier.time_limit_amount),
                unit=dossier.time_limit_unit,
                policy=policy,
            )
        except CalendarError as error:
            raise domain_error(error) from error
        dossier.due_legal = dossier.due_current = result.due_at
        if result.policy == SupplementPolicy.RESTART_PER_DECREE:
            restart_active(dossier, ctx.at)
        dossier.due_explanation = {
            "vi": render_explanation(result.explanation, "vi"),
            "en": render_explanation(result.explanation, "en"),
        }
        return Step(
            data={
                "policy": result.policy.value,
                "paused_working_minutes": result.paused_working_minutes,
            }
        )

    return transition(
        dossier_id, Action.RECEIVE_SUPPLEMENT, user, apply, expected_version=expected_version, at=at
    )


def request_payment(
    dossier_id: int,
    user: User,
    *,
    amount: int,
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Ask for fees or other financial obligations (T12). The clock keeps running (§5.6 default)."""
    if amount <= 0:
        raise DomainError("amount_required", _("Enter the amount to pay (VND)."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        DossierPause.objects.create(
            dossier=dossier, kind=PauseKind.PAYMENT, started_at=ctx.at, clock_paused=False
        )
        return Step(reason=nfc(note), data={"amount": amount})

    return transition(
        dossier_id, Action.REQUEST_PAYMENT, user, apply, expected_version=expected_version, at=at
    )


def confirm_payment(
    dossier_id: int,
    user: User | None,
    *,
    paid_online: bool = False,
    receipt: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The fees are paid (T13): back to processing."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        close_pause(dossier, ctx.at)
        dossier.paid_online = dossier.paid_online or paid_online
        return Step(data={"paid_online": paid_online, "receipt": receipt})

    return transition(
        dossier_id, Action.CONFIRM_PAYMENT, user, apply, expected_version=expected_version, at=at
    )


def extend_deadline(
    dossier_id: int,
    leader: User,
    *,
    new_due: dt.datetime,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Apologise and set a new appointment (T14, Mẫu 04): once, at least one working day before
    the due date, to a later date (NĐ 61/2018 Art 19.9). The legal due date is kept for
    statistics ("late with apology")."""
    if not reason.strip():
        raise DomainError("reason_required", _("Give the reason for the delay."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        if dossier.due_current is None:
            raise DomainError("no_due_date", _("This dossier has no appointment to extend."))
        try:
            check = check_extension(
                calendar_for(dossier),
                due_current=dossier.due_current,
                new_due=new_due,
                apology_at=ctx.at,
                previous_extensions=dossier.extension_count,
            )
        except CalendarError as error:
            raise domain_error(error) from error
        if not check.allowed:
            messages = {
                "already_extended": _(
                    "The time limit was already extended once; the law allows only one extension."
                ),
                "not_later": _("The new appointment must be later than the current one."),
                "apology_too_late": _(
                    "The apology must be issued at least one working day "
                    "before the appointment (by %(latest)s)."
                ),
            }
            code = check.problems[0]
            raise DomainError(
                code,
                messages.get(code, _("The extension is not allowed.")),
                {"latest": f"{check.latest_apology_date:%d/%m/%Y}"}
                if code == "apology_too_late"
                else None,
            )
        before = dossier.due_current
        dossier.due_current = new_due
        dossier.extension_count += 1
        explanation = dict(dossier.due_explanation or {})
        explanation["extension"] = [spoken(before), spoken(new_due)]
        dossier.due_explanation = explanation
        return Step(reason=nfc(reason), data={"previous_due": before.isoformat()})

    return transition(
        dossier_id, Action.EXTEND, leader, apply, expected_version=expected_version, at=at
    )


def refuse_after_appraisal(
    dossier_id: int,
    leader: User,
    *,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Refuse an ineligible dossier with a letter (T15, Art 19.8): within the time limit — a later
    refusal is recorded and counted late."""
    if not reason.strip():
        raise DomainError("reason_required", _("Give the reasons for refusing."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        dossier.ended_at = ctx.at
        late = dossier.due_legal is not None and ctx.at > dossier.due_legal
        return Step(reason=nfc(reason), data={"late": late})

    return transition(
        dossier_id,
        Action.REFUSE_AFTER_APPRAISAL,
        leader,
        apply,
        expected_version=expected_version,
        at=at,
    )


class StopReason:
    """Grounds for stopping (configurable list; the legal grounds are not yet read, §5.9)."""

    NO_SUPPLEMENT = "no_supplement"
    APPLICANT_REQUEST = "applicant_request"
    SPECIALISED_LAW = "specialised_law"
    OTHER = "other"
    ALL = (NO_SUPPLEMENT, APPLICANT_REQUEST, SPECIALISED_LAW, OTHER)


def stop_processing(
    dossier_id: int,
    leader: User,
    *,
    reason_code: str,
    reason: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Stop processing with a reason and a signer (T16, TT 03/2025 Mẫu 05)."""
    if reason_code not in StopReason.ALL:
        raise DomainError("unknown_reason", _("Choose a reason for stopping."))
    if not reason.strip():
        raise DomainError("reason_required", _("Explain why processing stops."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        dossier.ended_at = ctx.at
        if dossier.paused_at is not None or dossier.pauses.filter(ended_at__isnull=True).exists():
            close_pause(dossier, ctx.at)
        return Step(reason=nfc(reason), data={"reason_code": reason_code})

    return transition(
        dossier_id, Action.STOP, leader, apply, expected_version=expected_version, at=at
    )


__all__ = [
    "StopReason",
    "assign_handler",
    "calendar_for",
    "close_pause",
    "confirm_payment",
    "explain",
    "extend_deadline",
    "forward_step",
    "receive_supplement",
    "refuse_after_appraisal",
    "request_payment",
    "request_supplement",
    "stop_processing",
    "transfer_dossier",
    "transfer_to_competent_office",
]
