"""Public status lookup by dossier code (anyone holding the receipt): what the law says the
applicant must be able to see (TT 22/2019 Art 4), and nothing more.

A second factor — the last four digits of the applicant's phone (or of the ID number when no phone
was given) — prevents enumerating codes; "no such dossier" and "wrong digits" give the same answer.
Officers' names are not shown, only agencies; the applicant's name is masked.
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import LOOKUP_FIELDS, with_references
from motcua.dossiers.workflow import Action, Status
from motcua.organizations.selectors import agency_by_id


@dataclass(frozen=True)
class PublicStep:
    at: dt.datetime
    action: str
    status: str
    agency: str


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure: str
    applicant: str
    status: str
    status_value: str
    received_at: dt.datetime | None
    due_current: dt.datetime | None
    due_explanation: list[str]
    receiving_office: str
    competent_agency: str
    steps: list[PublicStep]


def mask_name(name: str) -> str:
    """'Nguyễn Thị Lan' → 'Nguyễn T** L**' (family name kept, initials of the rest)."""
    parts = name.split()
    if len(parts) <= 1:
        return name[:1] + "**"
    return " ".join([parts[0], *(p[:1] + "**" for p in parts[1:])])


def _last_digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())[-4:]


def public_status(code: str, digits: str, *, language: str = "vi") -> PublicStatus | None:
    """The public view of the dossier ``code`` if ``digits`` match; None otherwise."""
    # One indexed row, no join: names come from the reference memo (ADR 0018).
    found = list(
        Dossier.objects.filter(code=code.strip().upper()).only(
            *LOOKUP_FIELDS, "applicant_phone", "applicant_id_number", "due_explanation"
        )[:1]
    )
    dossier = with_references(found[0]) if found else None
    expected = ""
    if dossier is not None:
        expected = _last_digits(dossier.applicant_phone) or _last_digits(
            dossier.applicant_id_number
        )
    given = _last_digits(digits)
    # Compare in constant time, and do the same work whether or not the dossier exists.
    matches = hmac.compare_digest(expected.encode() or b"-", given.encode() or b"+")
    if dossier is None or len(given) != 4 or not matches:
        return None
    explanation = dossier.due_explanation or {}
    steps = [
        PublicStep(
            t.at,
            str(Action(t.action).label),
            str(Status(t.to_status).label),
            agency_by_id(t.actor_agency_id).name if t.actor_agency_id else "",
        )
        for t in dossier.transitions.only(
            "at", "action", "to_status", "actor_agency_id", "dossier_id"
        ).order_by("seq")
    ]
    return PublicStatus(
        code=dossier.code or "",
        procedure=dossier.procedure_version.name,
        applicant=mask_name(dossier.applicant_name),
        status=str(Status(dossier.status).label),
        status_value=dossier.status,
        received_at=dossier.received_at,
        due_current=dossier.due_current,
        due_explanation=list(explanation.get(language, []))
        if isinstance(explanation, dict)
        else [],
        receiving_office=dossier.receiving_office.name,
        competent_agency=dossier.competent_agency.name,
        steps=steps,
    )
