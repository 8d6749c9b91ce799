from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    """The staff web UI for one-stop officers, handlers, leaders and administrators (thin)."""

    name = "motcua.backoffice"
    label = "backoffice"
    verbose_name = _("Back office")
