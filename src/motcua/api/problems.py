"""Errors as RFC 9457 problem details (application/problem+json) with a stable ``code``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from motcua.core.errors import DomainError

PROBLEM_TYPE = "https://motcua.readthedocs.io/problems/"

#: HTTP status of business errors whose meaning is not "bad input" (400).
STATUS_BY_CODE = {
    "not_found": 404,
    "not_permitted": 403,
    "missing_scope": 403,
    "stale": 409,
    "not_allowed": 409,
    "already_answered": 409,
    "not_your_consultation": 403,
    "idempotency_key_reused": 422,
}


def problem(
    api: NinjaAPI,
    request: HttpRequest,
    *,
    status: int,
    code: str,
    title: str,
    detail: str,
    **extra: Any,
) -> HttpResponse:
    """A problem-details response; ``code`` is for machines, ``detail`` for people (translated)."""
    body = {
        "type": PROBLEM_TYPE + code,
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = "application/problem+json"
    return response


def install(api: NinjaAPI) -> None:
    """Register the handlers that turn DomainError and validation errors into problem JSON."""

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
        status = STATUS_BY_CODE.get(error.code, 400)
        return problem(
            api,
            request,
            status=status,
            code=error.code,
            title=_("Request refused"),
            detail=str(error),
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        fields = [
            {"field": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg", "")}
            for e in error.errors
        ]
        return problem(
            api,
            request,
            status=422,
            code="invalid_input",
            title=_("Invalid input"),
            detail=_("Some parameters are missing or malformed."),
            errors=fields,
        )
