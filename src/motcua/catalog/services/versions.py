"""Writes of procedures and their versions: the version workflow.

draft ──publish_version(v, valid_from)──► published ──retire_version(v, valid_to)──► retired
  ▲                                           │
  └────────── create_new_version(procedure) ◄─┘   (copies the newest version as a draft)

A published version is immutable: a dossier may have pinned it (domain README, rule 10). Every
function refuses to change one, except to close its validity when a successor is published or the
procedure is retired. Each function keeps the derived columns (folded name, search text, content
fingerprint) and the search index in step, in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.catalog.data import ProcedureData
from motcua.catalog.models import (
    DocumentRequirement,
    Field,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    ProcessStep,
    VersionStatus,
)
from motcua.catalog.process import Issue, Severity, StepBudget, check_step_budgets
from motcua.catalog.ranking import search_form
from motcua.catalog.search_index import refresh_search_index
from motcua.catalog.selectors import version_content
from motcua.core import clock, refcache
from motcua.core.errors import DomainError
from motcua.core.text import nfc
from motcua.organizations.models import Role


def _refuse_unless_draft(version: ProcedureVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise DomainError(
            "catalog.version_not_editable",
            _(
                "Version %(version)s of procedure %(code)s is %(status)s and cannot be changed; "
                "create a new version instead."
            ),
            {
                "version": version.version,
                "code": version.procedure.code,
                "status": version.get_status_display(),
            },
        )


def field_named(name: str, fields: dict[str, Field] | None = None) -> Field:
    """The open field (lĩnh vực) called ``name``, created when new; ``fields`` is a name cache."""
    name = nfc(name).strip()
    if fields is not None and name in fields:
        return fields[name]
    found, _created = Field.objects.get_or_create(name=name, valid_to=None)
    if fields is not None:
        fields[name] = found
    return found


def _derive(version: ProcedureVersion, data: ProcedureData) -> None:
    # Stored in the ranking's search form (ADR 0009) so a search only compares substrings.
    version.name_folded = search_form(version.name)
    version.search_text = " ".join(
        part
        for part in (version.name_folded, search_form(data.code), search_form(version.field.name))
        if part
    )
    version.content_hash = data.digest()


def _apply(version: ProcedureVersion, data: ProcedureData, field: Field) -> None:
    """Copy ``data`` onto the version's own columns (children are written separately)."""
    version.name = data.name
    version.field = field
    version.levels = list(data.levels)
    version.procedure_type = data.procedure_type
    version.announcing_decision = data.announcing_decision
    version.applicants = list(data.applicants)
    version.competent_authority = data.competent_authority
    version.implementing_agency = data.implementing_agency
    version.coordinating_agency = data.coordinating_agency
    version.delegated_agency = data.delegated_agency
    version.receiving_place = data.receiving_place
    version.steps = data.steps
    version.conditions = data.conditions
    version.legal_basis = [
        {k: v for k, v in (("title", b.title), ("number", b.number)) if v} for b in data.legal_basis
    ]
    version.results = [
        {k: v for k, v in (("name", r.name), ("code", r.code)) if v} for r in data.results
    ]
    version.related_procedures_text = data.related_procedures_text
    version.online_level = data.online_level
    version.source_list = data.source_list
    version.source_url = data.source_url
    _derive(version, data)


def _write_children(version: ProcedureVersion, data: ProcedureData) -> None:
    ProcedureChannel.objects.bulk_create(
        ProcedureChannel(
            version=version,
            order=order,
            channel=c.channel,
            amount=c.amount,
            unit=c.unit,
            time_limit_text=c.time_limit_text,
            fee_text=c.fee_text,
            fee_amount=c.fee_amount,
            fee_currency=c.fee_currency,
            fee_note=c.fee_note,
            description=c.description,
        )
        for order, c in enumerate(data.channels)
    )
    documents: list[DocumentRequirement] = []
    for group_order, group in enumerate(data.document_groups):
        for doc in group.documents:
            documents.append(
                DocumentRequirement(
                    version=version,
                    group_order=group_order,
                    group=group.case,
                    order=len(documents),
                    name=doc.name,
                    originals=doc.originals,
                    copies=doc.copies,
                    has_template_file=doc.has_template_file,
                )
            )
    DocumentRequirement.objects.bulk_create(documents)


