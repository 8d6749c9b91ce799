"""Restructuring as an operation: merge, split, rename, move, abolish — planned, previewed, applied.

restructuring.md §6: no agency row is renamed or deleted in place; a change closes versions the
day before the effective date and opens their successors, records who became whom (many-to-many),
moves the staff, and keeps every old code resolvable by date. Open dossiers are handed over by the
dossier layer (``dossiers.services.handover``), which calls ``apply_restructuring`` in its own
transaction so that agencies, staff and dossiers move together or not at all.

A plan is a list of moves ``{"from": agency id, "to": agency id}`` or ``{"from": id, "new": {…}}``
(a new agency version to open). Every agency that closes must be covered, children included: an
abolished district's divisions and one-stop unit need a successor too, so nothing is orphaned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.organizations.models import (
    Agency,
    AgencyKind,
    AgencyLevel,
    AgencySuccession,
    DataSource,
    Restructuring,
    RestructuringKind,
    RestructuringStatus,
    StaffAssignment,
)
from motcua.organizations.selectors import valid_on


@dataclass(frozen=True)
class NewAgency:
    """An agency version to open on the effective date."""

    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None = None
    unit_code: str | None = None
    short_name: str = ""
    address: str = ""


@dataclass
class Preview:
    """What applying a restructuring would do (shown before it is applied)."""

    closing: list[dict[str, Any]] = field(default_factory=list)
    opening: list[dict[str, Any]] = field(default_factory=list)
    successions: list[dict[str, Any]] = field(default_factory=list)
    staff: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _day_before(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=1)


def _plan(restructuring: Restructuring) -> list[dict[str, Any]]:
    moves = restructuring.plan.get("moves", [])
    assert isinstance(moves, list)
    return moves


@transaction.atomic
def plan_restructuring(
    *,
    name: str,
    kind: RestructuringKind | str,
    effective_date: dt.date,
    legal_basis: str,
    moves: Sequence[tuple[Agency, Agency | NewAgency]],
    actor: User | None = None,
) -> Restructuring:
    """Record a draft restructuring: each (closing agency, successor or new agency) pair."""
    if not nfc(legal_basis).strip():
        raise DomainError("basis_required", _("Give the legal basis (resolution or decision)."))
    if not moves:
        raise DomainError("moves_required", _("Say which agencies close and where they go."))
    plan = []
    for old, target in moves:
        if isinstance(target, NewAgency):
            plan.append({"from": old.pk, "new": asdict(target)})
        else:
            plan.append({"from": old.pk, "to": target.pk})
    restructuring = Restructuring.objects.create(
        name=nfc(name).strip(),
        kind=RestructuringKind(kind),
        effective_date=effective_date,
        legal_basis=nfc(legal_basis).strip(),
        plan={"moves": plan},
        created_by=actor,
    )
    return restructuring


def _children(agency_ids: Iterable[int], on: dt.date) -> list[Agency]:
    return list(Agency.objects.filter(valid_on(on), parent_id__in=list(agency_ids)))


def preview_restructuring(restructuring: Restructuring) -> Preview:
    """Closing and opening agencies, successions, staff moves and problems (nothing changes)."""
    preview = Preview()
    effective = restructuring.effective_date
    before = _day_before(effective)
    moves = _plan(restructuring)
    closing_ids = {m["from"] for m in moves}
    agencies = Agency.objects.in_bulk(
        [m["from"] for m in moves] + [m["to"] for m in moves if m.get("to")]
    )
    for move in moves:
        old = agencies.get(move["from"])
        if old is None:
            preview.problems.append(f"agency #{move['from']} does not exist")
            continue
        if not (old.valid_from <= before and (old.valid_to is None or old.valid_to >= before)):
            preview.problems.append(f"{old.name} ({old.code}) is not in force on {before:%d/%m/%Y}")
        preview.closing.append(
            {"id": old.pk, "code": old.code, "name": old.name, "valid_to": before.isoformat()}
        )
        if move.get("new"):
            new = move["new"]
            preview.opening.append({**new, "valid_from": effective.isoformat()})
            target_label = f"{new['name']} ({new['code']}, new)"
        else:
            target = agencies.get(move["to"])
            if target is None:
                preview.problems.append(f"successor #{move['to']} does not exist")
                continue
            if not (
                target.valid_from <= effective
                and (target.valid_to is None or target.valid_to >= effective)
            ):
                preview.problems.append(
                    f"successor {target.name} ({target.code}) is not in force on "
                    f"{effective:%d/%m/%Y}"
                )
            if target.pk in closing_ids:
                preview.problems.append(f"successor {target.name} is itself closing")
            target_label = f"{target.name} ({target.code})"
        preview.successions.append({"from": f"{old.name} ({old.code})", "to": target_label})
    for child in _children(closing_ids, before):
        if child.pk not in closing_ids:
            preview.problems.append(
                f"{child.name} ({child.code}) belongs to a closing agency but has no successor"
            )
    for assignment in StaffAssignment.objects.filter(
        valid_on(before), agency_id__in=closing_ids
    ).select_related("user", "agency"):
        preview.staff.append(
            {
                "user": assignment.user.username,
                "role": assignment.role,
                "from": assignment.agency.code,
            }
        )
    return preview


def _open(new: dict[str, Any], effective: dt.date) -> Agency:
    parent = (
        Agency.objects.filter(valid_on(effective), code=new["parent_code"]).first()
        if new.get("parent_code")
        else None
    )
    from motcua.organizations.models import AdministrativeUnit

    unit = (
        AdministrativeUnit.objects.filter(valid_on(effective), code=new["unit_code"]).first()
        if new.get("unit_code")
        else None
    )
    if Agency.objects.filter(code=new["code"], valid_from=effective).exists():
        raise DomainError(
            "agency_exists",
            _("An agency with code %(code)s already opens then."),
            {"code": new["code"]},
        )
    return Agency.objects.create(
        code=new["code"],
        name=nfc(new["name"]),
        short_name=nfc(new.get("short_name", "")),
        kind=AgencyKind(new["kind"]),
        level=AgencyLevel(new["level"]),
        parent=parent,
        administrative_unit=unit,
        address=nfc(new.get("address", "")),
        valid_from=effective,
        data_source=DataSource.IMPORTED,
    )


@transaction.atomic
def apply_restructuring(restructuring_id: int, actor: User | None) -> dict[int, int]:
    """Apply a previewed plan atomically; returns {closed agency id: successor id}.

    Refuses (nothing changes) when the preview lists problems or the plan was applied already.
    """
    restructuring = Restructuring.objects.select_for_update().get(pk=restructuring_id)
    if restructuring.status != RestructuringStatus.DRAFT:
        raise DomainError("already_applied", _("This restructuring was applied already."))
    preview = preview_restructuring(restructuring)
    if preview.problems:
        raise DomainError(
            "plan_has_problems",
            _("The plan has problems: %(problems)s"),
            {"problems": "; ".join(preview.problems)},
        )
    effective = restructuring.effective_date
    before = _day_before(effective)
    successor_of: dict[int, int] = {}
    for move in _plan(restructuring):
        old = Agency.objects.select_for_update().get(pk=move["from"])
        target = (
            _open(move["new"], effective) if move.get("new") else Agency.objects.get(pk=move["to"])
        )
        old.valid_to = before
        old.save(update_fields=["valid_to"])
        AgencySuccession.objects.create(
            predecessor=old,
            successor=target,
            effective_date=effective,
            kind=restructuring.kind,
            restructuring=restructuring,
        )
        successor_of[old.pk] = target.pk
    moved_staff = 0
    for assignment in StaffAssignment.objects.filter(
        valid_on(before), agency_id__in=list(successor_of)
    ):
        assignment.valid_to = before
        assignment.save(update_fields=["valid_to"])
        StaffAssignment.objects.get_or_create(
            user_id=assignment.user_id,
            agency_id=successor_of[assignment.agency_id],
            role=assignment.role,
            valid_from=effective,
            defaults={"title": assignment.title},
        )
        moved_staff += 1
    restructuring.status = RestructuringStatus.APPLIED
    restructuring.applied_by = actor
    restructuring.applied_at = timezone.now()
    restructuring.report = {
        "agencies_closed": len(successor_of),
        "agencies_opened": len(preview.opening),
        "staff_moved": moved_staff,
    }
    restructuring.save(update_fields=["status", "applied_by", "applied_at", "report"])
    return successor_of


def current_successor(agency: Agency, on: dt.date) -> Agency:
    """Follow succession records from ``agency`` to the version in force on ``on``."""
    current, seen = Agency.objects.get(pk=agency.pk), 0  # fresh: validity may have changed
    while not (current.valid_from <= on and (current.valid_to is None or current.valid_to >= on)):
        line = current.successions_out.select_related("successor").first()
        if line is None or seen > 20:
            return current
        current, seen = line.successor, seen + 1
    return current
