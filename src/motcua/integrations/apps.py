from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    """One sub-package per outside system (see the package docstring)."""

    name = "motcua.integrations"
    label = "integrations"
    verbose_name = _("Integrations")
