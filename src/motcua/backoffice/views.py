"""Staff back-office pages (thin: call selectors, render)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from motcua.core.clock import today
from motcua.core.models import User
from motcua.organizations.selectors import assignments_of


class LoginView(auth_views.LoginView):
    """Staff sign-in with user name and password."""

    template_name = "backoffice/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only) and go back to the portal home."""


@never_cache
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The officer's inbox: dossiers waiting for them, by role (none until dossiers exist)."""
    user = request.user
    assert isinstance(user, User)
    assignments = list(assignments_of(user, today()))
    if not assignments:
        return render(request, "backoffice/not_staff.html", status=403)
    return render(request, "backoffice/inbox.html", {"assignments": assignments})
