"""How a dossier counts in the statistics: pure rules over its transition log (no Django, no I/O).

Two views of "on time" (calendar-and-deadlines.md §7 and §10):

- **local view** (§10, MotCua default, design): a finished dossier is compared with ``due_legal``
  (after restarts, before any extension); finished after ``due_legal`` but by an extended
  ``due_current`` is "late with apology" (NĐ 61/2018 Art 19.9 admits lateness). Open dossiers are
  monitored against ``due_current``. This reuses ``calendars.engine.classify_finished``.
- **national view** (§7, Decision 766 indicator 2.1, secondary source: the Cổng DVCQG formula
  description): end = the terminal instant (resolved > returned > stopped / refused; withdrawn also
  ends); end := end − supplementation time (wall clock, assumed); a supplement not returned makes
  the request instant the end; **more than one supplementation request counts late**; open
  dossiers are judged at the period end. ``national_outcome`` is that rule.

``contributions`` turns one dossier's history into the deltas it adds to the rollups: *flows*
(counted on the day the event happened) and *stock deltas* (+1 on the day a dossier enters a stock
such as "open" or "overdue", −1 on the day it leaves), so a stock at the end of day D is the sum of
its deltas over every day ≤ D. The function depends only on the history it is given (a prefix of
the log gives the rollups as of that transition), which is what makes incremental maintenance
equal a full recount (ADR 0013).

Processing time is counted twice for each result: ``resolved_seconds`` in wall-clock time and
``resolved_work_minutes`` in working time by the receiving office's calendar (indices.md 2.2: the
average is shown in the procedure's own unit). The working time comes from a function the caller
passes (``WorkingMinutes``), so this module stays pure; the same function must be given to every
replay of a history (incremental and recount) for the two to stay equal.

Known limits (documented in docs/statistics.md): the national portal's choice of appointment
(original vs restarted/extended, gaps.md) is a parameter, default the original appointment; times
are compared at the instant, stocks at the end of a local day; a dossier without a time limit is on
time in both views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from motcua.calendars.engine import VN_TZ, Outcome, classify_finished

# Action values of ``dossiers.workflow.Action`` (kept as strings: this module is pure).
RECEIVE: Final = "receive"
ACCEPT_ONLINE: Final = "accept_online"
REFUSE_INTAKE: Final = "refuse_intake"
REQUEST_SUPPLEMENT: Final = "request_supplement"
RECEIVE_SUPPLEMENT: Final = "receive_supplement"
EXTEND: Final = "extend"
REFUSE_AFTER_APPRAISAL: Final = "refuse_after_appraisal"
STOP: Final = "stop"
WITHDRAW: Final = "withdraw"
ISSUE_RESULT: Final = "issue_result"
RETURN_RESULT: Final = "return_result"
HAND_OVER: Final = "hand_over"

ONLINE_CHANNELS: Final = frozenset({"portal", "national_portal", "vneid"})

#: Flows: counted on the local day of the event.
FLOWS: Final = (
    "received",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_late_apology",
    "resolved_seconds",
    "resolved_work_minutes",
    "refused",
    "refused_late",
    "refused_intake",
    "stopped",
    "withdrawn",
    "returned",
    "apologies",
    "supplements",
    "nat_on_time",
    "nat_late",
)
#: Stock deltas: +1 on the day a dossier enters the stock, −1 on the day it leaves.
STOCKS: Final = ("open", "paused", "overdue", "nat_late_open")
METRICS: Final = FLOWS + STOCKS
INDEX: Final = {name: i for i, name in enumerate(METRICS)}
_OUTCOME_METRIC: Final = {
    Outcome.EARLY: "resolved_early",
    Outcome.ON_TIME: "resolved_on_time",
    Outcome.LATE: "resolved_late",
    Outcome.LATE_WITH_APOLOGY: "resolved_late_apology",
}


class Appointment(StrEnum):
    """Which appointment (``NgayHenTra``) the national view compares with (gaps.md: unknown)."""

    ORIGINAL = "original"  # MotCua default: the date given at reception
    LEGAL = "legal"  # after a supplement restart or shift
    CURRENT = "current"  # the appointment the applicant holds (after an extension)


DEFAULT_APPOINTMENT: Final = Appointment.ORIGINAL


@dataclass(frozen=True, slots=True)
class Event:
    """One transition of the log, as much of it as the statistics need."""

    seq: int
    action: str
    at: dt.datetime
    due_after: dt.datetime | None = None
    #: HAND_OVER only: the (competent agency, receiving office) before the hand-over.
    before: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rollups are keyed by (the dossier's current values)."""

    competent: int
    receiving: int
    version: int
    channel: str


