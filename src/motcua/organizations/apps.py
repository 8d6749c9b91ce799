from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    """Agencies tree (see the package docstring)."""

    name = "motcua.organizations"
    label = "organizations"
    verbose_name = _("Organisations")
