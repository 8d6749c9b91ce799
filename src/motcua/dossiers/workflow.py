"""The dossier lifecycle as one table: states, actions, who may act, and the clock effect.

Scope: the legal lifecycle of NĐ 61/2018 Art 15–22 (confirmed: legal text, original wording), which
MotCua applies to both periods until the step-by-step articles of NĐ 118/2025 are read (domain
notes, lifecycle.md). The transitions T1–T23 of the domain notes map to the rows of ``TRANSITIONS``;
``services`` is the only code that moves a dossier, and it asks this table first.

Inter-agency consultation (T21) and its answers, and the transfer to the competent office (T22),
are actions on the same state: the per-agency task records (``ConsultationTask``) and the change of
competent agency live in the services. Known limits: the audited resets (T23) are not modelled yet.
State 8 (stopped) is terminal here (MotCua default; the 766 formula treats it as an end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """Where a dossier is in its life (national ``TrangThaiHoSo`` codes in ``NATIONAL_CODES``)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for reception")
    RECEIVED = "received", _("Received")
    NOT_RECEIVED = "not_received", _("Not received")
    IN_PROCESS = "in_process", _("Being processed")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("Waiting for supplementary documents")
    AWAITING_PAYMENT = "awaiting_payment", _("Waiting for payment")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    STOPPED = "stopped", _("Processing stopped")
    RESOLVED = "resolved", _("Result ready")
    RETURNED = "returned", _("Result returned")


#: National sync codes 1–10 (TrangThaiHoSo) — the one place they are defined (lifecycle.md §1,
#: secondary source: production system and the 766 formula description).
NATIONAL_CODES: Final[dict[Status, int]] = {
    Status.SUBMITTED: 1,
    Status.RECEIVED: 2,
    Status.NOT_RECEIVED: 3,
    Status.IN_PROCESS: 4,
    Status.AWAITING_SUPPLEMENT: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}

#: The national portal's strings for the codes (counter-intuitive but as production uses them).
NATIONAL_STRINGS: Final[dict[Status, str]] = {
    Status.SUBMITTED: "receiving",
    Status.RECEIVED: "new",
    Status.NOT_RECEIVED: "denied",
    Status.IN_PROCESS: "processing",
    Status.AWAITING_SUPPLEMENT: "waiting",
    Status.AWAITING_PAYMENT: "paying",
    Status.WITHDRAWN: "cancelled",
    Status.STOPPED: "unresolved",
    Status.RESOLVED: "releasing",
    Status.RETURNED: "done",
}

TERMINAL: Final = frozenset(
    {Status.NOT_RECEIVED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED}
)
#: States whose legal clock runs (overdue is derived from these).
CLOCK_RUNNING: Final = frozenset({Status.RECEIVED, Status.IN_PROCESS, Status.AWAITING_PAYMENT})


class Action(models.TextChoices):
    """What someone does to a dossier (imperative; audit code ``dossiers.dossier.<value>``)."""

    SUBMIT = "submit", _("Submit online")
    RECEIVE = "receive", _("Receive at the desk")
    ACCEPT_ONLINE = "accept_online", _("Accept an online dossier")
    REQUEST_COMPLETION = "request_completion", _("Ask to complete before reception")
    RESUBMIT = "resubmit", _("Resubmit the completed dossier")
    REFUSE_INTAKE = "refuse_intake", _("Refuse at intake")
    TRANSFER = "transfer", _("Transfer to the competent agency")
    ASSIGN = "assign", _("Assign a handler")
    FORWARD_STEP = "forward_step", _("Hand over to the next step")
    CONSULT = "consult", _("Send to another agency")
    REQUEST_SUPPLEMENT = "request_supplement", _("Request supplementary documents")
    RECEIVE_SUPPLEMENT = "receive_supplement", _("Receive the supplementary documents")
    REQUEST_PAYMENT = "request_payment", _("Request payment of fees")
    CONFIRM_PAYMENT = "confirm_payment", _("Confirm payment")
    EXTEND = "extend", _("Apologise and extend the time limit")
    REFUSE_AFTER_APPRAISAL = "refuse_after_appraisal", _("Refuse after appraisal")
    STOP = "stop", _("Stop processing")
    WITHDRAW = "withdraw", _("Withdraw")
    ISSUE_RESULT = "issue_result", _("Issue the result")
    RETURN_RESULT = "return_result", _("Return the result")
    HAND_TO_POST = "hand_to_post", _("Hand the result to the post")
    HAND_OVER = "hand_over", _("Hand over to the successor agency")
    ANSWER_CONSULTATION = "answer_consultation", _("Answer the consultation")
    TRANSFER_TO_COMPETENT = "transfer_to_competent_office", _("Send to another competent agency")


