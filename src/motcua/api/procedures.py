"""Procedure catalogue endpoints: search the procedures in force, and read one by its code."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from motcua.catalog import presenters
from motcua.catalog.models import ProcedureChannel, ProcedureVersion
from motcua.catalog.selectors import MAX_LIMIT, procedure_in_force, search_procedures

router = Router(tags=["procedures"])

LevelParam = Literal["province", "commune", "ministry", "other"]


class ProcedureQuery(Schema):
    """Search parameters."""

    q: str = Field(
        "",
        max_length=200,
        description="Words of the name (diacritics optional: 'dang ky khai sinh') or a code "
        "prefix ('1.0011'). Empty: every procedure in force, alphabetically.",
    )
    field: int | None = Field(None, description="Field (lĩnh vực) id.")
    level: LevelParam | None = Field(None, description="Level that carries out the procedure.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


class TimeLimitOut(Schema):
    """A legal time limit."""

    amount: float | None = Field(description="Number, or null when the source gives none.")
    unit: str | None = Field(
        description="working_hours | working_days | calendar_days | months | same_day, or null."
    )
    text: str = Field(description="The limit in words, as published, when it is not a number.")
    display: str = Field(description="In plain language, e.g. '5 ngày làm việc'.")


class ProcedureSummaryOut(Schema):
    """A procedure in a search result."""

    code: str = Field(description="National code (mã TTHC), e.g. 1.001193.")
    name: str
    field: str
    field_id: int
    levels: list[str] = Field(description="province | commune | ministry | other.")
    time_limit: TimeLimitOut | None = Field(
        description="The in-person channel's limit (else the first channel's)."
    )
    online: bool = Field(description="Whether it can be submitted online.")
    online_level: str | None = Field(
        description="full | partial | information | level_1..level_4; null when not known."
    )
    version: int
    valid_from: dt.date


class ChannelOut(Schema):
    """A way of submission with its time limit and fee."""

    channel: str = Field(description="in_person | online | postal.")
    time_limit: TimeLimitOut
    fee: str = Field(description="In plain language, e.g. 'Miễn phí', '150.000 đồng'.")
    fee_text: str = Field(description="The fee as published.")
    fee_amount: int | None
    fee_currency: str
    fee_note: str
    description: str


class DocumentOut(Schema):
    """A document of the dossier."""

    group: str = Field(description="The case or group it belongs to ('' when none).")
    name: str
    originals: int | None
    copies: int | None


class LegalBasisOut(Schema):
    title: str = ""
    number: str = ""


class ResultOut(Schema):
    name: str = ""
    code: str = ""


class ProcedureDetailOut(ProcedureSummaryOut):
    """A procedure as in force today."""

    procedure_type: str
    applicants: list[str]
    implementing_agency: str
    competent_authority: str
    receiving_place: str
    channels: list[ChannelOut]
    documents: list[DocumentOut]
    steps: str
    conditions: str
    legal_basis: list[LegalBasisOut]
    results: list[ResultOut]
    source_url: str


def _time_limit(channel: ProcedureChannel) -> dict[str, object]:
    return {
        "amount": None if channel.amount is None else float(channel.amount),
        "unit": channel.unit,
        "text": channel.time_limit_text,
        "display": presenters.channel_time_limit(channel),
    }


def _summary(version: ProcedureVersion) -> dict[str, object]:
    channels = list(version.channels.all())
    main = presenters.main_channel(channels)
    assert version.valid_from is not None  # in force ⇒ published ⇒ has a start
    return {
        "code": version.procedure.code,
        "name": version.name,
        "field": version.field.name,
        "field_id": version.field_id,
        "levels": version.levels,
        "time_limit": _time_limit(main) if main is not None else None,
        "online": any(c.channel == "online" for c in channels),
        "online_level": version.online_level,
        "version": version.version,
        "valid_from": version.valid_from,
    }


@router.get("/procedures", response=list[ProcedureSummaryOut], summary="Search procedures")
def list_procedures(request: HttpRequest, query: Query[ProcedureQuery]) -> list[dict[str, object]]:
    """Procedures in force today, best match first: code match, then name starting with or
    containing the words, then all words, then most of them. Diacritics are optional."""
    versions = search_procedures(query.q, field=query.field, level=query.level, limit=query.limit)
    return [_summary(version) for version in versions]


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut},
    summary="Read a procedure",
)
def read_procedure(request: HttpRequest, code: str) -> dict[str, object]:
    """The version of procedure ``code`` in force today, with channels, documents and basis."""
    version = procedure_in_force(code)
    if version is None:
        raise Http404(f"No procedure {code} in force.")
    channels = list(version.channels.all())
    return {
        **_summary(version),
        "procedure_type": version.procedure_type,
        "applicants": version.applicants,
        "implementing_agency": version.implementing_agency,
        "competent_authority": version.competent_authority,
        "receiving_place": version.receiving_place,
        "channels": [
            {
                "channel": c.channel,
                "time_limit": _time_limit(c),
                "fee": presenters.fee_text(c),
                "fee_text": c.fee_text,
                "fee_amount": c.fee_amount,
                "fee_currency": c.fee_currency,
                "fee_note": c.fee_note,
                "description": c.description,
            }
            for c in channels
        ],
        "documents": [
            {"group": d.group, "name": d.name, "originals": d.originals, "copies": d.copies}
            for d in version.documents.all()
        ],
        "steps": version.steps,
        "conditions": version.conditions,
        "legal_basis": version.legal_basis,
        "results": version.results,
        "source_url": version.source_url,
    }
