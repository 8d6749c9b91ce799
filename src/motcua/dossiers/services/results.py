"""Results: issue (T18), return (T19), hand to the post (T20). NĐ 61/2018 Art 19–20."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.dossiers.services._core import Context, Step, transition
from motcua.dossiers.services.steps import advance
from motcua.dossiers.workflow import Action, Transition


def issue_result(
    dossier_id: int,
    user: User,
    *,
    results: list[str],
    note: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Sign and issue the result (T18): ends the processing time (the 766 end instant).

    Each result gets its electronic code ``<dossier code>-KQ<n>`` (NĐ 45/2020 Art 14.3; rendering
    of n: MotCua default). A result ready before the appointment needs the early-return notice
    (Art 20.4), which the outbox sends.
    """
    names = [nfc(name).strip() for name in results if name.strip()]
    if not names:
        raise DomainError("results_required", _("Name the result document(s)."))

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        codes = [f"{dossier.code}-KQ{dossier.result_count + i}" for i in range(1, len(names) + 1)]
        dossier.result_count += len(names)
        dossier.resolved_at = dossier.ended_at = ctx.at
        advance(dossier, ctx.at)
        early = dossier.due_current is not None and ctx.at < dossier.due_current
        return Step(
            reason=nfc(note),
            data={
                "results": [{"name": n, "code": c} for n, c in zip(names, codes, strict=True)],
                "early": early,
            },
        )

    return transition(
        dossier_id, Action.ISSUE_RESULT, user, apply, expected_version=expected_version, at=at
    )


def return_result(
    dossier_id: int,
    user: User | None,
    *,
    method: ResultDelivery | None = None,
    received_by: str = "",
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Hand the result to the applicant at the desk, by post or online (T19)."""

    def apply(dossier: Dossier, _rule: Transition, ctx: Context) -> Step:
        dossier.returned_at = ctx.at
        advance(dossier, ctx.at)
        how = method or ResultDelivery(dossier.result_delivery)
        return Step(data={"method": how.value, "received_by": nfc(received_by)})

    return transition(
        dossier_id, Action.RETURN_RESULT, user, apply, expected_version=expected_version, at=at
    )


def hand_to_post(
    dossier_id: int,
    user: User,
    *,
    tracking_code: str,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """Give the result to the postal service for delivery (T20)."""
    if not tracking_code.strip():
        raise DomainError("tracking_required", _("Enter the postal tracking code."))

    def apply(_dossier: Dossier, _rule: Transition, _ctx: Context) -> Step:
        return Step(data={"tracking_code": tracking_code.strip()})

    return transition(
        dossier_id, Action.HAND_TO_POST, user, apply, expected_version=expected_version, at=at
    )
