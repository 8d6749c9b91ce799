"""Small helpers every back-office view uses: who is asking, and which optional modules exist."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from motcua.core.clock import today
from motcua.core.models import User
from motcua.organizations.policy import is_staff_member


def staff_or_403(request: HttpRequest) -> User | HttpResponse:
    """The signed-in staff member, or the "no staff role" page (403)."""
    user = request.user
    assert isinstance(user, User)
    if not is_staff_member(user, today()):
        return render(request, "backoffice/not_staff.html", status=403)
    return user


def optional_module(name: str) -> ModuleType | None:
    """A module that another area delivers (printing, attachments), or None while it is absent.

    The screens offer print buttons and uploads only when the module is there.
    """
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def printing() -> ModuleType | None:
    """``motcua.dossiers.printing`` (official PDF forms) when installed."""
    return optional_module("motcua.dossiers.printing")


def attachments() -> ModuleType | None:
    """``motcua.dossiers.attachments`` (scans and files of a dossier) when installed."""
    return optional_module("motcua.dossiers.attachments")
