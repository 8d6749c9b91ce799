from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Administrative procedures (see the package docstring)."""

    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")