class NationalReason(StrEnum):
    ON_TIME = "on_time"
    NO_APPOINTMENT = "no_appointment"
    AFTER_APPOINTMENT = "after_appointment"
    MORE_THAN_ONE_SUPPLEMENT = "more_than_one_supplement"


@dataclass(frozen=True, slots=True)
class NationalOutcome:
    on_time: bool
    reason: NationalReason
    adjusted_end: dt.datetime
    supplement_time: dt.timedelta


type Pause = tuple[dt.datetime, dt.datetime | None]

#: Working minutes in [a, b) by the calendar of a receiving office: ``(office id, a, b) → int``
#: (``calendars.engine.CompiledCalendar.working_minutes_between`` of that office's calendar).
type WorkingMinutes = Callable[[int, dt.datetime, dt.datetime], int]


def national_outcome(
    end: dt.datetime,
    appointment: dt.datetime | None,
    pauses: Sequence[Pause] = (),
    *,
    supplement_requests: int | None = None,
) -> NationalOutcome:
    """On time or late in the national 766 measure (indicator 2.1), calendar-and-deadlines.md §7.

    ``end`` is the terminal instant of a finished dossier, or the period end for an open one.
    ``pauses`` are the supplementation intervals (asked, completed); an interval still open at
    ``end`` (the applicant has not returned the supplement) counts up to ``end``, which makes the
    request instant the end. Supplementation time is subtracted in wall-clock time (assumed, §7
    "Unknowns"). More than one supplementation request counts late whatever the dates.
    """
    requests = len(pauses) if supplement_requests is None else supplement_requests
    paused = dt.timedelta(0)
    for asked, completed in pauses:
        if asked >= end:
            continue
        stop = end if completed is None or completed > end else completed
        paused += stop - asked
    adjusted = end - paused
    if requests > 1:
        return NationalOutcome(False, NationalReason.MORE_THAN_ONE_SUPPLEMENT, adjusted, paused)
    if appointment is None:
        return NationalOutcome(True, NationalReason.NO_APPOINTMENT, adjusted, paused)
    if adjusted <= appointment:
        return NationalOutcome(True, NationalReason.ON_TIME, adjusted, paused)
    return NationalOutcome(False, NationalReason.AFTER_APPOINTMENT, adjusted, paused)


def local_day(t: dt.datetime) -> dt.date:
    """The Vietnamese calendar date of an instant (statistics count by local day)."""
    return t.astimezone(VN_TZ).date()


type Key = tuple[dt.date, int, int]  # (day, competent agency, receiving office)
type Deltas = dict[Key, list[int]]


