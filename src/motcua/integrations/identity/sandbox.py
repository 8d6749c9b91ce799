"""A local OpenID Connect provider standing in for the national SSO / VNeID (development, tests).

Built on django-oauth-toolkit as a real OIDC provider: authorization-code flow with PKCE, RS256
ID tokens signed with a key kept under the data folder, a userinfo endpoint, JWKS and discovery.
MotCua's portal talks to it exactly as to the real provider (``identity.oidc``), through real
browser redirects and server-to-server token calls.

The provider keeps its own sign-in apart from the portal's: it remembers which sandbox identity
signed in under its own session key, and presents that identity as the resource owner only to
its own authorization endpoint — signing in at the provider never signs anyone in to the portal.
Mounted under ``/idp-thu-nghiem/`` only when ``MOTCUA_TEST_IDP`` is on.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import get_application_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.views import (
    AuthorizationView,
    ConnectDiscoveryInfoView,
    JwksInfoView,
    TokenView,
    UserInfoView,
)

from motcua.core import clock
from motcua.core.forms import StyledForm
from motcua.core.models import User
from motcua.core.ratelimit import allow, client_address
from motcua.integrations.models import SandboxIdentity

CLIENT_ID = "motcua-portal"
CLIENT_SECRET = "motcua-sandbox-client-secret-not-for-production"  # noqa: S105
PASSWORD = "motcua-demo"  # noqa: S105 - the demo password, printed by `motcua demo`
SESSION_KEY = "motcua_sandbox_idp_user"
CALLBACK_PATH = "/dang-nhap/vneid/callback/"
SCOPES = {
    "openid": "OpenID Connect",
    "profile": "Họ và tên",
    "email": "Thư điện tử",
    "phone": "Số điện thoại",
    "vneid": "Số định danh cá nhân và trạng thái xác thực VNeID",
}


@dataclass(frozen=True)
class Person:
    subject: str
    id_number: str
    full_name: str
    phone: str
    email: str
    vneid_verified: bool


#: Fictional people (any resemblance is coincidental). Identity numbers use the 12-digit CCCD
#: layout with province code 091 (Kiên Giang, now An Giang).
PEOPLE = (
    Person("vneid-8f3a1c", "091190000101", "Lê Thị Mai", "0912000101", "mai@example.vn", True),
    Person("vneid-2b7d94", "091185000102", "Phạm Văn Hùng", "0912000102", "hung@example.vn", True),
    Person("sso-5e61aa", "091201000103", "Đặng Minh Khoa", "0912000103", "", False),
)


@transaction.atomic
def ensure_sandbox() -> None:
    """Create the sandbox identities and the portal's client registration when missing."""
    for person in PEOPLE:
        if SandboxIdentity.objects.filter(subject=person.subject).exists():
            continue
        user, _created = User.objects.get_or_create(username=f"idp-thu-nghiem.{person.id_number}")
        user.full_name = person.full_name
        user.set_unusable_password()  # never signs in anywhere but at this provider
        user.save()
        SandboxIdentity.objects.create(
            user=user,
            subject=person.subject,
            id_number=person.id_number,
            full_name=person.full_name,
            phone=person.phone,
            email=person.email,
            vneid_verified=person.vneid_verified,
        )
    application_model = get_application_model()
    if not application_model.objects.filter(client_id=CLIENT_ID).exists():
        site = settings.MOTCUA_SITE_URL
        redirects = {
            f"{site}{CALLBACK_PATH}",
            f"http://127.0.0.1:8000{CALLBACK_PATH}",
            f"http://localhost:8000{CALLBACK_PATH}",
            f"http://testserver{CALLBACK_PATH}",  # Django's test client
        }
        application_model.objects.create(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            name="MotCua — Cổng dịch vụ công (thử nghiệm)",
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(sorted(redirects)),
            algorithm=application_model.RS256_ALGORITHM,
            skip_authorization=True,
        )


