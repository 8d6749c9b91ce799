"""Restructuring with the dossiers in flight: agencies, staff and open dossiers move together.

restructuring.md §6.3 and NQ 190/2025/QH15 Art 5: the successor keeps processing without asking for
resubmission — the dossier keeps its code, reception date, due date and history; the hand-over is a
history event (T22) with no clock effect. One transaction for everything: a failure changes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from motcua.core import clock
from motcua.core.models import User
from motcua.dossiers.models import Dossier
from motcua.dossiers.services._core import Context, Step, transition
from motcua.dossiers.workflow import TERMINAL, Action, Status, Transition
from motcua.organizations.models import Agency, Restructuring
from motcua.organizations.restructuring import apply_restructuring


@dataclass
class HandoverPreview:
    """Open dossiers that would move: per closing agency, how many as receiving / competent."""

    receiving: Counter[int] = field(default_factory=Counter)
    competent: Counter[int] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.receiving.values()) + sum(self.competent.values())


def _open_dossiers_at(agency_ids: list[int]) -> Q:
    # Drafts are the applicant's, not yet the office's: they are not handed over (and cannot be).
    return (Q(receiving_office_id__in=agency_ids) | Q(competent_agency_id__in=agency_ids)) & ~Q(
        status__in=[s.value for s in TERMINAL] + [Status.DRAFT.value]
    )


def preview_handover(restructuring: Restructuring) -> HandoverPreview:
    """How many open dossiers each closing agency hands over (nothing changes)."""
    closing = [move["from"] for move in restructuring.plan.get("moves", [])]
    preview = HandoverPreview()
    for dossier in Dossier.objects.filter(_open_dossiers_at(closing)).only(
        "receiving_office_id", "competent_agency_id"
    ):
        if dossier.receiving_office_id in closing:
            preview.receiving[dossier.receiving_office_id] += 1
        if dossier.competent_agency_id in closing:
            preview.competent[dossier.competent_agency_id] += 1
    return preview


@transaction.atomic
def restructure(restructuring_id: int, actor: User | None) -> int:
    """Apply the restructuring and hand every open dossier to the successors; returns how many.

    The organisation's preview must be clean (``organizations.restructuring``); dossier codes never
    change (old codes stay resolvable through the agency versions and the dossier itself).
    """
    restructuring = Restructuring.objects.get(pk=restructuring_id)
    successor_of = apply_restructuring(restructuring_id, actor)
    agencies = Agency.objects.in_bulk(list(successor_of.values()))
    moved = 0
    at = clock.now()
    for dossier_id in Dossier.objects.filter(_open_dossiers_at(list(successor_of))).values_list(
        "pk", flat=True
    ):

        def apply(dossier: Dossier, _rule: Transition, _ctx: Context) -> Step:
            before = {
                "receiving_office": dossier.receiving_office_id,
                "competent_agency": dossier.competent_agency_id,
            }
            if dossier.receiving_office_id in successor_of:
                dossier.receiving_office = agencies[successor_of[dossier.receiving_office_id]]
            if dossier.competent_agency_id in successor_of:
                dossier.competent_agency = agencies[successor_of[dossier.competent_agency_id]]
            return Step(
                reason=f"{restructuring.name} ({restructuring.legal_basis})",
                data={
                    "restructuring": restructuring.pk,
                    "before": before,
                    "after": {
                        "receiving_office": dossier.receiving_office_id,
                        "competent_agency": dossier.competent_agency_id,
                    },
                    "by": actor.pk if actor else None,
                },
            )

        transition(dossier_id, Action.HAND_OVER, None, apply, at=at)
        moved += 1
    restructuring.refresh_from_db()
    restructuring.report = {**restructuring.report, "dossiers_handed_over": moved}
    restructuring.save(update_fields=["report"])
    return moved
