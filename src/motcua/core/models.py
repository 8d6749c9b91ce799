"""Identity shared by every app: the user account (staff and citizens alike).

Roles, agencies and scopes are not here: they belong to ``organizations`` (staff assignments) and to
the applicant side of ``dossiers``. The account only says who someone is.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: a civil servant at a desk or agency, or a citizen on the portal."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    #: Saving only these does not change anything cached about the user (``core.refcache``).
    REFCACHE_IGNORED_FIELDS = frozenset({"last_login"})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        """The name shown in the UI: the full name when known, else the user name."""
        return self.full_name or self.get_full_name() or self.username


class ReferenceGeneration(models.Model):
    """One row: a number bumped whenever reference data changes (agencies, procedures, tokens…),
    so every process knows to drop its memo of them (``core.refcache``, ADR 0018)."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("reference data generation")
        verbose_name_plural = _("reference data generation")

    def __str__(self) -> str:
        return str(self.value)
