"""API tokens: how machines (the national portal connector, ministry systems) sign in.

A token belongs to a user (whose roles decide which dossiers it reaches) and carries scopes that
limit what it may call. Only a SHA-256 digest is stored; the token is shown once at creation.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    DOSSIERS_READ = "dossiers:read", _("Read dossiers")
    DOSSIERS_WRITE = "dossiers:write", _("Create and act on dossiers")


class ApiToken(models.Model):
    """A bearer token for the API."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: object, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
        """Create a token; returns it with the secret (shown once, never stored)."""
        secret = "mc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            digest=cls.digest_of(secret),
            prefix=secret[:8],
            scopes=sorted(set(scopes)),
        )
        return token, secret