@transaction.atomic
def create_procedure(
    data: ProcedureData, *, fields: dict[str, Field] | None = None
) -> ProcedureVersion:
    """Register a new procedure (its national code) with ``data`` as draft version 1."""
    procedure = Procedure.objects.create(code=data.code)
    version = ProcedureVersion(procedure=procedure, version=1, status=VersionStatus.DRAFT)
    _apply(version, data, field_named(data.field, fields))
    version.save()
    _write_children(version, data)
    refresh_search_index([version.id])
    return version


@transaction.atomic
def update_draft(
    version: ProcedureVersion, data: ProcedureData, *, fields: dict[str, Field] | None = None
) -> ProcedureVersion:
    """Replace a draft's content with ``data`` (its process steps are kept)."""
    _refuse_unless_draft(version)
    if data.code != version.procedure.code:
        raise DomainError(
            "catalog.code_mismatch",
            _("The content is for procedure %(given)s, not %(code)s."),
            {"given": data.code, "code": version.procedure.code},
        )
    _apply(version, data, field_named(data.field, fields))
    version.save()
    version.channels.all().delete()
    version.documents.all().delete()
    _write_children(version, data)
    refresh_search_index([version.id])
    return version


@transaction.atomic
def refresh_draft(version: ProcedureVersion) -> ProcedureVersion:
    """Recompute a draft's derived columns and index after its rows were edited (admin)."""
    _refuse_unless_draft(version)
    version.refresh_from_db()
    _derive(version, version_content(version))
    version.save(update_fields=["name_folded", "search_text", "content_hash", "updated_at"])
    refresh_search_index([version.id])
    return version


@transaction.atomic
def create_new_version(
    procedure: Procedure,
    data: ProcedureData | None = None,
    *,
    fields: dict[str, Field] | None = None,
) -> ProcedureVersion:
    """Open a draft copy of the procedure's newest version (number + 1), to amend and publish.

    With ``data`` the draft takes that content instead; the process steps are always copied.
    Refused while another draft of the procedure is open.
    """
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    latest = procedure.versions.select_related("field").order_by("-version").first()
    if latest is None:
        raise DomainError(
            "catalog.no_version",
            _("Procedure %(code)s has no version to copy."),
            {"code": procedure.code},
        )
    if latest.status == VersionStatus.DRAFT:
        raise DomainError(
            "catalog.draft_exists",
            _("Procedure %(code)s already has a draft (version %(version)s)."),
            {"code": procedure.code, "version": latest.version},
        )
    steps = list(latest.process_steps.all())
    content = data or version_content(latest)
    draft = ProcedureVersion(
        procedure=procedure, version=latest.version + 1, status=VersionStatus.DRAFT
    )
    _apply(draft, content, field_named(content.field, fields) if data else latest.field)
    draft.save()
    _write_children(draft, content)
    for step in steps:
        step.pk = None
        step.version = draft
    ProcessStep.objects.bulk_create(steps)
    refresh_search_index([draft.id])
    return draft


@dataclass(frozen=True)
class StepData:
    """One step of an internal process as configured."""

    name: str
    role: Role
    budget_amount: Decimal
    budget_unit: str
    agency: str = ""
    parallel_group: int | None = None


@transaction.atomic
def set_process_steps(version: ProcedureVersion, steps: Sequence[StepData]) -> list[ProcessStep]:
    """Replace a draft's internal process with ``steps`` (in order)."""
    _refuse_unless_draft(version)
    version.process_steps.all().delete()
    refcache.invalidate()  # bulk_create sends no signal
    return ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            order=order,
            name=nfc(step.name).strip(),
            role=step.role,
            agency=nfc(step.agency).strip(),
            budget_amount=step.budget_amount,
            budget_unit=step.budget_unit,
            parallel_group=step.parallel_group,
        )
        for order, step in enumerate(steps, start=1)
    )


