"""API authentication: bearer tokens (machines) or the signed-in session (browsers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.security import HttpBearer, django_auth

from motcua.api.models import ApiToken
from motcua.core import refcache
from motcua.core.errors import DomainError
from motcua.core.models import User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer mc_…``: the token's user acts, limited to the token's scopes."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        digest = ApiToken.digest_of(token)
        # Memoised per process (core.refcache): issuing or revoking a token, or changing its
        # user, reaches every process within about a second.
        found = refcache.cached("api-token", digest, lambda: _token_with_user(digest))
        if found is None or not found.user.is_active:
            return None
        now = timezone.now()
        last = max(filter(None, (found.last_used_at, _touched.get(found.pk))), default=None)
        if last is None or now - last > dt.timedelta(minutes=5):
            # Not on every call, and without signals (a use is not a change of the token).
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
            _touched[found.pk] = now
        return found


#: When this process last recorded each token's use (the memoised token keeps its old value).
_touched: dict[int, dt.datetime] = {}


def _token_with_user(digest: str) -> ApiToken | None:
    return (
        ApiToken.objects.filter(digest=digest, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )


AUTH = [TokenAuth(), django_auth]


def acting_user(request: HttpRequest, scope: str) -> User:
    """The user behind the request, refusing tokens without ``scope``."""
    auth: Any = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, ApiToken):
        if scope not in auth.scopes:
            raise DomainError(
                "missing_scope", _("This token lacks the scope “%(scope)s”."), {"scope": scope}
            )
        return auth.user
    assert isinstance(request.user, User)
    return request.user


def client_id(request: HttpRequest) -> str:
    """Who asks, for idempotency keys: the token, or the signed-in user."""
    auth: Any = request.auth  # type: ignore[attr-defined]
    if isinstance(auth, ApiToken):
        return f"token:{auth.pk}"
    return f"user:{request.user.pk}"
