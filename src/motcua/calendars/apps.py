from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Working calendars as data (see the package docstring)."""

    name = "motcua.calendars"
    label = "calendars"
    verbose_name = _("Working calendars")
