"""Reads of the procedure catalogue: what is in force on a date, search, one procedure's content.

"In force on a date" = a published version whose validity covers the date; drafts, retired
versions and versions published for a later date are never shown to the public.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from motcua.catalog.data import (
    ChannelData,
    DocumentData,
    DocumentGroupData,
    LegalBasisData,
    ProcedureData,
    ResultData,
    canonical_amount,
)
from motcua.catalog.models import (
    DocumentRequirement,
    Field,
    Level,
    Procedure,
    ProcedureChannel,
    ProcedureVersion,
    ProcessStep,
    VersionStatus,
)
from motcua.catalog.ranking import (
    PARTIAL_WHEN_FEWER,
    Query,
    Tier,
    fts5_expression,
    parse_query,
    rank,
)
from motcua.catalog.search_index import fts_match_ids_sql, uses_fts5
from motcua.core import refcache
from motcua.core.clock import today
from motcua.core.pagination import PageNumbers

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def _in_force(on: dt.date) -> Q:
    return Q(status=VersionStatus.PUBLISHED, valid_from__lte=on) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )


def versions_in_force(
    on: dt.date | None = None, *, field: int | None = None, level: str | None = None
) -> QuerySet[ProcedureVersion]:
    """Published procedure versions in force on ``on`` (default today), optionally filtered."""
    versions = ProcedureVersion.objects.filter(_in_force(on or today()))
    if field is not None:
        versions = versions.filter(field_id=field)
    if level is not None:
        # levels is a JSON list of values; the quoted value cannot occur inside another value.
        versions = versions.filter(levels__icontains=f'"{Level(level).value}"')
    return versions


def _with_summary(versions: QuerySet[ProcedureVersion]) -> QuerySet[ProcedureVersion]:
    return versions.select_related("procedure", "field").prefetch_related(
        Prefetch("channels", queryset=ProcedureChannel.objects.order_by("order"))
    )


def _candidates(
    query: Query, versions: QuerySet[ProcedureVersion], *, partial: bool = False
) -> QuerySet[ProcedureVersion]:
    """Narrow to a superset of the matches using the database's index (ADR 0009)."""
    if query.code is not None:
        condition = Q(code__startswith=query.code)
        if uses_fts5():
            # SQLite's LIKE cannot use the code's index; the same range (binary collation) can.
            condition &= Q(code__gte=query.code, code__lt=query.code + "~")
        if "." not in query.code:
            condition |= Q(code__contains="." + query.code)
        # A subquery, so the planner starts from the few codes, not from every version in force.
        return versions.filter(procedure__in=Procedure.objects.filter(condition).values("id"))
    if uses_fts5():
        sql, params = fts_match_ids_sql(fts5_expression(query, partial=partial))
        return versions.filter(id__in=RawSQL(sql, params))  # noqa: S611 - parameters bound
    # PostgreSQL: substring tests served by the trigram GIN index; rank() keeps word prefixes.
    condition = Q()
    for words in query.word_sets(partial=partial):
        together = Q()
        for word in words:
            together &= Q(search_text__contains=word)
        condition |= together
    return versions.filter(condition)


def _ranked(
    query: Query, candidates: QuerySet[ProcedureVersion], *, partial: bool = False
) -> list[int]:
    """The matches among ``candidates`` (full ones only unless ``partial``), best first."""
    rows = candidates.order_by().values_list(  # ranked here: no need for the database to sort
        "id", "procedure__code", "name_folded", "search_text"
    )
    worst = Tier.PARTIAL if partial else Tier.ALL_WORDS
    keyed = []
    for version_id, code, name, search_text in rows:
        key = rank(query, code, name, search_text)
        # The candidates are a superset that differs by database; rank() alone decides.
        if key is not None and key[0] <= worst:
            keyed.append((key, version_id))
    keyed.sort()
    return [version_id for _key, version_id in keyed]


