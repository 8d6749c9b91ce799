from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Tiny shared kernel (see the package docstring)."""

    name = "motcua.core"
    label = "core"
    verbose_name = _("Core")
