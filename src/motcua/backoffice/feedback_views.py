"""Feedback, petitions and "not satisfied" ratings for the centre head and the province supervisor
(/can-bo/phan-anh/): answer the citizen (shown on the portal and e-mailed), review the ratings.
Thin views over ``dossiers.feedback``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.backoffice.access import staff_or_403
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.forms import StyledForm
from motcua.dossiers import feedback
from motcua.dossiers.models import FeedbackStatus


class AnswerForm(StyledForm):
    answer = forms.CharField(
        label=gettext_lazy("Answer to the citizen"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Shown on the portal and e-mailed to the citizen."),
    )


class ReviewForm(StyledForm):
    note = forms.CharField(
        label=gettext_lazy("What was looked into or done"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@never_cache
@login_required
def feedback_list(request: HttpRequest) -> HttpResponse:
    """Open feedback (oldest due first), answered feedback, and ratings to review."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    items = feedback.feedback_for_staff(user)
    return render(
        request,
        "backoffice/feedback/list.html",
        {
            "open": items.filter(status=FeedbackStatus.RECEIVED).order_by("due_at"),
            "answered": items.filter(status=FeedbackStatus.ANSWERED).order_by("-answered_at")[:50],
            "ratings": feedback.ratings_to_review(user),
            "now": clock.now(),
            "criteria": {c.key: c.label for c in feedback.CRITERIA},
            "review_form": ReviewForm(),
        },
    )


@never_cache
@login_required
def feedback_item(request: HttpRequest, feedback_id: int) -> HttpResponse:
    """One feedback item and its answer form."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    item = feedback.feedback_for_staff(user).filter(pk=feedback_id).first()
    if item is None:
        raise Http404
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            feedback.answer_feedback(user, item.pk, answer=form.cleaned_data["answer"])
        except DomainError as error:
            form.add_error("answer", str(error))
            status = 400
        else:
            messages.success(request, _("Answer sent to the citizen."))
            return redirect("backoffice:feedback:list")
    elif request.method == "POST":
        status = 400
    return render(
        request, "backoffice/feedback/item.html", {"item": item, "form": form}, status=status
    )


@require_POST
@login_required
def review_rating(request: HttpRequest, rating_id: int) -> HttpResponse:
    """Record that a "not satisfied" rating was looked into."""
    user = staff_or_403(request)
    if isinstance(user, HttpResponse):
        return user
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what was looked into or done."))
        return redirect("backoffice:feedback:list")
    try:
        feedback.review_rating(user, rating_id, note=form.cleaned_data["note"])
    except DomainError as error:
        if error.code == "not_found":
            raise Http404 from None
        messages.error(request, str(error))
    else:
        messages.success(request, _("The rating is marked as reviewed."))
    return redirect("backoffice:feedback:list")


app_name = "feedback"
urlpatterns = [
    path("", feedback_list, name="list"),
    path("<int:feedback_id>/", feedback_item, name="item"),
    path("danh-gia/<int:rating_id>/", review_rating, name="review_rating"),
]
