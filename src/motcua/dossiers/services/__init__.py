"""Every change to a dossier, one business act per function (used by all interfaces)."""

from motcua.dossiers.services._core import NotFound, next_code, transition
from motcua.dossiers.services.consultation import (
    answer_consultation,
    consult_agencies,
    notify_late_consultations,
)
from motcua.dossiers.services.intake import (
    DossierInput,
    accept_online,
    receive_dossier,
    refuse_intake,
    request_completion,
    resubmit,
    submit_online,
    withdraw_dossier,
)
from motcua.dossiers.services.processing import (
    StopReason,
    assign_handler,
    confirm_payment,
    extend_deadline,
    forward_step,
    receive_supplement,
    refuse_after_appraisal,
    request_payment,
    request_supplement,
    stop_processing,
    transfer_dossier,
    transfer_to_competent_office,
)
from motcua.dossiers.services.results import hand_to_post, issue_result, return_result

__all__ = [
    "DossierInput",
    "NotFound",
    "StopReason",
    "accept_online",
    "answer_consultation",
    "assign_handler",
    "confirm_payment",
    "consult_agencies",
    "extend_deadline",
    "forward_step",
    "hand_to_post",
    "issue_result",
    "next_code",
    "notify_late_consultations",
    "receive_dossier",
    "receive_supplement",
    "refuse_after_appraisal",
    "refuse_intake",
    "request_completion",
    "request_payment",
    "request_supplement",
    "resubmit",
    "return_result",
    "stop_processing",
    "submit_online",
    "transfer_dossier",
    "transfer_to_competent_office",
    "transition",
    "withdraw_dossier",
]
