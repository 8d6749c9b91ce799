"""Satisfaction ratings of dossiers and feedback / petitions (phản ánh, kiến nghị — PAKN).

**Ratings** (indices.md §3): one per dossier, by its applicant, once the dossier is over for them —
result returned (T19), refused at intake (T7) or after appraisal, or stopped — on the criteria of
NĐ 61/2018 Art 31 (confirmed: legal text), each answered satisfied / neutral / not satisfied; it
may be changed for ``MOTCUA_RATING_EDIT_DAYS``. A "not satisfied" answer puts the dossier on the
review list of its office's centre head (MotCua default, after Signalen's reopen pattern). Ratings
feed 766 indicator 5.4 and TT 01/2018 index 7.

**Feedback** goes to the dossier's receiving office when it is about a dossier, else to the
province; the centre head of that office (or a province supervisor, for everything) answers it.
The 766 handling deadline is 15 working days (indices.md 5.2, secondary source); the answer is
shown to the citizen and e-mailed through the outbox (``feedback.answered``).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.calendars.selectors import compute_due_date
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc
from motcua.dossiers.models import (
    Dossier,
    Feedback,
    FeedbackKind,
    FeedbackStatus,
    Rating,
    Satisfaction,
)
from motcua.dossiers.online import own_dossier
from motcua.dossiers.policy import scope_of
from motcua.dossiers.services import NotFound
from motcua.dossiers.workflow import Status
from motcua.notifications.services import enqueue

FEEDBACK_ANSWERED = "feedback.answered"
#: 766 indicator 5.2: feedback handled within 15 working days (secondary source).
FEEDBACK_DAYS = 15
RATABLE = frozenset({Status.RETURNED, Status.NOT_RECEIVED, Status.STOPPED})


@dataclass(frozen=True)
class Criterion:
    key: str
    article: str
    label: str | Promise
    required: bool = True


#: NĐ 61/2018 Art 31 a–h (i, "other", is the free comment).
CRITERIA: tuple[Criterion, ...] = (
    Criterion("time", "a", _("The time it took")),
    Criterion("agencies", "b", _("The number of agencies you had to deal with")),
    Criterion("contacts", "c", _("The number of times you had to come back or get in touch")),
    Criterion("information", "d", _("How accurate the published information was")),
    Criterion("attitude", "e", _("The staff's attitude")),
    Criterion("lawfulness", "f", _("A lawful result, with no extra costs")),
    Criterion("feedback", "g", _("How your feedback was handled (if you gave any)"), False),
    Criterion("online", "h", _("The quality of the online service"), False),
)


def _today() -> dt.date:
    return clock.now().astimezone(VN_TZ).date()


# --- Ratings ------------------------------------------------------------------------------------


def may_rate(dossier: Dossier) -> bool:
    """Whether the dossier is over for its applicant, so it can be rated."""
    return dossier.status in RATABLE


def rating_of(dossier: Dossier) -> Rating | None:
    return Rating.objects.filter(dossier=dossier).first()


def rating_editable_until(rating: Rating) -> dt.datetime:
    return rating.created_at + dt.timedelta(days=settings.MOTCUA_RATING_EDIT_DAYS)


def rate_dossier(
    user: User,
    dossier_id: int,
    answers: dict[str, str],
    *,
    comment: str = "",
    at: dt.datetime | None = None,
) -> Rating:
    """Record (or change, within the window) the applicant's rating of their dossier."""
    at = at or clock.now()
    dossier = own_dossier(user, dossier_id)
    if not may_rate(dossier):
        raise DomainError(
            "not_ratable_yet", _("You can rate the service once the dossier is finished.")
        )
    known = {c.key: c for c in CRITERIA}
    clean: dict[str, str] = {}
    for key, value in answers.items():
        if key not in known:
            raise DomainError("unknown_criterion", _("Unknown rating criterion."))
        if value == "":
            continue
        if value not in Satisfaction.values:
            raise DomainError("unknown_answer", _("Choose one of the answers."))
        clean[key] = value
    missing = [c for c in CRITERIA if c.required and c.key not in clean]
    if missing:
        raise DomainError(
            "rating_incomplete",
            _("Answer every question marked as required (missing: %(missing)s)."),
            {"missing": ", ".join(str(c.label) for c in missing)},
        )
    with transaction.atomic():
        rating = Rating.objects.select_for_update().filter(dossier=dossier).first()
        if rating is not None and at > rating_editable_until(rating):
            raise DomainError(
                "rating_locked",
                _("Ratings can be changed for %(days)s days; this one can no longer be changed."),
                {"days": settings.MOTCUA_RATING_EDIT_DAYS},
            )
        if rating is None:
            rating = Rating(dossier=dossier, rated_by=user, created_at=at)
        rating.answers = clean
        rating.comment = nfc(comment).strip()[:2000]
        rating.dissatisfied = Satisfaction.DISSATISFIED in clean.values()
        rating.updated_at = at
        if rating.dissatisfied:
            rating.reviewed_at = None  # a changed answer is looked at again
        rating.save()
    return rating


