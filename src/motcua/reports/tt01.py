"""The TT 01/2018 evaluation (Thông tư 01/2018/TT-VPCP Art 13–15), as pure functions (no Django).

Nine indices scored 2 / 1 / 0 (indices.md §2, confirmed: legal text for the table):

* per dossier — 1 total time vs the legal limit, 2 each participating agency vs its budget,
  3 contacts needed to complete the dossier, 4 agencies the applicant had to contact, 7 staff
  attitude (timeliness joined with complaints);
* per unit — 5 procedures fully handled at the one-stop office, 6 publication (posted and
  electronic), 8 feedback handled on time, 9 online services.

Aggregation (Art 14, confirmed: legal text): an index score is Σ dossier points / dossiers, rounded
to one decimal (half up); a per-unit index scores its unit's points. The agency total is the sum of
the nine scores (maximum 18) and falls in a band (Art 15): ≥ 15 excellent, 12 to < 15 good, 9 to
< 12 fair, 6 to < 9 average, < 6 weak.

Where the source is silent the MotCua default is used and the result says so (``defaults``):
several agencies on one dossier → the worst counts (index 2, unconfirmed); which feedback counts
as a complaint (index 7); how the 15–30 % band of index 9 reads. An index whose input MotCua does
not hold is ``None`` ("not available"), never a guess, and the total says how many indices it
covers. Formula version: ``FORMULA_VERSION``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from motcua.calendars.engine import VN_TZ, Outcome, classify_finished

FORMULA_VERSION = "tt01-2018.motcua-1"
MAX_POINTS = 2
INDICES = (1, 2, 3, 4, 5, 6, 7, 8, 9)
PER_DOSSIER = frozenset({1, 2, 3, 4, 7})


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


POINTS = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}


class Band(StrEnum):
    EXCELLENT = "excellent"
    GOOD = "good"
    FAIR = "fair"
    AVERAGE = "average"
    WEAK = "weak"


# --- Per-dossier indices --------------------------------------------------------------------------


def timeliness(end: dt.datetime, due: dt.datetime) -> Timeliness:
    """Early / on time / late against the legal due (calendar-and-deadlines.md §10, MotCua default:
    the legal due ``due_legal``; an extended dossier is late, "late with apology")."""
    outcome = classify_finished(end, due).outcome
    if outcome is Outcome.EARLY:
        return Timeliness.EARLY
    if outcome is Outcome.ON_TIME:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def step_timeliness(
    due: dt.datetime, finished: dt.datetime, late_minutes: int | None = None
) -> Timeliness:
    """A control-slip row (step or consultation): late when past its due (``late_minutes`` > 0 as
    the step service records it, in working time), early when finished on an earlier local day."""
    if late_minutes is not None:
        if late_minutes > 0:
            return Timeliness.LATE
        if finished.astimezone(VN_TZ).date() < due.astimezone(VN_TZ).date():
            return Timeliness.EARLY
        return Timeliness.ON_TIME
    return timeliness(finished, due)


def index1_points(end: dt.datetime, due_legal: dt.datetime) -> int:
    """Index 1: total processing time vs the legal limit — early 2, on time 1, late 0."""
    return POINTS[timeliness(end, due_legal)]


def index2_points(agencies: Iterable[Timeliness]) -> int | None:
    """Index 2: each participating agency vs its budget. MotCua default (unconfirmed how several
    agencies combine): the worst agency counts. ``None`` without any budgeted row."""
    points = [POINTS[t] for t in agencies]
    return min(points) if points else None


def index3_points(contacts: int) -> int:
    """Index 3: contacts needed to complete the dossier (supplement requests + pre-intake
    completion rounds) — 0 → 2, 1 → 1, more → 0."""
    if contacts < 0:
        raise ValueError("contacts must be ≥ 0")
    return 2 if contacts == 0 else 1 if contacts == 1 else 0


def index4_points(agencies_contacted: int) -> int:
    """Index 4: agencies the applicant had to contact — none 2, only the one-stop office 1,
    more 0."""
    if agencies_contacted < 0:
        raise ValueError("agencies_contacted must be ≥ 0")
    return 2 if agencies_contacted == 0 else 1 if agencies_contacted == 1 else 0


def index7_points(timeliness_class: Timeliness, complaints: int) -> int:
    """Index 7: staff attitude — early and no complaints 2, on time and no complaints 1, else 0
    (a late dossier has no row giving it points)."""
    if complaints:
        return 0
    return POINTS[timeliness_class]


# --- Per-unit indices -----------------------------------------------------------------------------


#: Index 5 targets by level (share of procedures fully handled at the one-stop office).
ONE_STOP_TARGETS = {"province": 0.2, "district": 0.5, "commune": 1.0}


def index5_points(share: float, level: str) -> int:
    """Index 5: meets the level's target → 2, below → 0 (no 1-point row)."""
    return 2 if share >= ONE_STOP_TARGETS[level] else 0


