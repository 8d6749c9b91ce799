"""Early / on time / late classification of dossiers (domain notes §10).

Scope: finished dossiers are compared with ``due_legal`` (the limit after restarts or shifts,
before any extension); an extended dossier finished after ``due_legal`` but by ``due_current`` is
"late with apology" (NĐ 61/2018 Art 19.9 admits lateness; design, unconfirmed as official
practice). Open dossiers are monitored against ``due_current`` (the appointment the applicant
holds), with a flag when ``due_legal`` has passed.

Known limits: the national 766 view (§7) has its own rules and lives in ``reports``; scoring
(early = 2, on time = 1, late = 0, TT 01/2018 Art 13) is left to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from .errors import CalendarError
from .explain import ExplanationItem, OutcomeStated
from .spec import as_local


class Outcome(StrEnum):
    EARLY = "early"  # trước hạn
    ON_TIME = "on_time"  # đúng hạn
    LATE = "late"  # quá hạn
    LATE_WITH_APOLOGY = "late_with_apology"  # quá hạn có xin lỗi
    WITHIN_TIME = "within_time"  # trong hạn (open dossier)
    OVERDUE = "overdue"  # quá hạn (open dossier)


class Granularity(StrEnum):
    INSTANT = "instant"  # default (design)
    DAY = "day"  # any time on the due date is on time (production practice)


@dataclass(frozen=True, slots=True)
class Classification:
    outcome: Outcome
    granularity: Granularity
    #: Open dossiers: whether ``due_legal`` has passed (even if an extension still holds).
    past_legal: bool
    explanation: tuple[ExplanationItem, ...]


def _granularity(value: Granularity | str) -> Granularity:
    try:
        return Granularity(value)
    except ValueError:
        raise CalendarError(
            "invalid_option",
            f"Unknown lateness granularity {value!r}; expected 'instant' or 'day'.",
            option="lateness_granularity",
            value=repr(value),
        ) from None


def _after(a: datetime, b: datetime, granularity: Granularity) -> bool:
    """Whether ``a`` is past ``b`` at the given granularity (local dates for "day")."""
    if granularity is Granularity.DAY:
        return a.date() > b.date()
    return a > b


def classify_finished(
    end: datetime,
    due_legal: datetime,
    due_current: datetime | None = None,
    *,
    granularity: Granularity | str = Granularity.INSTANT,
) -> Classification:
    """Class of a finished dossier (end = resolved, refused or stopped instant), §10."""
    g = _granularity(granularity)
    end = as_local(end, "end")
    due_legal = as_local(due_legal, "due_legal")
    current = as_local(due_current, "due_current") if due_current is not None else due_legal
    if _after(end, due_legal, g):
        extended = current > due_legal
        outcome = (
            Outcome.LATE_WITH_APOLOGY if extended and not _after(end, current, g) else Outcome.LATE
        )
    elif end.date() < due_legal.date():
        outcome = Outcome.EARLY
    else:
        outcome = Outcome.ON_TIME
    past_legal = _after(end, due_legal, g)
    return Classification(outcome, g, past_legal, (OutcomeStated(outcome.value, g.value),))


def classify_open(
    now: datetime,
    due_current: datetime,
    due_legal: datetime | None = None,
    *,
    granularity: Granularity | str = Granularity.INSTANT,
) -> Classification:
    """Within time or overdue for an open dossier, against the appointment held (§10)."""
    g = _granularity(granularity)
    now = as_local(now, "now")
    due_current = as_local(due_current, "due_current")
    legal = as_local(due_legal, "due_legal") if due_legal is not None else due_current
    outcome = Outcome.OVERDUE if _after(now, due_current, g) else Outcome.WITHIN_TIME
    return Classification(
        outcome, g, _after(now, legal, g), (OutcomeStated(outcome.value, g.value),)
    )
