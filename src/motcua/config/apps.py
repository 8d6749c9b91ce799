from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConfigConfig(AppConfig):
    """Composition root (see the package docstring)."""

    name = "motcua.config"
    label = "config"
    verbose_name = _("Configuration")
