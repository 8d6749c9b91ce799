"""Satisfaction from our own data: the ratings of dossiers (NĐ 61/2018 Art 31) and the 766
indicators they and feedback feed (5.2 feedback handled on time, 5.4 satisfaction with dossier
handling; indices.md §1 and §3).

Reads only aggregates (no names, no comments): the public transparency page shows them too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils.functional import Promise

from motcua.dossiers.feedback import CRITERIA
from motcua.dossiers.models import Dossier, Feedback, FeedbackKind, Rating, Satisfaction
from motcua.reports.periods import Period
from motcua.reports.selectors import Coverage, in_scope


@dataclass(frozen=True)
class CriterionShare:
    key: str
    article: str
    label: str | Promise
    satisfied: int
    neutral: int
    dissatisfied: int

    @property
    def answered(self) -> int:
        return self.satisfied + self.neutral + self.dissatisfied

    @property
    def satisfied_rate(self) -> float | None:
        return self.satisfied / self.answered if self.answered else None


@dataclass(frozen=True)
class Ratings:
    """Ratings given in the period for dossiers of the coverage."""

    count: int
    dissatisfied: int  # ratings with at least one "not satisfied" answer
    criteria: tuple[CriterionShare, ...]

    @property
    def satisfied_rate(self) -> float | None:
        """Share of ratings with no "not satisfied" answer."""
        return (self.count - self.dissatisfied) / self.count if self.count else None


def ratings(period: Period, coverage: Coverage) -> Ratings:
    """Counts per criterion and answer, in one query whatever the number of ratings."""
    counts: dict[str, Count] = {
        "count": Count("pk"),
        "dissatisfied": Count("pk", filter=Q(dissatisfied=True)),
    }
    for criterion in CRITERIA:
        for answer in Satisfaction:
            counts[f"{criterion.key}__{answer.value}"] = Count(
                "pk", filter=Q(**{f"answers__{criterion.key}": answer.value})
            )
    row = Rating.objects.filter(
        in_scope(coverage, "dossier__"), created_at__gte=period.start, created_at__lt=period.end
    ).aggregate(**counts)
    return Ratings(
        row["count"],
        row["dissatisfied"],
        tuple(
            CriterionShare(
                c.key,
                c.article,
                c.label,
                row[f"{c.key}__{Satisfaction.SATISFIED.value}"],
                row[f"{c.key}__{Satisfaction.NEUTRAL.value}"],
                row[f"{c.key}__{Satisfaction.DISSATISFIED.value}"],
            )
            for c in CRITERIA
        ),
    )


@dataclass(frozen=True)
class FeedbackOnTime:
    """766 indicator 5.2 (and TT 01/2018 index 8): feedback due in the period, answered by then."""

    due: int
    on_time: int


def feedback_on_time(period: Period, coverage: Coverage) -> FeedbackOnTime:
    scope = Q()
    if coverage.ids is not None:
        scope = Q(agency_id__in=coverage.ids) | in_scope(coverage, "dossier__")
    row = Feedback.objects.filter(scope, due_at__gte=period.start, due_at__lt=period.end).aggregate(
        total=Count("pk"),
        on_time=Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
    )
    return FeedbackOnTime(row["total"], row["on_time"])


def unhappy_on_time(period: Period, coverage: Coverage) -> int:
    """Dossiers with a result in the period, not late, whose applicant answered "not satisfied"
    or complained (feedback of kind "report a problem" about the dossier): with the late results
    they make 766 indicator 5.4's dissatisfied, complained or overdue dossiers, each counted once.
    Probes start from the ratings and complaints, which are few, not from the results."""
    rated = Rating.objects.filter(dissatisfied=True).values("dossier_id")
    reported = Feedback.objects.filter(kind=FeedbackKind.REPORT, dossier__isnull=False).values(
        "dossier_id"
    )
    return (
        Dossier.objects.filter(Q(pk__in=rated) | Q(pk__in=reported))
        .filter(
            in_scope(coverage),
            Q(due_legal__isnull=True) | Q(resolved_at__lte=F("due_legal")),
            resolved_at__gte=period.start,
            resolved_at__lt=period.end,
        )
        .count()
    )


__all__ = [
    "CriterionShare",
    "FeedbackOnTime",
    "Ratings",
    "feedback_on_time",
    "ratings",
    "unhappy_on_time",
]
