from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Administrative procedures (see the package docstring)."""

    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self) -> None:
        """Reads memoised per process (core.refcache, ADR 0018) are dropped when these change."""
        from motcua.catalog.models import (
            Procedure,
            ProcedureChannel,
            ProcedureOffer,
            ProcedureVersion,
            ProcessStep,
        )
        from motcua.core import refcache

        refcache.watch(Procedure, ProcedureVersion, ProcedureChannel, ProcedureOffer, ProcessStep)