class SandboxValidator(OAuth2Validator):  # type: ignore[misc]
    """Claims of the sandbox identity: standard ones plus the identity number and VNeID flag."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "national_id": "vneid",
        "vneid_verified": "vneid",
    }

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        identity = SandboxIdentity.objects.filter(user_id=request.user.pk).first()
        if identity is None:
            return {}
        claims: dict[str, Any] = {
            "sub": identity.subject,
            "name": identity.full_name,
            "family_name": identity.full_name.split(" ")[0],
            "given_name": identity.full_name.split(" ")[-1],
            "national_id": identity.id_number,
            "vneid_verified": identity.vneid_verified,
        }
        if identity.phone:
            claims["phone_number"] = identity.phone
        if identity.email:
            claims["email"] = identity.email
        return claims


def _provider_user(request: HttpRequest) -> User | AnonymousUser:
    user_id = request.session.get(SESSION_KEY)
    if not isinstance(user_id, int):
        return AnonymousUser()
    user = User.objects.filter(pk=user_id, sandbox_identity__isnull=False).first()
    return user or AnonymousUser()


class SignInForm(StyledForm):
    id_number = forms.CharField(
        label=_("Personal identification number"),
        max_length=12,
        help_text=_("12 digits, as on the citizen identity card."),
    )
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, max_length=128)


def sign_in(request: HttpRequest) -> HttpResponse:
    """The provider's own sign-in page (identity number + password)."""
    ensure_sandbox()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        if not allow(f"sandbox-idp:{client_address(request)}", limit=20, window_seconds=600):
            error = str(_("Too many attempts. Wait ten minutes and try again."))
        else:
            identity = (
                SandboxIdentity.objects.select_related("user")
                .filter(id_number=form.cleaned_data["id_number"].strip())
                .first()
            )
            password_ok = hmac.compare_digest(
                form.cleaned_data["password"].encode(), PASSWORD.encode()
            )
            if identity is not None and password_ok:
                request.session[SESSION_KEY] = identity.user.pk
                identity.user.last_login = clock.now()
                identity.user.save(update_fields=["last_login"])
                return HttpResponseRedirect(next_url or reverse_lazy("sandbox_idp:signed_in"))
            error = str(_("The identification number or the password is wrong."))
    return render(
        request,
        "integrations/sandbox_idp_sign_in.html",
        {"form": form, "next": next_url, "error": error, "people": PEOPLE, "password": PASSWORD},
        status=400 if error else 200,
    )


def signed_in(request: HttpRequest) -> HttpResponse:
    """Landing page of the provider itself (reached without a relying party)."""
    return render(
        request, "integrations/sandbox_idp_sign_in.html", {"who": _provider_user(request)}
    )


class SandboxAuthorizationView(AuthorizationView):  # type: ignore[misc]
    """The authorization endpoint, with the provider's own signed-in identity as resource owner."""

    login_url = reverse_lazy("sandbox_idp:sign_in")

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.MOTCUA_TEST_IDP:
            raise Http404
        ensure_sandbox()
        request.user = _provider_user(request)
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


#: Mounted by ``config.urls`` (when ``MOTCUA_TEST_IDP`` is on): the provider's pages under the
#: ``sandbox_idp`` namespace, its OAuth/OIDC endpoints under ``oauth2_provider`` (the namespace
#: django-oauth-toolkit reverses, e.g. in the discovery document).
sign_in_urls = (
    [
        path("", sign_in, name="sign_in"),
        path("da-dang-nhap/", signed_in, name="signed_in"),
    ],
    "sandbox_idp",
)
oauth_urls = (
    [
        path("authorize/", SandboxAuthorizationView.as_view(), name="authorize"),
        path("token/", TokenView.as_view(), name="token"),
        path("userinfo/", UserInfoView.as_view(), name="user-info"),
        path(".well-known/jwks.json", JwksInfoView.as_view(), name="jwks-info"),
        path(
            ".well-known/openid-configuration",
            ConnectDiscoveryInfoView.as_view(),
            name="oidc-connect-discovery-info",
        ),
    ],
    "oauth2_provider",
)
