"""Where a procedure may be received and for which competent agency (reception rules).

Read by the dossier intake: an office may receive a procedure when the province offers it there, or
anywhere when the offer is location-independent (NĐ 118/2025, secondary source). Procedures without
any offer are not restricted, so a province can configure the mapping gradually.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure, ProcedureOffer
from motcua.core import refcache
from motcua.core.errors import DomainError
from motcua.organizations.models import Agency, AgencyKind


def _in_force(on: dt.date) -> Q:
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


@dataclass(frozen=True)
class ReceptionRule:
    """Whether ``office`` may receive the procedure, and the competent agency the offer names."""

    allowed: bool
    competent_agency: Agency | None
    location_independent: bool
    offices: tuple[str, ...]  # names of the offices that do receive it (for the refusal message)


def reception_rule(procedure_code: str, office: Agency, on: dt.date) -> ReceptionRule:
    """The rule for receiving ``procedure_code`` at ``office`` on ``on`` (memoised per process,
    ``core.refcache``)."""
    code = procedure_code.strip()
    return refcache.cached(
        "reception-rule", (code, office.pk, on), lambda: _reception_rule(code, office, on)
    )


def _reception_rule(procedure_code: str, office: Agency, on: dt.date) -> ReceptionRule:
    offers = list(
        ProcedureOffer.objects.filter(_in_force(on), procedure__code=procedure_code.strip())
        .select_related("office", "competent_agency")
        .order_by("-location_independent", "id")
    )
    if not offers:
        return ReceptionRule(True, None, False, ())
    here = [offer for offer in offers if offer.office_id == office.pk]
    if here:
        return ReceptionRule(True, here[0].competent_agency, here[0].location_independent, ())
    anywhere = [offer for offer in offers if offer.location_independent]
    if anywhere:
        return ReceptionRule(True, anywhere[0].competent_agency, True, ())
    return ReceptionRule(False, None, False, tuple(sorted({o.office.name for o in offers})))


@transaction.atomic
def offer_procedure(
    procedure: Procedure,
    office: Agency,
    competent_agency: Agency,
    *,
    valid_from: dt.date,
    location_independent: bool = False,
) -> ProcedureOffer:
    """Let ``office`` receive ``procedure`` for ``competent_agency`` from ``valid_from``."""
    if office.kind not in AgencyKind.one_stop():
        raise DomainError(
            "not_a_receiving_office",
            _("%(office)s does not receive dossiers."),
            {"office": office.name},
        )
    offer, _created = ProcedureOffer.objects.update_or_create(
        procedure=procedure,
        office=office,
        competent_agency=competent_agency,
        valid_from=valid_from,
        defaults={"location_independent": location_independent},
    )
    return offer
