from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Tiny shared kernel (see the package docstring)."""

    name = "motcua.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        """Reads memoised per process (core.refcache, ADR 0018) are dropped when these change."""
        from motcua.core import refcache
        from motcua.core.models import User

        refcache.watch(User)
