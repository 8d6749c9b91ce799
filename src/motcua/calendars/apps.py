from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    """Working calendars as data (see the package docstring)."""

    name = "motcua.calendars"
    label = "calendars"
    verbose_name = _("Working calendars")

    def ready(self) -> None:
        """Reads memoised per process (core.refcache, ADR 0018) are dropped when these change."""
        from motcua.calendars.models import WorkingCalendar
        from motcua.core import refcache

        refcache.watch(WorkingCalendar)