def _legal_limit(version: ProcedureVersion) -> tuple[Decimal | None, str | None]:
    """The limit a process must fit: the in-person channel's, else the longest one given."""
    channels = list(version.channels.all())
    for channel in channels:
        if channel.channel == "in_person" and channel.unit:
            return channel.amount, channel.unit
    with_unit = [c for c in channels if c.unit]
    if not with_unit:
        return None, None
    longest = max(with_unit, key=lambda c: c.amount or Decimal(0))
    return longest.amount, longest.unit


def validate_process(version: ProcedureVersion) -> list[Issue]:
    """Check the version's step budgets against its legal limit (errors block publication)."""
    steps = [
        StepBudget(
            order=step.order,
            amount=step.budget_amount,
            unit=step.budget_unit,
            parallel_group=step.parallel_group,
        )
        for step in version.process_steps.all()
    ]
    amount, unit = _legal_limit(version)
    return check_step_budgets(steps, amount, unit)


@transaction.atomic
def publish_version(
    version: ProcedureVersion, valid_from: dt.date, *, allow_warnings: bool = True
) -> ProcedureVersion:
    """Publish a draft from ``valid_from``: it becomes immutable and the version in force from
    that date; the previously published version is closed the day before.

    Refused when the process budgets exceed the legal limit (or fall short, unless
    ``allow_warnings``), or when ``valid_from`` is not after the start of the version it replaces.
    """
    version = (
        ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    )
    _refuse_unless_draft(version)
    issues = validate_process(version)
    errors = [issue for issue in issues if issue.severity == Severity.ERROR]
    if errors or (issues and not allow_warnings):
        first = (errors or issues)[0]
        raise DomainError(first.code, first.message, first.params)
    previous = (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure=version.procedure, status=VersionStatus.PUBLISHED, valid_to__isnull=True)
        .first()
    )
    if previous is not None:
        assert previous.valid_from is not None  # published versions always have a start
        if valid_from <= previous.valid_from:
            raise DomainError(
                "catalog.publication_date_too_early",
                _(
                    "Version %(version)s of %(code)s is in force from %(start)s; a new version "
                    "must start later."
                ),
                {
                    "version": previous.version,
                    "code": version.procedure.code,
                    "start": previous.valid_from.strftime("%d/%m/%Y"),
                },
            )
        previous.valid_to = valid_from - dt.timedelta(days=1)
        previous.save(update_fields=["valid_to", "updated_at"])
    version.status = VersionStatus.PUBLISHED
    version.valid_from = valid_from
    version.published_at = clock.now()
    version.save(update_fields=["status", "valid_from", "published_at", "updated_at"])
    return version


@transaction.atomic
def retire_version(version: ProcedureVersion, valid_to: dt.date) -> ProcedureVersion:
    """Withdraw a published procedure with no successor (bãi bỏ): in force until ``valid_to``."""
    version = (
        ProcedureVersion.objects.select_for_update().select_related("procedure").get(pk=version.pk)
    )
    if version.status != VersionStatus.PUBLISHED or version.valid_to is not None:
        raise DomainError(
            "catalog.not_in_force",
            _("Only the published version without an end date can be retired."),
        )
    assert version.valid_from is not None
    if valid_to < version.valid_from:
        raise DomainError(
            "catalog.retirement_date_too_early",
            _("A version cannot end before it starts (%(start)s)."),
            {"start": version.valid_from.strftime("%d/%m/%Y")},
        )
    version.status = VersionStatus.RETIRED
    version.valid_to = valid_to
    version.save(update_fields=["status", "valid_to", "updated_at"])
    return version


@transaction.atomic
def discard_draft(version: ProcedureVersion) -> None:
    """Delete a draft (never a published version); a procedure left without versions goes too."""
    _refuse_unless_draft(version)
    procedure = version.procedure
    version_id = version.id
    version.delete()
    refresh_search_index([version_id])
    if not procedure.versions.exists():
        procedure.delete()