def index6_points(posted: bool | None, electronic: bool | None) -> tuple[int | None, bool]:
    """Index 6: publication posted and electronic — both 2, one 1, neither 0.

    Returns (points, lower_bound): with one form unknown the points count what is known and
    ``lower_bound`` is true; with both unknown, ``(None, False)``."""
    if posted is None and electronic is None:
        return None, False
    known = [p for p in (posted, electronic) if p is not None]
    points = sum(1 for p in known if p)
    return points, len(known) < 2 and points < 2


def index8_points(on_time: int, total: int, *, prolonged: bool = False) -> int | None:
    """Index 8: feedback handled on time — 100 % → 2, ≥ 90 % → 1, < 90 % or prolonged → 0.
    ``None`` when no feedback was due (nothing to measure)."""
    if total <= 0:
        return None
    if prolonged:
        return 0
    if on_time >= total:
        return 2
    return 1 if on_time * 10 >= total * 9 else 0


def index9_points(procedure_share: float, online_share: float, online_late: int) -> int:
    """Index 9: ≥ 20 % of eligible procedures online (level 3–4, partial/full) **and** ≥ 30 % of
    dossiers online with none late → 2; the "15–30 %" row → 1, read as (MotCua default,
    unconfirmed) at least 15 % of dossiers online; otherwise 0."""
    if procedure_share >= 0.2 and online_share >= 0.3 and online_late == 0:
        return 2
    if online_share >= 0.15:
        return 1
    return 0


# --- Aggregation and bands ------------------------------------------------------------------------


def one_decimal(value: float | Decimal) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def index_score(points: Sequence[int]) -> float | None:
    """Σ dossier points / dossiers, one decimal (half up); ``None`` without dossiers."""
    return counted_score(Counter(points))


def counted_score(counts: Mapping[int, int]) -> float | None:
    """``index_score`` from the number of dossiers per points value (``{points: dossiers}``), as a
    database aggregation gives them."""
    dossiers = sum(counts.values())
    if not dossiers:
        return None
    total = sum(points * n for points, n in counts.items())
    return one_decimal(Decimal(total) / Decimal(dossiers))


def band(total: float) -> Band:
    """Agency band (Art 15): ≥ 15 excellent; 12 to < 15 good; 9 to < 12 fair; 6 to < 9 average."""
    if total >= 15:
        return Band.EXCELLENT
    if total >= 12:
        return Band.GOOD
    if total >= 9:
        return Band.FAIR
    if total >= 6:
        return Band.AVERAGE
    return Band.WEAK


@dataclass(frozen=True)
class IndexResult:
    """One index: its score (``None`` = not available), how many dossiers it averages (per-dossier
    indices), the distribution of points, and the MotCua defaults it relies on."""

    number: int
    score: float | None
    dossiers: int = 0
    distribution: tuple[int, int, int] = (0, 0, 0)  # dossiers with 0, 1, 2 points
    defaults: tuple[str, ...] = ()
    lower_bound: bool = False
    facts: dict[str, float | int | None] = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return self.score is not None

    @property
    def per_dossier(self) -> bool:
        return self.number in PER_DOSSIER


def per_dossier_result(
    number: int, points: Sequence[int], defaults: tuple[str, ...] = ()
) -> IndexResult:
    return counted_result(number, Counter(points), defaults)


def counted_result(
    number: int, counts: Mapping[int, int], defaults: tuple[str, ...] = ()
) -> IndexResult:
    """A per-dossier index from the number of dossiers per points value (``{points: dossiers}``)."""
    distribution = (counts.get(0, 0), counts.get(1, 0), counts.get(2, 0))
    return IndexResult(number, counted_score(counts), sum(counts.values()), distribution, defaults)


@dataclass(frozen=True)
class Evaluation:
    indices: tuple[IndexResult, ...]

    @property
    def total(self) -> float:
        return one_decimal(sum(Decimal(str(i.score)) for i in self.indices if i.score is not None))

    @property
    def covered(self) -> int:
        return sum(1 for i in self.indices if i.available)

    @property
    def max_covered(self) -> int:
        return self.covered * MAX_POINTS

    @property
    def complete(self) -> bool:
        return self.covered == len(INDICES)

    @property
    def band(self) -> Band:
        """The band of the total; when indices are missing it is a floor (``complete`` false)."""
        return band(self.total)

    def get(self, number: int) -> IndexResult:
        return next(i for i in self.indices if i.number == number)


def evaluate(results: Iterable[IndexResult]) -> Evaluation:
    by_number = {r.number: r for r in results}
    return Evaluation(tuple(by_number.get(n, IndexResult(n, None)) for n in INDICES))
