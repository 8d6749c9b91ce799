"""What a dossier's state and history mean, in plain words for the applicant (display only)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.workflow import Action, Status

#: Where the dossier is, said to the person who applied.
STATUS_WORDS: dict[str, str | Promise] = {
    Status.DRAFT: _("Draft: not sent yet."),
    Status.SUBMITTED: _("Sent: waiting for an officer to check and receive it."),
    Status.RECEIVED: _("Received: the time limit is running."),
    Status.NOT_RECEIVED: _("Not received: see the reason below."),
    Status.IN_PROCESS: _("Being processed by the competent agency."),
    Status.AWAITING_SUPPLEMENT: _(
        "Waiting for you: send the supplementary documents asked for; the time limit is paused."
    ),
    Status.AWAITING_PAYMENT: _("Waiting for you: fees are due."),
    Status.WITHDRAWN: _("Withdrawn at your request."),
    Status.STOPPED: _("Processing stopped: see the reason below."),
    Status.RESOLVED: _("The result is ready."),
    Status.RETURNED: _("The result was returned to you."),
}

#: Status tags: which ones ask something of the applicant.
NEEDS_YOU = frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT})

#: One line per history entry, as the applicant reads it.
ACTION_WORDS: dict[str, str | Promise] = {
    Action.SUBMIT: _("You sent the application online."),
    Action.RECEIVE: _("The dossier was received at the desk."),
    Action.ACCEPT_ONLINE: _("An officer received your online application; the time limit started."),
    Action.REQUEST_COMPLETION: _("You were asked to complete the application."),
    Action.RESUBMIT: _("You sent the completed application."),
    Action.REFUSE_INTAKE: _("The application was not received."),
    Action.TRANSFER: _("The dossier went to the competent agency."),
    Action.ASSIGN: _("A civil servant was assigned to handle it."),
    Action.FORWARD_STEP: _("It moved to the next internal step."),
    Action.CONSULT: _("Another agency was asked for its opinion or its part."),
    Action.REQUEST_SUPPLEMENT: _("Supplementary documents were asked for; the time limit paused."),
    Action.RECEIVE_SUPPLEMENT: _(
        "Your supplementary documents were received; the time limit started again."
    ),
    Action.REQUEST_PAYMENT: _("Fees or charges were requested."),
    Action.CONFIRM_PAYMENT: _("Your payment was confirmed."),
    Action.EXTEND: _("The agency apologised and set a new appointment."),
    Action.REFUSE_AFTER_APPRAISAL: _("The request was refused after examination."),
    Action.STOP: _("Processing was stopped."),
    Action.WITHDRAW: _("The dossier was withdrawn."),
    Action.ISSUE_RESULT: _("The result was issued."),
    Action.RETURN_RESULT: _("The result was returned."),
    Action.HAND_TO_POST: _("The result was handed to the post."),
    Action.HAND_OVER: _("The dossier moved to the successor agency (reorganisation)."),
    Action.ANSWER_CONSULTATION: _("An agency that was consulted gave its answer."),
    Action.TRANSFER_TO_COMPETENT: _("The dossier was sent to the agency competent to decide it."),
}


def status_words(status: str) -> str:
    return str(STATUS_WORDS.get(status, Status(status).label))


def action_words(action: str) -> str:
    return str(ACTION_WORDS.get(action, Action(action).label))
