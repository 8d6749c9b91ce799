"""Public dossier lookup (/tra-cuu/): code + last four phone digits, rate limited."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from motcua.core.forms import StyledForm
from motcua.core.ratelimit import allow, client_address
from motcua.dossiers.lookup import public_status

ATTEMPTS, WINDOW = 10, 600  # per client address


class LookupForm(StyledForm):
    ma = forms.CharField(
        label=_("Dossier code"),
        max_length=60,
        help_text=_("As printed on your receipt, e.g. 000.01.31.H01-260302-0001."),
    )
    so = forms.CharField(
        label=_("Last 4 digits of your phone number"),
        max_length=4,
        min_length=4,
        help_text=_("The phone number given when you submitted."),
    )


def lookup(request: HttpRequest) -> HttpResponse:
    """Look up a dossier's status; GET with ``ma`` (from the receipt's QR code) pre-fills."""
    form = LookupForm(request.POST or None, initial={"ma": request.GET.get("ma", "")})
    result, searched, status = None, False, 200
    if request.method == "POST" and form.is_valid():
        if not allow(f"lookup:{client_address(request)}", limit=ATTEMPTS, window_seconds=WINDOW):
            return render(
                request, "portal/lookup.html", {"form": form, "limited": True}, status=429
            )
        searched = True
        result = public_status(
            form.cleaned_data["ma"],
            form.cleaned_data["so"],
            language=translation.get_language() or "vi",
        )
        if result is None:
            status = 404
    return render(
        request,
        "portal/lookup.html",
        {"form": form, "result": result, "searched": searched},
        status=status,
    )