class Actor(models.TextChoices):
    """Who acts, in the domain notes' letters (A, O, H, L, C, CH, S), plus the staff of an agency
    asked for its opinion or part (T21: they answer their own agency's task, nothing else)."""

    APPLICANT = "applicant", _("Applicant")
    ONE_STOP = "one_stop", _("One-stop officer")
    HANDLER = "handler", _("Handler")
    LEADER = "leader", _("Leader")
    CLERK = "clerk", _("Clerk")
    CENTRE_HEAD = "centre_head", _("Centre head")
    CONSULTED = "consulted", _("Consulted agency")
    SYSTEM = "system", _("System")


class ClockEffect(models.TextChoices):
    """What an action does to the legal clock (calendar-and-deadlines.md §9.4, lifecycle.md §4)."""

    NONE = "none", _("No effect")
    START = "start", _("Starts the time limit")
    PAUSE = "pause", _("Pauses the time limit")
    RESTART = "restart", _("Restarts (or shifts) the time limit")
    EXTEND = "extend", _("Extends the appointment")
    END = "end", _("Ends processing time")
    STOP = "stop", _("Stops the time limit")


@dataclass(frozen=True)
class Transition:
    """One row of the table: from which states an action leads where, who may do it, its clock."""

    ref: str
    action: Action
    sources: frozenset[Status]
    target: Status
    actors: frozenset[Actor]
    clock: ClockEffect
    basis: str


def _t(
    ref: str,
    action: Action,
    sources: set[Status],
    target: Status,
    actors: set[Actor],
    clock: ClockEffect,
    basis: str,
) -> Transition:
    return Transition(ref, action, frozenset(sources), target, frozenset(actors), clock, basis)


S, A = Status, Actor
_OPEN_PROCESS = {S.IN_PROCESS}
_LIFECYCLE: Final[tuple[Transition, ...]] = (
    _t(
        "T1",
        Action.SUBMIT,
        {S.DRAFT},
        S.SUBMITTED,
        {A.APPLICANT, A.SYSTEM},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 16.3",
    ),
    _t(
        "T2",
        Action.RECEIVE,
        {S.DRAFT},
        S.RECEIVED,
        {A.ONE_STOP},
        ClockEffect.START,
        "NĐ 61/2018 Art 17.1.c, 17.3",
    ),
    _t(
        "T3",
        Action.ACCEPT_ONLINE,
        {S.SUBMITTED},
        S.RECEIVED,
        {A.ONE_STOP},
        ClockEffect.START,
        "NĐ 61/2018 Art 17.2",
    ),
    _t(
        "T4",
        Action.REQUEST_COMPLETION,
        {S.SUBMITTED},
        S.SUBMITTED,
        {A.ONE_STOP},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 15, 17.1.a, 17.2",
    ),
    _t(
        "T5",
        Action.RESUBMIT,
        {S.SUBMITTED},
        S.SUBMITTED,
        {A.APPLICANT, A.SYSTEM},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 17.2",
    ),
    _t(
        "T7",
        Action.REFUSE_INTAKE,
        {S.SUBMITTED},
        S.NOT_RECEIVED,
        {A.ONE_STOP},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 17.1.b, 17.2",
    ),
    _t(
        "T8",
        Action.TRANSFER,
        {S.RECEIVED},
        S.IN_PROCESS,
        {A.ONE_STOP, A.SYSTEM},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 18",
    ),
    _t(
        "T9a",
        Action.ASSIGN,
        _OPEN_PROCESS,
        S.IN_PROCESS,
        {A.LEADER},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 19.1",
    ),
    _t(
        "T9b",
        Action.FORWARD_STEP,
        _OPEN_PROCESS,
        S.IN_PROCESS,
        {A.HANDLER, A.LEADER, A.CLERK},
        ClockEffect.NONE,
        "TT 01/2018 Art 8",
    ),
    _t(
        "T21",
        Action.CONSULT,
        {S.RECEIVED, S.IN_PROCESS},
        S.IN_PROCESS,
        {A.ONE_STOP, A.HANDLER, A.LEADER},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 19.5–19.7",
    ),
    _t(
        "T10",
        Action.REQUEST_SUPPLEMENT,
        _OPEN_PROCESS,
        S.AWAITING_SUPPLEMENT,
        {A.HANDLER, A.LEADER, A.ONE_STOP},
        ClockEffect.PAUSE,
        "NĐ 61/2018 Art 19.4",
    ),
    _t(
        "T11",
        Action.RECEIVE_SUPPLEMENT,
        {S.AWAITING_SUPPLEMENT},
        S.IN_PROCESS,
        {A.ONE_STOP, A.HANDLER},
        ClockEffect.RESTART,
        "NĐ 61/2018 Art 19.4",
    ),
    _t(
        "T12",
        Action.REQUEST_PAYMENT,
        _OPEN_PROCESS,
        S.AWAITING_PAYMENT,
        {A.HANDLER, A.ONE_STOP},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 22",
    ),
    _t(
        "T13",
        Action.CONFIRM_PAYMENT,
        {S.AWAITING_PAYMENT},
        S.IN_PROCESS,
        {A.ONE_STOP, A.SYSTEM},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 22",
    ),
    _t(
        "T14",
        Action.EXTEND,
        _OPEN_PROCESS,
        S.IN_PROCESS,
        {A.LEADER},
        ClockEffect.EXTEND,
        "NĐ 61/2018 Art 19.9",
    ),
    _t(
        "T15",
        Action.REFUSE_AFTER_APPRAISAL,
        _OPEN_PROCESS,
        S.STOPPED,
        {A.LEADER},
        ClockEffect.END,
        "NĐ 61/2018 Art 19.8",
    ),
    _t(
        "T16",
        Action.STOP,
        {S.IN_PROCESS, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT},
        S.STOPPED,
        {A.LEADER},
        ClockEffect.STOP,
        "TT 03/2025 Mẫu 05",
    ),
    _t(
        "T17",
        Action.WITHDRAW,
        {S.SUBMITTED, S.RECEIVED, S.IN_PROCESS, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT},
        S.WITHDRAWN,
        {A.APPLICANT, A.ONE_STOP, A.LEADER},
        ClockEffect.STOP,
        "no article found (unconfirmed); national code 7",
    ),
    _t(
        "T18",
        Action.ISSUE_RESULT,
        _OPEN_PROCESS,
        S.RESOLVED,
        {A.LEADER, A.CLERK},
        ClockEffect.END,
        "NĐ 61/2018 Art 19–20",
    ),
    _t(
        "T19",
        Action.RETURN_RESULT,
        {S.RESOLVED},
        S.RETURNED,
        {A.ONE_STOP, A.SYSTEM},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 20",
    ),
    _t(
        "T20",
        Action.HAND_TO_POST,
        {S.RESOLVED},
        S.RESOLVED,
        {A.ONE_STOP},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 16, 20",
    ),
)

