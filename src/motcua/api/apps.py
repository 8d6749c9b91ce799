from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API v1 (thin, task-shaped, OpenAPI-documented)."""

    name = "motcua.api"
    label = "api"
    verbose_name = _("API")