class _Walk:
    """State while replaying one history (see ``contributions``)."""

    def __init__(self, appointment: Appointment) -> None:
        self.which = appointment
        self.out: Deltas = {}
        self.received_at: dt.datetime | None = None
        self.ended = False
        self.due_original: dt.datetime | None = None
        self.due_legal: dt.datetime | None = None
        self.due_current: dt.datetime | None = None
        self.pauses: list[list[dt.datetime | None]] = []  # [asked, completed]
        self.requests = 0

    def add(self, agencies: tuple[int, int], t: dt.datetime, metric: str, n: int = 1) -> None:
        key = (local_day(t), agencies[0], agencies[1])
        row = self.out.get(key)
        if row is None:
            row = self.out[key] = [0] * len(METRICS)
        row[INDEX[metric]] += n

    @property
    def appointment(self) -> dt.datetime | None:
        if self.which is Appointment.CURRENT:
            return self.due_current
        if self.which is Appointment.LEGAL:
            return self.due_legal
        return self.due_original

    @property
    def paused_since(self) -> dt.datetime | None:
        if self.pauses and self.pauses[-1][1] is None:
            return self.pauses[-1][0]
        return None

    def completed_pause_time(self) -> dt.timedelta:
        total = dt.timedelta(0)
        for asked, completed in self.pauses:
            if completed is not None and asked is not None:
                total += completed - asked
        return total

    def working_time(self, working_minutes: WorkingMinutes, office: int, at: dt.datetime) -> int:
        """Working minutes from reception to ``at`` minus those of the completed pauses, by the
        calendar of ``office`` (the receiving office holding the dossier at the result)."""
        assert self.received_at is not None
        total = working_minutes(office, self.received_at, at)
        for asked, completed in self.pauses:
            if completed is not None and asked is not None:
                total -= working_minutes(office, asked, completed)
        return total

    def interval(
        self,
        agencies: tuple[int, int],
        metric: str,
        start: dt.datetime,
        stop: dt.datetime | None,
    ) -> None:
        if stop is not None and start >= stop:
            return
        self.add(agencies, start, metric, 1)
        if stop is not None:
            self.add(agencies, stop, metric, -1)

    def segment(self, agencies: tuple[int, int], a: dt.datetime, b: dt.datetime | None) -> None:
        """Stock memberships between two consecutive events (``b`` None: up to now and on)."""
        if self.received_at is None or self.ended:
            return
        self.interval(agencies, "open", a, b)
        paused = self.paused_since
        if paused is not None:
            self.interval(agencies, "paused", a, b)
        elif self.due_current is not None:
            self.interval(agencies, "overdue", max(a, self.due_current), b)
        # National view of an open dossier judged at T in [a, b) (national_outcome with end = T).
        appointment = self.appointment
        if self.requests > 1:
            self.interval(agencies, "nat_late_open", a, b)
        elif appointment is not None:
            completed = self.completed_pause_time()
            if paused is not None:
                if paused - completed > appointment:
                    self.interval(agencies, "nat_late_open", a, b)
            else:
                self.interval(agencies, "nat_late_open", max(a, appointment + completed), b)

    def finish(self, agencies: tuple[int, int], at: dt.datetime) -> None:
        """A received dossier ends (resolved, refused, stopped, withdrawn): the national class."""
        if self.paused_since is not None:
            self.pauses[-1][1] = at
        pauses = [(p[0], p[1]) for p in self.pauses if p[0] is not None]
        outcome = national_outcome(at, self.appointment, pauses, supplement_requests=self.requests)
        self.add(agencies, at, "nat_on_time" if outcome.on_time else "nat_late")
        self.ended = True


def _agencies_per_event(events: Sequence[Event], facts: Facts) -> list[tuple[int, int]]:
    """The (competent, receiving) pair in force at each event: the current one, walked back
    through the hand-overs (T22 records who held the dossier before)."""
    current = (facts.competent, facts.receiving)
    result: list[tuple[int, int]] = [current] * len(events)
    for i in range(len(events) - 1, -1, -1):
        event = events[i]
        if event.action == HAND_OVER and event.before is not None:
            result[i] = current  # the hand-over itself counts for the successor
            current = event.before
        else:
            result[i] = current
    return result


