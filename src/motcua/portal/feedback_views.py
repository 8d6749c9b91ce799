"""Feedback and petitions (phản ánh, kiến nghị): send one, read the answers."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.dossiers import feedback, online
from motcua.portal.accounts import citizen_required
from motcua.portal.forms import FeedbackForm

_FIELD_OF = {"subject_required": "subject", "body_required": "body", "unknown_kind": "kind"}


@never_cache
@citizen_required
def feedback_page(request: HttpRequest) -> HttpResponse:
    """The citizen's feedback with answers, and the form to send a new one."""
    user = request.user
    assert isinstance(user, User)
    form = FeedbackForm(
        request.POST if request.method == "POST" else None, initial={"email": user.email}
    )
    dossier_field = form.fields["dossier"]
    assert isinstance(dossier_field, forms.ChoiceField)
    dossier_field.choices = [("", "—")] + [
        (d.pk, f"{d.code or d.submission_ref} — {d.procedure_version.name[:80]}")
        for d in online.my_dossiers(user)[:100]
    ]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sent = feedback.submit_feedback(
                    user,
                    kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    email=form.cleaned_data["email"] or "",
                    dossier_id=form.cleaned_data["dossier"],
                )
            except DomainError as error:
                form.add_error(_FIELD_OF.get(error.code), str(error))
            else:
                messages.success(
                    request,
                    _("Sent. Your reference is %(ref)s; the answer is due by %(due)s.")
                    % {
                        "ref": sent.reference,
                        "due": f"{localtime(sent.due_at):%d/%m/%Y}" if sent.due_at else "",
                    },
                )
                return redirect("portal:feedback")
        status = 400
    return render(
        request,
        "portal/feedback.html",
        {"form": form, "items": feedback.feedback_of(user)},
        status=status,
    )