def ranked_version_ids(
    q: str,
    *,
    field: int | None = None,
    level: str | None = None,
    on: dt.date | None = None,
) -> list[int]:
    """Ids of the versions in force that match ``q``, best first (see ``catalog.ranking``)."""
    query = parse_query(q)
    if query.is_empty:
        return []
    versions = versions_in_force(on, field=field, level=level)
    ids = _ranked(query, _candidates(query, versions))
    if query.can_match_partly and len(ids) < PARTIAL_WHEN_FEWER:
        ids = _ranked(query, _candidates(query, versions, partial=True), partial=True)
    return ids


def _load_in_order(ids: list[int]) -> list[ProcedureVersion]:
    found = _with_summary(ProcedureVersion.objects.filter(id__in=ids)).in_bulk()
    return [found[i] for i in ids if i in found]


def search_procedures(
    q: str,
    *,
    field: int | None = None,
    level: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
    on: dt.date | None = None,
) -> list[ProcedureVersion]:
    """Procedures in force matching ``q`` — with or without diacritics, or by code — best first.

    An empty ``q`` lists everything in force (filtered), in alphabetical order of the name.
    Each result comes with its procedure, field and channels loaded.
    """
    limit = max(0, min(limit, MAX_LIMIT))
    if not q.strip():
        browse = versions_in_force(on, field=field, level=level).order_by("name_folded", "id")
        return list(_with_summary(browse)[offset : offset + limit])
    ids = ranked_version_ids(q, field=field, level=level, on=on)
    return _load_in_order(ids[offset : offset + limit])


@dataclass(frozen=True)
class CataloguePage(PageNumbers):
    """One page of the public catalogue list."""

    versions: list[ProcedureVersion]
    total: int
    number: int
    per_page: int


