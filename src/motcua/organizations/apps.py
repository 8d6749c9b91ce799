from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Agencies tree (see the package docstring)."""

    name = "motcua.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        """Reads memoised per process (core.refcache, ADR 0018) are dropped when these change."""
        from motcua.core import refcache
        from motcua.organizations.models import Agency, StaffAssignment

        refcache.watch(Agency, StaffAssignment)