def contributions(
    facts: Facts,
    events: Sequence[Event],
    *,
    appointment: Appointment = DEFAULT_APPOINTMENT,
    working_minutes: WorkingMinutes | None = None,
) -> Deltas:
    """The rollup deltas of one dossier's history (``events`` in ``seq`` order).

    Keys are (local day, competent agency, receiving office); values follow ``METRICS``. Summing
    the result over every dossier gives the rollups; the difference between two prefixes of one
    history is what a new transition adds.

    ``working_minutes`` measures working time by an office's calendar; it is asked about the
    receiving office holding the dossier when the result is issued. Without it,
    ``resolved_work_minutes`` stays 0 (callers that only need membership, e.g. drill-down).
    """
    walk = _Walk(appointment)
    agencies = _agencies_per_event(events, facts)
    for i, event in enumerate(events):
        held = agencies[i]
        if i > 0:
            walk.segment(agencies[i - 1], events[i - 1].at, event.at)
        action, at = event.action, event.at
        if action in (RECEIVE, ACCEPT_ONLINE):
            walk.received_at = at
            walk.due_original = walk.due_legal = walk.due_current = event.due_after
            walk.add(held, at, "received")
        elif action == REFUSE_INTAKE:
            walk.add(held, at, "refused_intake")
        elif action == REQUEST_SUPPLEMENT:
            walk.requests += 1
            walk.pauses.append([at, None])
            walk.add(held, at, "supplements")
        elif action == RECEIVE_SUPPLEMENT:
            if walk.paused_since is not None:
                walk.pauses[-1][1] = at
            if event.due_after is not None:
                walk.due_legal = walk.due_current = event.due_after
        elif action == EXTEND:
            walk.due_current = event.due_after or walk.due_current
            walk.add(held, at, "apologies")
        elif action == ISSUE_RESULT and walk.received_at is not None and not walk.ended:
            walk.add(held, at, "resolved")
            if walk.due_legal is None:
                metric = "resolved_on_time"
            else:
                outcome = classify_finished(at, walk.due_legal, walk.due_current).outcome
                metric = _OUTCOME_METRIC[outcome]
            walk.add(held, at, metric)
            net = at - walk.received_at - walk.completed_pause_time()
            walk.add(held, at, "resolved_seconds", int(net.total_seconds()))
            if working_minutes is not None:
                work = walk.working_time(working_minutes, held[1], at)
                walk.add(held, at, "resolved_work_minutes", work)
            walk.finish(held, at)
        elif action == REFUSE_AFTER_APPRAISAL and walk.received_at is not None:
            walk.add(held, at, "refused")
            if walk.due_legal is not None and at > walk.due_legal:
                walk.add(held, at, "refused_late")
            walk.finish(held, at)
        elif action == STOP:
            walk.add(held, at, "stopped")
            if walk.received_at is not None and not walk.ended:
                walk.finish(held, at)
        elif action == WITHDRAW:
            walk.add(held, at, "withdrawn")
            if walk.received_at is not None and not walk.ended:
                walk.finish(held, at)
        elif action == RETURN_RESULT:
            walk.add(held, at, "returned")
    if events:
        walk.segment(agencies[-1], events[-1].at, None)
    return {key: row for key, row in walk.out.items() if any(row)}


def subtract(new: Deltas, old: Deltas) -> Deltas:
    """``new − old``, without the keys that cancel out."""
    result: Deltas = {}
    for key in new.keys() | old.keys():
        a, b = new.get(key), old.get(key)
        if a is None and b is not None:
            row = [-v for v in b]
        elif b is None and a is not None:
            row = list(a)
        else:
            assert a is not None
            assert b is not None
            row = [x - y for x, y in zip(a, b, strict=True)]
        if any(row):
            result[key] = row
    return result


def member(deltas: Deltas, metric: str, first: dt.date, last: dt.date) -> bool:
    """Whether a dossier with these deltas counts in ``metric`` for the days ``first``–``last``:
    a flow happened in the period, or the dossier is in the stock at the end of ``last``."""
    i = INDEX[metric]
    if metric in STOCKS:
        return sum(row[i] for key, row in deltas.items() if key[0] <= last) > 0
    return any(row[i] for key, row in deltas.items() if first <= key[0] <= last)
