"""MotCua as an OpenID Connect relying party (mozilla-django-oidc, authorization-code flow + PKCE).

What this adds to the library:

- endpoints may be given as paths (the sandbox provider runs inside MotCua itself); they are
  resolved against the current request's origin for the server-to-server calls;
- the ID token's issuer and audience are checked (the library checks the signature and nonce);
- claims map to a MotCua account by (issuer, subject), never by e-mail: a new identity gets a new
  account; the name, phone and e-mail are refreshed at each sign-in; the citizen identity number
  and the VNeID verification claim are recorded on the ``IdentityLink``.

Claim names are configurable (``MOTCUA_OIDC_CLAIM_ID_NUMBER``, ``MOTCUA_OIDC_CLAIM_VNEID``),
because the national provider's claim set is not published (integrations.md §1.6: unknown).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from motcua.core import clock
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.integrations.models import IdentityLink

_TRUE = {True, "true", "1", "yes"}


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url) if url.startswith("/") else url


def _text(claims: dict[str, Any], name: str, limit: int) -> str:
    value = claims.get(name)
    return nfc(str(value)).strip()[:limit] if value not in (None, "") else ""


def claims_name(claims: dict[str, Any]) -> str:
    """The person's full name from standard claims (name, else family + middle + given)."""
    name = _text(claims, "name", 200)
    if name:
        return name
    parts = [_text(claims, key, 80) for key in ("family_name", "middle_name", "given_name")]
    return " ".join(p for p in parts if p)


def id_number_of(claims: dict[str, Any]) -> str:
    return "".join(
        ch for ch in _text(claims, settings.MOTCUA_OIDC_CLAIM_ID_NUMBER, 40) if ch.isalnum()
    )[:20]


def vneid_of(claims: dict[str, Any]) -> bool:
    return claims.get(settings.MOTCUA_OIDC_CLAIM_VNEID) in _TRUE


@transaction.atomic
def account_for_identity(issuer: str, claims: dict[str, Any]) -> User:
    """The MotCua account linked to (issuer, sub); a new citizen account on first sign-in.

    The account's name, phone and e-mail follow the provider; the link records the identity
    number, the VNeID flag and the last claims.
    """
    subject = str(claims.get("sub", "")).strip()
    if not subject:
        raise SuspiciousOperation("the provider sent no subject")
    link = (
        IdentityLink.objects.select_related("user")
        .select_for_update()
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if link is None:
        digest = hashlib.sha256(f"{issuer}|{subject}".encode()).hexdigest()[:16]
        user = User(username=f"oidc-{digest}")
        user.set_unusable_password()
        user.save()
        link = IdentityLink(user=user, issuer=issuer, subject=subject)
    user = link.user
    name, phone, email = (
        claims_name(claims),
        _text(claims, "phone_number", 20),
        _text(claims, "email", 254),
    )
    if name:
        user.full_name = name
    if phone:
        user.phone = phone
    if email:
        user.email = email
    user.save()
    link.id_number = id_number_of(claims) or link.id_number
    link.vneid_verified = vneid_of(claims)
    link.claims = {k: v for k, v in claims.items() if isinstance(v, str | int | bool)}
    link.last_login_at = clock.now()
    link.save()
    return user


class CitizenOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """Sign citizens in with the configured OpenID Connect provider."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or "code" not in request.GET or "state" not in request.GET:
            return None
        self.OIDC_OP_TOKEN_ENDPOINT = _absolute(request, settings.OIDC_OP_TOKEN_ENDPOINT)
        self.OIDC_OP_USER_ENDPOINT = _absolute(request, settings.OIDC_OP_USER_ENDPOINT)
        self.OIDC_OP_JWKS_ENDPOINT = _absolute(request, settings.OIDC_OP_JWKS_ENDPOINT)
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        expected = settings.MOTCUA_OIDC_ISSUER
        if expected and payload.get("iss") != expected:
            raise SuspiciousOperation("ID token from an unexpected issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token for another client")
        self._issuer = str(payload.get("iss", ""))
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(claims_name(claims))

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        claims: dict[str, Any] = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("userinfo is about another subject")
        if not self.verify_claims(claims):
            raise SuspiciousOperation("the provider sent no name")
        merged = {**payload, **claims}
        return account_for_identity(self._issuer, merged)
