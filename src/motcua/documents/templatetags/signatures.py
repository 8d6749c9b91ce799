"""``{% result_signature attachment %}``: what a result's digital signature check found, in words.

Used by the portal (the applicant's dossier page, the public result check) and the back office
(the dossier's files). For a stored file the report is the one recorded when it was stored
(``Attachment.signature_report``).
"""

from __future__ import annotations

from typing import Any

from django import template

from motcua.documents.models import Attachment, SignatureStatus
from motcua.documents.signing import SignatureInfo, SignatureReport

register = template.Library()

#: USWDS alert variant for each outcome.
_LEVEL = {
    SignatureStatus.VALID: "success",
    SignatureStatus.UNTRUSTED: "warning",
    SignatureStatus.INVALID: "error",
    SignatureStatus.UNSIGNED: "info",
    SignatureStatus.NOT_PDF: "info",
}


def _state(signature: SignatureInfo) -> str:
    if not signature.intact:
        return "broken"
    if not signature.whole_document:
        return "changed"
    if not signature.trusted:
        return "untrusted"
    return "valid"


@register.inclusion_tag("documents/signature_status.html")
def result_signature(checked: Attachment | SignatureReport) -> dict[str, Any]:
    """The signature line(s) of one result file (a stored attachment, or a report just made)."""
    if isinstance(checked, Attachment):
        if not checked.signature_status:
            return {"status": "", "level": "info", "signatures": []}
        report = SignatureReport.from_dict(checked.signature_report)
    else:
        report = checked
    status = report.status
    return {
        "status": status.value,
        "level": _LEVEL[status],
        "unreadable": bool(report.error),
        "signatures": [(s, _state(s)) for s in report.signatures],
    }
