"""Citizen sign-in (/dang-nhap/): the national SSO / VNeID through OpenID Connect, or a local
account (demo); sign-out. The OIDC redirects themselves are mozilla-django-oidc's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from motcua.core.models import User
from motcua.core.ratelimit import allow, client_address
from motcua.portal.forms import SignInForm

ATTEMPTS, WINDOW = 10, 600

#: Pages of the citizen's own dossiers need a signed-in citizen.
citizen_required: Callable[[Any], Any] = login_required(login_url="portal:sign_in")


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("portal:my_dossiers")


@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Choose: the electronic identity (OpenID Connect), or a local account."""
    next_url = _next(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = SignInForm(request.POST if request.method == "POST" else None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        if not allow(
            f"citizen-login:{client_address(request)}", limit=ATTEMPTS, window_seconds=WINDOW
        ):
            error, status = _("Too many attempts. Wait ten minutes and try again."), 429
        else:
            user = auth.authenticate(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
            if isinstance(user, User) and not hasattr(user, "sandbox_identity"):
                auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return HttpResponseRedirect(next_url)
            error, status = _("The user name or the password is wrong."), 400
    elif request.method == "POST":
        status = 400
    if request.GET.get("loi") == "oidc":
        error = _("Signing in with your electronic identity did not succeed. Please try again.")
    return render(
        request,
        "portal/sign_in.html",
        {
            "form": form,
            "next": next_url,
            "error": error,
            "oidc_enabled": settings.MOTCUA_OIDC_ENABLED,
            "provider_name": settings.MOTCUA_OIDC_PROVIDER_NAME,
            "sandbox": settings.MOTCUA_OIDC_SANDBOX,
        },
        status=status,
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, _("You are signed out."))
    return redirect("portal:home")


class OidcStart(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the citizen to the identity provider (state, nonce and PKCE kept in the session)."""


class OidcCallback(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Back from the provider: MotCua's account for the identity is signed in."""

    def login_success(self) -> HttpResponse:
        # Read where the citizen was going before signing in rotates (or flushes) the session.
        wanted = str(self.request.session.get("oidc_login_next") or "")
        super().login_success()
        messages.success(self.request, _("You are signed in with your electronic identity."))
        if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={self.request.get_host()}):
            wanted = reverse("portal:my_dossiers")
        return HttpResponseRedirect(wanted)
