from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Statistics from the transition log, rollups, the Decision 766 index and exports."""

    name = "motcua.reports"
    label = "reports"
    verbose_name = _("Reports")
