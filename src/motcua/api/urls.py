"""The REST API v1 (django-ninja): thin endpoints that call domain services and selectors."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status

from motcua.api import problems
from motcua.api.attachments import router as attachments_router
from motcua.api.calendar import router as calendar_router
from motcua.api.dossiers import router as dossiers_router
from motcua.api.procedures import router as procedures_router
from motcua.core.health import check_health

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description=(
        "Task-shaped API of MotCua, the electronic one-stop system for Vietnamese administrative "
        "procedures. Times are ISO 8601 with the +07:00 offset."
    ),
    urls_namespace="api",
)
problems.install(api)
api.add_router("/calendar", calendar_router)
api.add_router("", procedures_router)
api.add_router("", dossiers_router)
api.add_router("", attachments_router)


class HealthOut(Schema):
    """Service health."""

    ok: bool
    version: str
    database: str


@api.get("/health", response={200: HealthOut, 503: HealthOut}, tags=["operations"])
def health(request: HttpRequest) -> Status[HealthOut]:
    """Readiness probe: 200 when the database answers, 503 otherwise."""
    state = check_health()
    body = HealthOut(ok=state.ok, version=state.version, database=state.database)
    return Status(200 if state.ok else 503, body)