#: Restructuring (restructuring.md §6.3, NQ 190/2025 Art 5): an open dossier moves to the successor
#: agency with the same code, reception date, due date and history; its state does not change.
_OPEN: Final = (
    S.SUBMITTED,
    S.RECEIVED,
    S.IN_PROCESS,
    S.AWAITING_SUPPLEMENT,
    S.AWAITING_PAYMENT,
    S.RESOLVED,
)
_HAND_OVER: Final = tuple(
    _t(
        "R1",
        Action.HAND_OVER,
        {status},
        status,
        {A.SYSTEM},
        ClockEffect.NONE,
        "NQ 190/2025/QH15 Art 5; restructuring.md §6.3",
    )
    for status in _OPEN
)

#: A consulted agency answers its task (NĐ 61/2018 Art 19.5–19.6) while the dossier is still being
#: handled — also while it waits for the applicant (the pause concerns the applicant, not the
#: agencies). Once a result is issued or the dossier ends, an open task can no longer be answered.
ANSWERABLE: Final = frozenset({S.IN_PROCESS, S.AWAITING_SUPPLEMENT, S.AWAITING_PAYMENT})
_ANSWERS: Final = tuple(
    _t(
        "T21a",
        Action.ANSWER_CONSULTATION,
        {status},
        status,
        {A.CONSULTED},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 19.5–19.6",
    )
    for status in sorted(ANSWERABLE)
)

#: T22: the receiving one-stop office sends a dossier to the competent agency of another unit (it
#: was received for the wrong agency, or received location-independently; lifecycle.md §7). The
#: state, code, reception and appointment stay; the competent agency changes (NĐ 61/2018 Art 18).
_TO_COMPETENT: Final = tuple(
    _t(
        "T22",
        Action.TRANSFER_TO_COMPETENT,
        {status},
        status,
        {A.ONE_STOP},
        ClockEffect.NONE,
        "NĐ 61/2018 Art 18; NĐ 118/2025 Art 20 (secondary source); lifecycle.md §7",
    )
    for status in (S.RECEIVED, S.IN_PROCESS)
)
TRANSITIONS: Final[tuple[Transition, ...]] = _LIFECYCLE + _HAND_OVER + _ANSWERS + _TO_COMPETENT

_BY_KEY: Final = {(source, t.action): t for t in TRANSITIONS for source in t.sources}


def transition_for(status: Status | str, action: Action | str) -> Transition | None:
    """The row allowing ``action`` from ``status``, or None when the law does not allow it."""
    return _BY_KEY.get((Status(status), Action(action)))


def allowed_actions(status: Status | str) -> list[Action]:
    """Every action the table allows from ``status`` (before checking who asks)."""
    return [t.action for t in TRANSITIONS if Status(status) in t.sources]