def catalogue_page(
    q: str = "",
    *,
    field: int | None = None,
    level: str | None = None,
    page: int = 1,
    per_page: int = DEFAULT_LIMIT,
    on: dt.date | None = None,
) -> CataloguePage:
    """A page of the public catalogue: search results (ranked) or the alphabetical list."""
    if q.strip():
        ids = ranked_version_ids(q, field=field, level=level, on=on)
        total = len(ids)
        number = min(max(1, page), max(1, -(-total // per_page)))
        start = (number - 1) * per_page
        versions = _load_in_order(ids[start : start + per_page])
    else:
        browse = versions_in_force(on, field=field, level=level)
        total = browse.count()
        number = min(max(1, page), max(1, -(-total // per_page)))
        start = (number - 1) * per_page
        versions = list(
            _with_summary(browse.order_by("name_folded", "id"))[start : start + per_page]
        )
    return CataloguePage(versions=versions, total=total, number=number, per_page=per_page)


def catalogue_fields(on: dt.date | None = None) -> list[Field]:
    """Fields having procedures in force, alphabetically, each with ``procedure_count``."""
    return list(
        Field.objects.annotate(
            procedure_count=Count(
                "versions", filter=Q(versions__in=versions_in_force(on).values("id"))
            )
        )
        .filter(procedure_count__gt=0)
        .order_by("name")
    )


def procedure_in_force(code: str, on: dt.date | None = None) -> ProcedureVersion | None:
    """The version of procedure ``code`` in force on ``on``, with everything the detail shows."""
    return (
        versions_in_force(on)
        .filter(procedure__code=code.strip())
        .select_related("procedure", "field")
        .prefetch_related(
            Prefetch("channels", queryset=ProcedureChannel.objects.order_by("order")),
            Prefetch("documents", queryset=DocumentRequirement.objects.order_by("order")),
            Prefetch("process_steps", queryset=ProcessStep.objects.order_by("order")),
        )
        .first()
    )


def procedure_history(code: str) -> list[ProcedureVersion]:
    """All versions of procedure ``code`` that were ever published, newest first."""
    return list(
        ProcedureVersion.objects.filter(procedure__code=code)
        .exclude(status=VersionStatus.DRAFT)
        .order_by("-version")
    )


def latest_versions() -> QuerySet[ProcedureVersion]:
    """The newest version of every procedure (a draft if one is open): what an import compares
    with, hence what an export writes."""
    return ProcedureVersion.objects.order_by("procedure_id").filter(
        version=RawSQL(
            "SELECT max(v2.version) FROM catalog_procedureversion v2 "
            "WHERE v2.procedure_id = catalog_procedureversion.procedure_id",
            [],
        )
    )


def version_content(version: ProcedureVersion) -> ProcedureData:
    """The content of a saved version as canonical data (the inverse of writing it)."""
    channels = sorted(version.channels.all(), key=lambda c: c.order)
    documents = sorted(version.documents.all(), key=lambda d: d.order)
    groups: list[DocumentGroupData] = []
    current: list[DocumentData] = []
    current_group: tuple[int, str] | None = None
    for doc in documents:
        key = (doc.group_order, doc.group)
        if current_group is not None and key != current_group:
            groups.append(DocumentGroupData(case=current_group[1], documents=tuple(current)))
            current = []
        current_group = key
        current.append(
            DocumentData(
                name=doc.name,
                originals=doc.originals,
                copies=doc.copies,
                has_template_file=doc.has_template_file,
            )
        )
    if current_group is not None:
        groups.append(DocumentGroupData(case=current_group[1], documents=tuple(current)))
    return ProcedureData(
        code=version.procedure.code,
        name=version.name,
        field=version.field.name,
        levels=tuple(version.levels),
        procedure_type=version.procedure_type,
        announcing_decision=version.announcing_decision,
        applicants=tuple(version.applicants),
        competent_authority=version.competent_authority,
        implementing_agency=version.implementing_agency,
        coordinating_agency=version.coordinating_agency,
        delegated_agency=version.delegated_agency,
        receiving_place=version.receiving_place,
        channels=tuple(
            ChannelData(
                channel=c.channel,
                amount=None if c.amount is None else canonical_amount(Decimal(c.amount)),
                unit=c.unit,
                time_limit_text=c.time_limit_text,
                fee_text=c.fee_text,
                fee_amount=c.fee_amount,
                fee_currency=c.fee_currency,
                fee_note=c.fee_note,
                description=c.description,
            )
            for c in channels
        ),
        steps=version.steps,
        document_groups=tuple(groups),
        conditions=version.conditions,
        legal_basis=tuple(
            LegalBasisData(title=item.get("title", ""), number=item.get("number", ""))
            for item in version.legal_basis
        ),
        results=tuple(
            ResultData(name=item.get("name", ""), code=item.get("code", ""))
            for item in version.results
        ),
        related_procedures_text=version.related_procedures_text,
        online_level=version.online_level,
        source_list=version.source_list,
        source_url=version.source_url,
    )


def version_for_intake(code: str, on: dt.date) -> ProcedureVersion | None:
    """The version of ``code`` in force on ``on`` with its channels only (dossier reception).

    Memoised per process (``core.refcache``): callers must not change what it returns."""
    code = code.strip()
    return refcache.cached(
        "version-for-intake",
        (code, on),
        lambda: (
            versions_in_force(on)
            .filter(procedure__code=code)
            .select_related("procedure")
            .prefetch_related("channels")
            .first()
        ),
    )


def process_template(version_id: int) -> tuple[ProcessStep, ...]:
    """The internal process of a version, in order (memoised per process, ``core.refcache``;
    every dossier received copies it)."""
    return refcache.cached(
        "process-template",
        version_id,
        lambda: tuple(ProcessStep.objects.filter(version_id=version_id).order_by("order")),
    )


#: What a dossier shows of its procedure version (name, version, the procedure's code).
_VERSION_SUMMARY_FIELDS = ("id", "name", "version", "procedure_id", "procedure__code")


def version_summary(pk: int) -> ProcedureVersion:
    """The procedure version ``pk`` with its name, number and procedure code only (memoised per
    process, ``core.refcache``; a version's name does not change once published)."""
    return refcache.cached(
        "version-summary",
        pk,
        lambda: (
            ProcedureVersion.objects.select_related("procedure")
            .only(*_VERSION_SUMMARY_FIELDS)
            .get(pk=pk)
        ),
    )