def _office_filter(user: User, field: str) -> Q | None:
    """Offices whose feedback and ratings ``user`` handles (centre heads; supervisors: all)."""
    scope = scope_of(user, _today())
    if scope.everything:
        return Q()
    if scope.centre_head:
        return Q(**{f"{field}__in": scope.centre_head})
    return None


def ratings_to_review(user: User) -> QuerySet[Rating]:
    """ "Not satisfied" ratings not yet reviewed, for the centre head (or a supervisor)."""
    condition = _office_filter(user, "dossier__receiving_office_id")
    if condition is None:
        return Rating.objects.none()
    return (
        Rating.objects.filter(condition, dissatisfied=True, reviewed_at__isnull=True)
        .select_related("dossier", "dossier__procedure_version", "dossier__receiving_office")
        .order_by("updated_at")
    )


def review_rating(user: User, rating_id: int, *, note: str) -> Rating:
    """The centre head looked into a "not satisfied" rating (with what was done)."""
    rating = ratings_to_review(user).filter(pk=rating_id).first()
    if rating is None:
        raise NotFound
    if not note.strip():
        raise DomainError("note_required", _("Say what was looked into or done."))
    rating.reviewed_at = clock.now()
    rating.reviewed_by = user
    rating.review_note = nfc(note).strip()[:2000]
    rating.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    return rating


# --- Feedback and petitions ---------------------------------------------------------------------


def submit_feedback(
    user: User,
    *,
    kind: str,
    subject: str,
    body: str,
    email: str = "",
    dossier_id: int | None = None,
    at: dt.datetime | None = None,
) -> Feedback:
    """Send feedback or a petition; it reaches the office of the dossier (or the province)."""
    at = at or clock.now()
    if kind not in FeedbackKind.values:
        raise DomainError("unknown_kind", _("Choose whether you report a problem or propose."))
    subject, body = nfc(subject).strip(), nfc(body).strip()
    if len(subject) < 3:
        raise DomainError("subject_required", _("Give your feedback a short subject."))
    if len(body) < 10:
        raise DomainError("body_required", _("Describe the problem or the proposal."))
    dossier = own_dossier(user, dossier_id) if dossier_id is not None else None
    due = compute_due_date(at, Decimal(FEEDBACK_DAYS), "working_days")
    return Feedback.objects.create(
        reference=f"PA-{at.astimezone(VN_TZ):%y%m%d}-{secrets.token_hex(3).upper()}",
        kind=kind,
        subject=subject[:200],
        body=body[:5000],
        author=user,
        author_email=(email or user.email).strip()[:254],
        dossier=dossier,
        agency=dossier.receiving_office if dossier else None,
        submitted_at=at,
        due_at=due.due_at,
    )


def feedback_of(user: User) -> QuerySet[Feedback]:
    """The citizen's own feedback, newest first."""
    return Feedback.objects.filter(author=user).select_related("dossier").order_by("-submitted_at")


def feedback_for_staff(user: User) -> QuerySet[Feedback]:
    """Feedback the user answers: their offices' (centre head), or everything (supervisor)."""
    condition = _office_filter(user, "agency_id")
    if condition is None:
        return Feedback.objects.none()
    return Feedback.objects.filter(condition).select_related("agency", "dossier", "author")


def answer_feedback(
    user: User, feedback_id: int, *, answer: str, at: dt.datetime | None = None
) -> Feedback:
    """Answer a feedback item: shown to the citizen and e-mailed to them (outbox)."""
    at = at or clock.now()
    text = nfc(answer).strip()
    if len(text) < 10:
        raise DomainError("answer_required", _("Write the answer to the citizen."))
    with transaction.atomic():
        feedback = (
            feedback_for_staff(user).select_for_update(of=("self",)).filter(pk=feedback_id).first()
        )
        if feedback is None:
            raise NotFound
        if feedback.status == FeedbackStatus.ANSWERED:
            raise DomainError("already_answered", _("This feedback was already answered."))
        feedback.answer = text[:5000]
        feedback.answered_by = user
        feedback.answered_at = at
        feedback.status = FeedbackStatus.ANSWERED
        feedback.save()
        enqueue(
            FEEDBACK_ANSWERED,
            f"feedback:{feedback.pk}:answered",
            {
                "feedback_id": feedback.pk,
                "reference": feedback.reference,
                "subject": feedback.subject,
                "answer": feedback.answer,
                "email": feedback.author_email,
                "name": feedback.author.display_name,
                "late": bool(feedback.due_at and at > feedback.due_at),
            },
        )
    return feedback
