from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API v1 (thin, task-shaped, OpenAPI-documented)."""

    name = "motcua.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        """Reads memoised per process (core.refcache, ADR 0018) are dropped when these change."""
        from motcua.api.models import ApiToken
        from motcua.core import refcache

        refcache.watch(ApiToken)
