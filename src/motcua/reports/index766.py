"""A preview of the Decision 766 index (QĐ 766/QĐ-TTg) and of the reform scorecard, from our data.

The Cổng DVCQG computes the official index from synced data and the national database (indices.md
§1, secondary source). This preview computes the indicators our own data supports, the way the
formula description says, and marks the others as coming from outside (with their points, which
the preview cannot award). Scoring (indices.md §1.3): with a threshold T, ratio ≥ T gives full
points, else ratio × max ÷ T; without a stated conversion, points = ratio × max (MotCua default,
unconfirmed). Ratios are rounded to 2 decimals of a percent; a zero denominator gives no value.
Formula version: ``FORMULA_VERSION``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import OnlineLevel
from motcua.catalog.selectors import versions_in_force
from motcua.dossiers.models import Dossier, ResultDelivery
from motcua.organizations.selectors import RestructuringLine, restructurings_due
from motcua.reports.measures import INDEX, ONLINE_CHANNELS
from motcua.reports.periods import Period
from motcua.reports.satisfaction import feedback_on_time, unhappy_on_time
from motcua.reports.selectors import Coverage, figures, in_scope, sums

FORMULA_VERSION = "766-2022.motcua-1"

ONLINE_LEVELS = frozenset(
    {OnlineLevel.FULL, OnlineLevel.PARTIAL, OnlineLevel.LEVEL_3, OnlineLevel.LEVEL_4}
)


class Source(StrEnum):
    COMPUTED = "computed"  # from MotCua's own data, as the formula says
    APPROXIMATED = "approximated"  # from our data, with a stated simplification
    EXTERNAL = "external"  # needs data MotCua does not hold (yet)


@dataclass(frozen=True)
class Indicator:
    id: str
    group: Promise
    name: Promise
    max_points: float
    source: Source
    numerator: int | None = None
    denominator: int | None = None
    threshold: float | None = None
    note: Promise | str = ""
    drill: str = ""  # metrics for the dossier list

    @property
    def ratio(self) -> float | None:
        if self.numerator is None or not self.denominator:
            return None
        return round(self.numerator / self.denominator, 4)

    @property
    def points(self) -> float | None:
        ratio = self.ratio
        if ratio is None:
            return None if self.source is Source.EXTERNAL else 0.0
        if self.threshold:
            value = (
                self.max_points
                if ratio >= self.threshold
                else ratio * self.max_points / self.threshold
            )
        else:
            value = ratio * self.max_points
        return round(min(value, self.max_points), 2)


TRANSPARENCY = _("Transparency")
PROGRESS = _("Progress and results")
ONLINE = _("Online service provision")
DIGITISATION = _("Digitisation")
SATISFACTION = _("Satisfaction")


def _dossiers(period: Period, coverage: Coverage) -> Q:
    return Q(received_at__gte=period.start, received_at__lt=period.end) & in_scope(coverage)


@dataclass(frozen=True)
class Catalogue:
    in_force: int
    complete: int
    online: int
    full: int


def catalogue_on(on: dt.date) -> Catalogue:
    versions = versions_in_force(on).annotate(
        n_channels=Count("channels", distinct=True), n_documents=Count("documents", distinct=True)
    )
    in_force = complete = online = full = 0
    for v in versions.only("name", "steps", "applicants", "competent_authority", "online_level"):
        in_force += 1
        # NĐ 63/2010 Art 8.2 components (name, sequence, method, components, subjects, agency);
        # the time limit sits with the channels.
        if (
            v.name
            and v.steps
            and v.applicants
            and v.competent_authority
            and v.n_channels
            and v.n_documents
        ):
            complete += 1
        if v.online_level in ONLINE_LEVELS:
            online += 1
        if v.online_level in {OnlineLevel.FULL, OnlineLevel.LEVEL_4}:
            full += 1
    return Catalogue(in_force, complete, online, full)


def index_766(period: Period, coverage: Coverage) -> list[Indicator]:
    """Every indicator of the index with its value, points and source."""
    totals = figures(period, coverage.ids)
    received = totals.received
    by_channel = sums(period.first, period.last, coverage.ids, ("channel",))
    online_received = sum(
        row[INDEX["received"]]
        for (channel,), row in by_channel.items()
        if channel in ONLINE_CHANNELS
    )
    by_version = sums(
        period.first, period.last, coverage.ids, ("version_id", "channel"), by_version=True
    )
    versions_online_used = {
        v
        for (v, channel), row in by_version.items()
        if channel in ONLINE_CHANNELS and row[INDEX["received"]]
    }
    catalogue = catalogue_on(period.last)
    in_force_online = set(
        versions_in_force(period.last)
        .filter(online_level__in=[level.value for level in ONLINE_LEVELS])
        .values_list("pk", flat=True)
    )
    dossiers = Dossier.objects.filter(_dossiers(period, coverage))
    counts = dossiers.aggregate(
        digitised=Count("pk", filter=Q(has_digitised_components=True)),
        vneid=Count("pk", filter=Q(vneid_authenticated=True)),
    )
    resolved = Dossier.objects.filter(
        in_scope(coverage), resolved_at__gte=period.start, resolved_at__lt=period.end
    )
    results = resolved.aggregate(
        total=Count("pk"), online=Count("pk", filter=Q(result_delivery=ResultDelivery.ONLINE))
    )
    feedback = feedback_on_time(period, coverage)
    unhappy = unhappy_on_time(period, coverage)
    external = _("Needs data MotCua does not hold yet; the Cổng DVCQG computes it.")
    return [
        Indicator(
            "1.1",
            TRANSPARENCY,
            _("Procedures published on time"),
            6,
            Source.EXTERNAL,
            note=_("Publication decision and legal-basis effective dates (catalogue)."),
        ),
        Indicator(
            "1.2",
            TRANSPARENCY,
            _("Procedures made public on time in the national database"),
            4,
            Source.EXTERNAL,
            note=_("National database publication timestamps."),
        ),
        Indicator(
            "1.3",
            TRANSPARENCY,
            _("Procedures published with all components"),
            2,
            Source.COMPUTED,
            catalogue.complete,
            catalogue.in_force,
            note=_(
                "Procedures in force with name, steps, channels, documents, applicants and "
                "competent authority (NĐ 63/2010 Art 8.2), whole catalogue."
            ),
        ),
        Indicator(
            "1.4",
            TRANSPARENCY,
            _("Dossiers synced to the Cổng DVCQG"),
            6,
            Source.EXTERNAL,
            note=_("Sync status per dossier (national portal integration)."),
        ),
        Indicator(
            "2.1",
            PROGRESS,
            _("Dossiers processed early or on time"),
            20,
            Source.COMPUTED,
            totals.national_numerator,
            totals.national_denominator,
            note=_(
                "Supplement time excluded; more than one supplement request counts late; "
                "open dossiers judged at the end of the period; compared with the "
                "original appointment (unconfirmed)."
            ),
            drill="nat_late,nat_late_open",
        ),
        Indicator(
            "3.1",
            ONLINE,
            _("Procedures offering online service (partial or full)"),
            2,
            Source.COMPUTED,
            catalogue.online,
            catalogue.in_force,
            threshold=0.8,
            note=_("Split of the 12 points 2 / 4 / 6 among 3.1–3.3 is unconfirmed."),
        ),
        Indicator(
            "3.2",
            ONLINE,
            _("Online services that generated dossiers"),
            4,
            Source.COMPUTED,
            len(versions_online_used & in_force_online),
            len(in_force_online),
            drill="",
        ),
        Indicator(
            "3.3",
            ONLINE,
            _("Share of online dossiers"),
            6,
            Source.APPROXIMATED,
            online_received,
            received,
            threshold=0.5,
            note=_("Sync rate taken as 100 %; the electronic-result condition is not applied."),
        ),
        Indicator(
            "3.5",
            ONLINE,
            _("Fee-bearing procedures integrated with DVCQG payment"),
            2,
            Source.EXTERNAL,
            note=external,
        ),
        Indicator(
            "3.5b",
            ONLINE,
            _("Procedures with online payment transactions"),
            2,
            Source.EXTERNAL,
            note=external,
        ),
        Indicator("3.6", ONLINE, _("Dossiers paid online"), 6, Source.EXTERNAL, note=external),
        Indicator(
            "4.1",
            DIGITISATION,
            _("Dossiers with an electronic result"),
            6,
            Source.APPROXIMATED,
            results["online"],
            results["total"],
            note=_("Results issued for online delivery / results issued (no file-link check yet)."),
        ),
        Indicator(
            "4.2",
            DIGITISATION,
            _("Dossiers digitised"),
            4,
            Source.APPROXIMATED,
            counts["digitised"],
            received,
            threshold=0.8,
            note=_("Received dossiers with scanned components; the result file is not checked."),
        ),
        Indicator(
            "4.2b",
            DIGITISATION,
            _("Electronic certified copies from originals"),
            2,
            Source.EXTERNAL,
            note=external,
        ),
        Indicator(
            "4.3", DIGITISATION, _("Reuse of digitised data"), 2, Source.EXTERNAL, note=external
        ),
        Indicator(
            "4.4",
            DIGITISATION,
            _("Dossiers linked to the applicant's data store"),
            4,
            Source.EXTERNAL,
            note=external,
        ),
        Indicator(
            "4.5a",
            DIGITISATION,
            _("Procedures using population data"),
            2,
            Source.EXTERNAL,
            note=external,
        ),
        Indicator(
            "4.5b",
            DIGITISATION,
            _("Dossiers using population data"),
            2,
            Source.COMPUTED,
            counts["vneid"],
            received,
            note=_("Received dossiers whose account was verified with VNeID."),
        ),
        Indicator(
            "5.2",
            SATISFACTION,
            _("Feedback handled on time"),
            6,
            Source.COMPUTED,
            feedback.on_time,
            feedback.due,
            note=_(
                "Feedback about the agency or its dossiers whose answer was due in the period "
                "(15 working days), answered by then (the rule of TT 01/2018 index 8; MotCua "
                "default). The 2- and 5-day deadlines for refusing or asking for more are not "
                "recorded."
            ),
        ),
        Indicator(
            "5.3",
            SATISFACTION,
            _("Satisfaction with feedback handling"),
            6,
            Source.EXTERNAL,
            note=external,
        ),
        Indicator(
            "5.4",
            SATISFACTION,
            _("Satisfaction with dossier handling"),
            6,
            Source.APPROXIMATED,
            max(totals.resolved - totals.late - unhappy, 0),
            totals.resolved,
            threshold=0.9,
            note=_(
                "Results issued in the period, less those that were late, had a “not "
                "satisfied” rating or a complaint (feedback “report a problem” about the "
                "dossier), each dossier counted once. Refusals are not counted; ratings given "
                "through the Cổng DVCQG are not received yet."
            ),
            drill="resolved_late,resolved_late_apology",
        ),
    ]


@dataclass(frozen=True)
class IndexSummary:
    points: float
    max_computed: float
    max_total: float


def summarise(indicators: list[Indicator]) -> IndexSummary:
    computed = [i for i in indicators if i.source is not Source.EXTERNAL]
    return IndexSummary(
        points=round(sum(i.points or 0 for i in computed), 2),
        max_computed=sum(i.max_points for i in computed),
        max_total=sum(i.max_points for i in indicators),
    )


# --- Reform scorecard -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scorecard:
    levels: list[tuple[str, str, int, int, int]]  # (level value, label, province, commune, total)
    online_received: int
    received: int
    results: int
    e_results: int
    digitised: int
    #: Restructurings due in the period, each against its plan (organisations restructured).
    restructurings: list[RestructuringLine] = field(default_factory=list)

    @property
    def agencies_planned(self) -> int:
        return sum(line.planned for line in self.restructurings)

    @property
    def agencies_closed(self) -> int:
        return sum(line.closed for line in self.restructurings)

    @property
    def online_share(self) -> float | None:
        return self.online_received / self.received if self.received else None

    @property
    def e_result_share(self) -> float | None:
        return self.e_results / self.results if self.results else None

    @property
    def digitised_share(self) -> float | None:
        return self.digitised / self.received if self.received else None


def scorecard(period: Period, coverage: Coverage) -> Scorecard:
    """Online services by level (catalogue at the period end) and the period's reform shares."""
    table: dict[str, list[int]] = {}
    for levels, online_level in versions_in_force(period.last).values_list(
        "levels", "online_level"
    ):
        key = online_level or "unknown"
        row = table.setdefault(key, [0, 0, 0])
        row[2] += 1
        if "province" in (levels or []):
            row[0] += 1
        if "commune" in (levels or []):
            row[1] += 1
    labels = dict(OnlineLevel.choices)
    order = [*(c.value for c in OnlineLevel), "unknown"]
    level_rows: list[tuple[str, str, int, int, int]] = [
        (key, str(labels.get(key, _("Not known"))), table[key][0], table[key][1], table[key][2])
        for key in order
        if key in table
    ]
    indicators = {i.id: i for i in index_766(period, coverage)}
    three, one, two = indicators["3.3"], indicators["4.1"], indicators["4.2"]
    return Scorecard(
        level_rows,
        three.numerator or 0,
        three.denominator or 0,
        one.denominator or 0,
        one.numerator or 0,
        two.numerator or 0,
        restructurings_due(period.first, period.last, coverage.ids),
    )
