"""E-mail to the applicant at each step that matters, from the outbox (plain text and HTML).

``send_dossier_email`` handles ``dossier.changed`` (registered in ``config.apps``): received
(T2/T3), asked to complete before reception (T4), refused (T7), supplement requested (T10) and
received (T11), payment requested (T12), extended with an apology (T14), result ready (T18),
returned (T19, with the rating invitation), withdrawn or stopped, sent to another competent agency
(T22) — in Vietnamese (the applicant's language is not recorded). ``send_feedback_answer`` handles
``feedback.answered``; ``send_consultation_late`` handles ``dossier.consultation_late`` (to staff).

A handler that raises is retried by the outbox with backoff; no address, no e-mail. The message
text is built from the payload alone (this layer knows no dossier models).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

VN_TZ = dt.timezone(dt.timedelta(hours=7))


def _when(value: object) -> str:
    if not isinstance(value, str) or not value:
        return ""
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        return ""
    return f"{instant.astimezone(VN_TZ):%H:%M, %d/%m/%Y}"


def _ref(payload: Mapping[str, Any]) -> str:
    return str(payload.get("code") or payload.get("submission_ref") or "")


def _message(payload: Mapping[str, Any]) -> tuple[str, list[str]] | None:
    """(subject, paragraphs) for the step, or None when the step sends nothing."""
    action, ref = str(payload.get("action", "")), _ref(payload)
    procedure = str(payload.get("procedure_name", ""))
    office = str(payload.get("receiving_office", ""))
    due = _when(payload.get("due"))
    values = {"ref": ref, "procedure": procedure, "office": office, "due": due}
    missing = [str(item) for item in payload.get("missing") or []]
    reason = str(payload.get("reason") or "")
    match action:
        case "submit":
            return _("Your online application %(ref)s was sent") % values, [
                _("%(office)s has your application for “%(procedure)s”.") % values,
                _(
                    "An officer will check it; you will get the dossier code and the appointment "
                    "date by e-mail when it is received."
                ),
            ]
        case "receive" | "accept_online":
            return _("Dossier %(ref)s received — result due %(due)s") % values, [
                _("%(office)s received your dossier for “%(procedure)s”. Its code is %(ref)s.")
                % values,
                _("The result is due by %(due)s (counted in working days).") % values,
            ]
        case "request_completion":
            return _("Please complete your application %(ref)s") % values, [
                _("Before it can be received, your application needs:"),
                *missing,
                reason,
            ]
        case "refuse_intake":
            return _("Your application %(ref)s was not received") % values, [
                _("%(office)s could not receive your application, for this reason:") % values,
                reason,
            ]
        case "request_supplement":
            return _("Dossier %(ref)s: supplementary documents needed") % values, [
                _("To go on with your dossier, the agency needs these documents:"),
                *missing,
                reason,
                _(
                    "Send them once, all together, from “My dossiers”. The time limit starts "
                    "again from the day the complete documents arrive."
                ),
            ]
        case "receive_supplement":
            return _("Dossier %(ref)s: supplementary documents received") % values, [
                _("Your documents were received. The new appointment is %(due)s.") % values,
            ]
        case "request_payment":
            return _("Dossier %(ref)s: fees to pay") % values, [
                _(
                    "Fees or charges are due for your dossier; you can pay online from “My "
                    "dossiers” or at the office."
                ),
                reason,
            ]
        case "extend":
            return _("Dossier %(ref)s: new appointment %(due)s") % values, [
                _("We apologise: your dossier needs more time. The new appointment is %(due)s.")
                % values,
                reason,
            ]
        case "issue_result":
            return _("Dossier %(ref)s: the result is ready") % values, [
                _("The result of your dossier for “%(procedure)s” is ready.") % values,
                _(
                    "Collect it as you chose (electronic results can be downloaded from “My "
                    "dossiers”)."
                ),
            ]
        case "return_result":
            return _("Dossier %(ref)s: result returned — please rate the service") % values, [
                _("The result of your dossier was returned to you."),
                _("Please tell us how satisfied you are: it takes a minute, from “My dossiers”."),
            ]
        case "transfer_to_competent_office":
            agency = {"agency": str(payload.get("competent_agency", ""))}
            return _("Dossier %(ref)s sent to the competent agency") % values, [
                _("Your dossier was sent to %(agency)s, which decides it.") % agency,
                reason,
                _("The dossier code and the appointment (%(due)s) do not change.") % values,
            ]
        case "withdraw":
            return _("Dossier %(ref)s withdrawn") % values, [
                _("Your dossier was withdrawn at your request."),
            ]
        case "stop" | "refuse_after_appraisal":
            return _("Dossier %(ref)s: processing stopped") % values, [
                _("The agency stopped processing your dossier, for this reason:"),
                reason,
            ]
    return None


def _send(to: str, subject: str, paragraphs: list[str], link: str) -> None:
    context = {"subject": subject, "paragraphs": [p for p in paragraphs if p], "link": link}
    text = render_to_string("notifications/email/message.txt", context)
    html = render_to_string("notifications/email/message.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def send_dossier_email(payload: Mapping[str, Any]) -> None:
    """Outbox handler of ``dossier.changed``: tell the applicant what happened, by e-mail."""
    to = str(payload.get("applicant_email") or "").strip()
    if not to:
        return
    with translation.override("vi"):
        found = _message(payload)
        if found is None:
            return
        subject, paragraphs = found
        _send(to, subject, paragraphs, f"{settings.MOTCUA_SITE_URL}/ho-so-cua-toi/")


def send_feedback_answer(payload: Mapping[str, Any]) -> None:
    """Outbox handler of ``feedback.answered``: the answer, by e-mail."""
    to = str(payload.get("email") or "").strip()
    if not to:
        return
    with translation.override("vi"):
        subject = _("Answer to your feedback %(ref)s") % {"ref": payload.get("reference", "")}
        paragraphs = [
            _("Your feedback “%(subject)s” was answered:") % {"subject": payload.get("subject")},
            str(payload.get("answer", "")),
        ]
        _send(to, subject, paragraphs, f"{settings.MOTCUA_SITE_URL}/phan-anh-kien-nghi/")


def send_consultation_late(payload: Mapping[str, Any]) -> None:
    """Outbox handler of ``dossier.consultation_late``: tell the head of the one-stop office (or,
    without one, the lead agency's leaders) that a consulted agency missed its deadline."""
    recipients = [r for r in payload.get("recipients") or [] if str(r.get("email") or "").strip()]
    if not recipients:
        return
    with translation.override("vi"):
        values = {
            "code": payload.get("code") or "",
            "agency": payload.get("agency") or "",
            "lead": payload.get("lead_agency") or "",
            "deadline": _when(payload.get("deadline")),
        }
        subject = _("Dossier %(code)s: %(agency)s has not answered the consultation") % values
        paragraphs = [
            _(
                "%(lead)s asked %(agency)s for its opinion on dossier %(code)s, to answer by "
                "%(deadline)s; no answer has arrived."
            )
            % values,
            str(payload.get("task") or ""),
            _("Please follow up with the agency (NĐ 61/2018 Art 19.5)."),
        ]
        link = f"{settings.MOTCUA_SITE_URL}/can-bo/ho-so/{payload.get('dossier_id')}/"
        for recipient in recipients:
            _send(str(recipient["email"]).strip(), subject, paragraphs, link)
