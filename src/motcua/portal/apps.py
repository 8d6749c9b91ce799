from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """The citizen-facing web UI (thin: parses, calls one service or selector, renders)."""

    name = "motcua.portal"
    label = "portal"
    verbose_name = _("Citizen portal")
