"""Reads for the statistics screens: figures of a period for an agency's subtree, from the rollups.

Every figure is a sum of rollup rows (``rollups``): flows over the period's days, stocks at the end
of a day (the sum of their deltas up to that day). Whole months are read from the monthly grains,
the days at the edges from the daily grains, so a province-year is a few thousand rows.

Scope: staff pick an agency among those they work for (with its subtree); province supervisors
pick any. Anything else is "not found" (404), like dossiers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet, Sum

from motcua.catalog.models import Field, ProcedureVersion
from motcua.core.clock import now as clock_now
from motcua.core.models import User
from motcua.dossiers.models import Dossier, DossierTransition
from motcua.dossiers.policy import scope_of
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.services import NotFound
from motcua.organizations.models import Agency, AgencyKind, AgencyLevel
from motcua.organizations.selectors import province_of_installation
from motcua.reports.measures import (
    FLOWS,
    INDEX,
    METRICS,
    ONLINE_CHANNELS,
    STOCKS,
    Facts,
    contributions,
    local_day,
    member,
)
from motcua.reports.models import (
    DailyAgencyRollup,
    DailyRollup,
    MonthlyAgencyRollup,
    MonthlyRollup,
)
from motcua.reports.periods import Period, month_end, next_month
from motcua.reports.rollups import events_of, histories
from motcua.reports.units import (
    AverageUnit,
    average,
    limit_units,
    unit_for_limit,
    unit_of_procedure,
)

# --- Agencies and scope ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyTree:
    """Every agency version with its parent (a few hundred rows, read once per request)."""

    agencies: dict[int, Agency]
    children: dict[int | None, list[int]]

    def subtree(self, agency_id: int) -> frozenset[int]:
        result, frontier = {agency_id}, [agency_id]
        while frontier:
            for child in self.children.get(frontier.pop(), []):
                if child not in result:
                    result.add(child)
                    frontier.append(child)
        return frozenset(result)

    def ancestors(self, agency_id: int) -> list[int]:
        result, current = [], self.agencies[agency_id].parent_id
        while current is not None and current not in result:
            result.append(current)
            current = self.agencies[current].parent_id
        return result


def agency_tree() -> AgencyTree:
    agencies = Agency.objects.in_bulk()
    children: dict[int | None, list[int]] = defaultdict(list)
    for agency in sorted(agencies.values(), key=lambda a: (a.level, a.code)):
        children[agency.parent_id].append(agency.pk)
    return AgencyTree(agencies, dict(children))


@dataclass(frozen=True)
class Coverage:
    """The agency a statistic is about, its subtree, and the agencies the user may choose."""

    agency: Agency
    ids: frozenset[int] | None  # None: the whole installation (no filter)
    choices: list[Agency]
    tree: AgencyTree


def _roots_of(user: User | AnonymousUser, on: dt.date, tree: AgencyTree) -> list[int] | None:
    """Agencies whose subtree the user may report on; None = everything (province supervisor)."""
    scope = scope_of(user, on)
    if scope.everything:
        return None
    roots = set(scope.one_stop) | set(scope.processing_agencies)
    # A division reports with its agency (its family); keep the top-most ones.
    return sorted(
        {r for r in roots if not (set(tree.ancestors(r)) & roots)},
        key=lambda r: (tree.agencies[r].level, tree.agencies[r].code),
    )


def in_scope(coverage: Coverage, prefix: str = "") -> Q:
    """Dossiers whose competent agency or receiving office is in the coverage (docs §Agencies)."""
    if coverage.ids is None:
        return Q()
    return Q(**{f"{prefix}competent_agency_id__in": coverage.ids}) | Q(
        **{f"{prefix}receiving_office_id__in": coverage.ids}
    )


def coverage_for(user: User | AnonymousUser, on: dt.date, agency_id: int | None) -> Coverage:
    """The agency ``user`` asks about (default: their widest), or ``NotFound`` outside scope."""
    tree = agency_tree()
    roots = _roots_of(user, on, tree)
    province = province_of_installation(on)
    if roots is None:
        top = province.pk if province is not None else None
        allowed: set[int] | None = None
        choice_ids = [
            a.pk
            for a in tree.agencies.values()
            if a.kind != AgencyKind.DIVISION and (a.valid_to is None or a.valid_to >= on)
        ]
    else:
        if not roots:
            raise NotFound
        top = roots[0]
        allowed = set().union(*(tree.subtree(r) for r in roots))
        choice_ids = [
            a for a in allowed if tree.agencies[a].kind != AgencyKind.DIVISION or a in roots
        ]
    wanted = agency_id if agency_id is not None else top
    if wanted is None or wanted not in tree.agencies:
        raise NotFound
    if allowed is not None and wanted not in allowed:
        raise NotFound
    ids: frozenset[int] | None = tree.subtree(wanted)
    if roots is None and province is not None and wanted == province.pk:
        ids = None  # the whole installation: no filter at all
    choices = sorted(
        (tree.agencies[a] for a in choice_ids),
        key=lambda a: (a.level != "province", a.kind != AgencyKind.PEOPLES_COMMITTEE, a.name),
    )
    return Coverage(tree.agencies[wanted], ids, choices, tree)


def public_coverage(on: dt.date, code: str | None) -> Coverage:
    """The province (no ``code``) or one agency by its code, for the public page."""
    tree = agency_tree()
    province = province_of_installation(on)
    if code is None:
        if province is None:
            raise NotFound
        agency = province
    else:
        matches = [a for a in tree.agencies.values() if a.code == code]
        if not matches:
            raise NotFound
        agency = max(matches, key=lambda a: a.valid_from)
    ids = None if province is not None and agency.pk == province.pk else tree.subtree(agency.pk)
    choices = sorted(
        (
            a
            for a in tree.agencies.values()
            if a.kind == AgencyKind.PEOPLES_COMMITTEE and (a.valid_to is None or a.valid_to >= on)
        ),
        key=lambda a: (a.level != "province", a.name),
    )
    choices += sorted(
        (
            a
            for a in tree.agencies.values()
            if a.kind == AgencyKind.DEPARTMENT and (a.valid_to is None or a.valid_to >= on)
        ),
        key=lambda a: a.name,
    )
    return Coverage(agency, ids, choices, tree)


# --- Sums over the grains -------------------------------------------------------------------------

type Group = tuple[str, ...]
type Sums = dict[tuple[object, ...], list[int]]


def _agency_filter(ids: frozenset[int] | None) -> Q:
    if ids is None:
        return Q()
    return Q(competent_id__in=ids) | Q(receiving_id__in=ids)


def _ranges(
    first: dt.date | None, last: dt.date
) -> tuple[tuple[dt.date | None, dt.date] | None, list[tuple[dt.date, dt.date]]]:
    """Split days ``first``–``last`` (None: since ever) into whole months and edge days."""
    last_is_month_end = last == month_end(last)
    months_to = last.replace(day=1) if last_is_month_end else _previous_month(last.replace(day=1))
    days: list[tuple[dt.date, dt.date]] = []
    if not last_is_month_end:
        days.append(
            (last.replace(day=1) if first is None else max(first, last.replace(day=1)), last)
        )
    if first is None:
        return ((None, months_to), days)
    months_from = first if first.day == 1 else next_month(first)
    if months_from > months_to:
        return (None, [(first, last)])
    if first.day != 1:
        days.insert(0, (first, months_from - dt.timedelta(days=1)))
    return ((months_from, months_to), days)


def _previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


def sums(
    first: dt.date | None,
    last: dt.date,
    ids: frozenset[int] | None,
    group: Group = (),
    *,
    by_version: bool = False,
    extra: Q | None = None,
    metrics: Iterable[str] = METRICS,
) -> Sums:
    """Metrics summed over days ``first``–``last`` (None: since ever), grouped; the metrics not
    asked for stay 0 (fewer sums, faster at scale)."""
    monthly, daily = (
        (MonthlyRollup, DailyRollup)
        if by_version
        else (
            MonthlyAgencyRollup,
            DailyAgencyRollup,
        )
    )
    month_group = "month" in group
    columns = tuple("period" if g == "month" else g for g in group)
    result: Sums = defaultdict(lambda: [0] * len(METRICS))
    months, days = _ranges(first, last)
    queries: list[
        QuerySet[MonthlyRollup]
        | QuerySet[MonthlyAgencyRollup]
        | QuerySet[DailyRollup]
        | QuerySet[DailyAgencyRollup]
    ] = []
    condition = _agency_filter(ids) & (extra or Q())
    if months is not None:
        span = Q(period__lte=months[1]) & (Q(period__gte=months[0]) if months[0] else Q())
        queries.append(monthly.objects.filter(condition & span))
    for a, b in days:
        queries.append(daily.objects.filter(condition, period__gte=a, period__lte=b))
    wanted = [m for m in METRICS if m in set(metrics)]
    aggregates = {m: Sum(m) for m in wanted}
    for query in queries:
        rows = (
            query.values(*columns).annotate(**aggregates).order_by()
            if columns
            else [query.aggregate(**aggregates)]
        )
        for row in rows:
            key = (
                tuple(row["period"].replace(day=1) if g == "month" else row[g] for g in group)
                if month_group or columns
                else ()
            )
            target = result[key]
            for m in wanted:
                target[INDEX[m]] += row[m] or 0
    return dict(result)


# --- Figures --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """A period's figures: flows in the period, stocks at its start and end."""

    flows: list[int]
    before: list[int]  # stock sums up to the day before the period
    after: list[int]  # stock sums up to the last day

    def flow(self, name: str) -> int:
        return self.flows[INDEX[name]]

    @property
    def received(self) -> int:
        return self.flow("received")

    @property
    def carried_over(self) -> int:
        return self.before[INDEX["open"]]

    @property
    def to_handle(self) -> int:
        return self.carried_over + self.received

    @property
    def resolved(self) -> int:
        return self.flow("resolved")

    @property
    def early(self) -> int:
        return self.flow("resolved_early")

    @property
    def on_time(self) -> int:
        return self.flow("resolved_on_time")

    @property
    def late_plain(self) -> int:
        return self.flow("resolved_late")

    @property
    def late_apology(self) -> int:
        return self.flow("resolved_late_apology")

    @property
    def late(self) -> int:
        """Late in the local view, including late with apology."""
        return self.late_plain + self.late_apology

    @property
    def refused(self) -> int:
        return self.flow("refused")

    @property
    def returned(self) -> int:
        return self.flow("returned")

    @property
    def withdrawn(self) -> int:
        return self.flow("withdrawn")

    @property
    def stopped(self) -> int:
        return self.flow("stopped")

    @property
    def refused_intake(self) -> int:
        return self.flow("refused_intake")

    @property
    def finished(self) -> int:
        return self.resolved + self.refused + self.flow("stopped") + self.withdrawn_received

    @property
    def withdrawn_received(self) -> int:
        # Withdrawals of received dossiers end them (their national class is counted).
        return (
            self.flow("nat_on_time")
            + self.flow("nat_late")
            - self.resolved
            - self.refused
            - (self.flow("stopped"))
        )

    @property
    def in_progress(self) -> int:
        return self.after[INDEX["open"]]

    @property
    def paused(self) -> int:
        return self.after[INDEX["paused"]]

    @property
    def overdue(self) -> int:
        return self.after[INDEX["overdue"]]

    @property
    def within_time(self) -> int:
        return self.in_progress - self.paused - self.overdue

    @property
    def on_time_rate(self) -> float | None:
        """(early + on time) / resolved, local view (§10)."""
        return (self.early + self.on_time) / self.resolved if self.resolved else None

    @property
    def average_days(self) -> float | None:
        """Average processing time of the results issued, in calendar days (wall clock, supplement
        time excluded)."""
        return self.average_in(AverageUnit.CALENDAR_DAYS)

    @property
    def average_work_days(self) -> float | None:
        """Average processing time of the results issued, in working days (working minutes by the
        receiving office's calendar ÷ 480, supplement time excluded): the unit of mixed figures."""
        return self.average_in(AverageUnit.WORKING_DAYS)

    def average_in(self, unit: AverageUnit) -> float | None:
        """Average processing time of the results issued in ``unit`` (``units``)."""
        return average(
            unit,
            resolved=self.resolved,
            work_minutes=self.flow("resolved_work_minutes"),
            seconds=self.flow("resolved_seconds"),
        )

    @property
    def national_numerator(self) -> int:
        return self.flow("nat_on_time") + self.in_progress - self.after[INDEX["nat_late_open"]]

    @property
    def national_denominator(self) -> int:
        return self.to_handle

    @property
    def national_rate(self) -> float | None:
        """766 indicator 2.1: (finished on time + open within time) / (carried over + received)."""
        d = self.national_denominator
        return self.national_numerator / d if d else None

    def as_dict(self) -> dict[str, int | float | None]:
        return {
            "carried_over": self.carried_over,
            "received": self.received,
            "to_handle": self.to_handle,
            "resolved": self.resolved,
            "early": self.early,
            "on_time": self.on_time,
            "late": self.late,
            "late_apology": self.late_apology,
            "refused": self.refused,
            "refused_intake": self.flow("refused_intake"),
            "stopped": self.flow("stopped"),
            "withdrawn": self.flow("withdrawn"),
            "returned": self.flow("returned"),
            "apologies": self.flow("apologies"),
            "supplements": self.flow("supplements"),
            "in_progress": self.in_progress,
            "within_time": self.within_time,
            "overdue": self.overdue,
            "paused": self.paused,
            "on_time_rate": self.on_time_rate,
            "average_days": self.average_days,
            "average_work_days": self.average_work_days,
            "national_rate": self.national_rate,
        }


_ZERO = [0] * len(METRICS)


def _stock_only(row: list[int]) -> list[int]:
    return [v if name in STOCKS else 0 for name, v in zip(METRICS, row, strict=True)]


def figures_by(
    period: Period,
    ids: frozenset[int] | None,
    group: Group = (),
    *,
    by_version: bool = False,
    stocks: bool = True,
) -> dict[tuple[object, ...], Figures]:
    """Figures of the period per group (``()`` → one entry under the key ``()``)."""
    flows = sums(period.first, period.last, ids, group, by_version=by_version, metrics=FLOWS)
    if not stocks:
        before: Sums = {}
        after: Sums = {}
    else:
        day_before = period.first - dt.timedelta(days=1)
        before = sums(None, day_before, ids, group, by_version=by_version, metrics=STOCKS)
        after = sums(None, period.last, ids, group, by_version=by_version, metrics=STOCKS)
    keys = set(flows) | {k for k, v in before.items() if any(_stock_only(v))}
    keys |= {k for k, v in after.items() if any(_stock_only(v))}
    if not group:
        keys.add(())
    return {
        key: Figures(
            [v if n in FLOWS else 0 for n, v in zip(METRICS, flows.get(key, _ZERO), strict=True)],
            _stock_only(before.get(key, _ZERO)),
            _stock_only(after.get(key, _ZERO)),
        )
        for key in keys
    }


def figures(period: Period, ids: frozenset[int] | None) -> Figures:
    return figures_by(period, ids)[()]


# --- Dashboard ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a breakdown table."""

    key: object
    label: str
    figures: Figures
    agency: Agency | None = None
    code: str = ""
    #: The unit of ``average``: the procedure's own (procedure rows), else working days.
    unit: AverageUnit = AverageUnit.WORKING_DAYS
    #: The row mixes time-limit units (shown in working days).
    mixed_units: bool = False

    @property
    def average(self) -> float | None:
        """Average processing time in ``unit``."""
        return self.figures.average_in(self.unit)


@dataclass
class Dashboard:
    period: Period
    coverage: Coverage
    totals: Figures
    months: list[tuple[dt.date, Figures]]
    channels: list[tuple[str, int]]
    units: list[Row]
    procedures: list[Row] = field(default_factory=list)
    levels: list[Row] = field(default_factory=list)
    fields: list[Row] = field(default_factory=list)

    @cached_property
    def online_received(self) -> int:
        return sum(n for c, n in self.channels if c in ONLINE_CHANNELS)


def _unit_of(tree: AgencyTree, top: Agency, competent: int, receiving: int) -> int:
    """The child of ``top`` (or ``top`` itself) the row belongs to: by competent agency when it is
    in ``top``'s subtree, else by receiving office."""
    for agency_id in (competent, receiving):
        chain = [agency_id, *tree.ancestors(agency_id)]
        if top.pk in chain:
            index = chain.index(top.pk)
            return chain[index - 1] if index > 0 else top.pk
    return top.pk


def pair_figures(period: Period, coverage: Coverage) -> dict[tuple[object, ...], Figures]:
    """Figures per (competent agency, receiving office) pair: the one query set the dashboard's
    totals and unit rows are both made of."""
    return figures_by(period, coverage.ids, ("competent_id", "receiving_id"))


def add_figures(items: Iterable[Figures]) -> Figures:
    parts = [list(_ZERO), list(_ZERO), list(_ZERO)]
    for figs in items:
        for target, source in zip(parts, (figs.flows, figs.before, figs.after), strict=True):
            for i, v in enumerate(source):
                target[i] += v
    return Figures(*parts)


def unit_rows(
    period: Period,
    coverage: Coverage,
    per_pair: dict[tuple[object, ...], Figures] | None = None,
) -> list[Row]:
    """Figures per unit directly under the chosen agency (divisions fold into their agency)."""
    tree, top = coverage.tree, coverage.agency
    if per_pair is None:
        per_pair = pair_figures(period, coverage)
    merged: dict[int, list[list[int]]] = {}
    for (competent, receiving), figs in per_pair.items():
        assert isinstance(competent, int)
        assert isinstance(receiving, int)
        unit = _unit_of(tree, top, competent, receiving)
        agency = tree.agencies.get(unit)
        if agency is not None and agency.kind == AgencyKind.DIVISION and agency.parent_id:
            unit = agency.parent_id if agency.parent_id in tree.agencies else unit
        parts = merged.setdefault(unit, [list(_ZERO), list(_ZERO), list(_ZERO)])
        for target, source in zip(parts, (figs.flows, figs.before, figs.after), strict=True):
            for i, v in enumerate(source):
                target[i] += v
    rows = [
        Row(
            unit,
            tree.agencies[unit].name if unit in tree.agencies else "?",
            Figures(*parts),
            tree.agencies.get(unit),
            tree.agencies[unit].code if unit in tree.agencies else "",
        )
        for unit, parts in merged.items()
    ]
    return sorted(rows, key=lambda r: (r.key != top.pk, -r.figures.to_handle, r.label))


def level_rows(
    period: Period,
    coverage: Coverage,
    per_pair: dict[tuple[object, ...], Figures] | None = None,
) -> list[Row]:
    """Figures per administrative level (province, legacy district, commune) of the competent
    agency, else of the receiving office (an agency outside the tree), in that order."""
    agencies = coverage.tree.agencies
    if per_pair is None:
        per_pair = pair_figures(period, coverage)
    grouped: dict[str, list[Figures]] = {}
    for (competent, receiving), figs in per_pair.items():
        assert isinstance(competent, int)
        assert isinstance(receiving, int)
        agency = agencies.get(competent) or agencies.get(receiving)
        level = agency.level if agency is not None else ""
        grouped.setdefault(level, []).append(figs)
    order = [str(v) for v in AgencyLevel.values]
    labels = dict(AgencyLevel.choices)
    return [
        Row(level, str(labels.get(level, "?")), add_figures(parts), code=level)
        for level, parts in sorted(
            grouped.items(), key=lambda i: order.index(i[0]) if i[0] in order else len(order)
        )
    ]


def version_figures(
    period: Period, ids: frozenset[int] | None
) -> dict[tuple[object, ...], Figures]:
    """Flows per (procedure version, channel): what the procedure and field rows are made of
    (one query of the procedure grains; stocks are not read per procedure)."""
    return figures_by(period, ids, ("version_id", "channel"), by_version=True, stocks=False)


def field_rows(
    period: Period,
    ids: frozenset[int] | None,
    per_version: dict[tuple[object, ...], Figures] | None = None,
) -> list[Row]:
    """Figures per field of procedures (lĩnh vực), the most received first."""
    if per_version is None:
        per_version = version_figures(period, ids)
    fields = dict(
        ProcedureVersion.objects.filter(
            pk__in={int(str(v)) for v, _channel in per_version}
        ).values_list("pk", "field_id")
    )
    grouped: dict[int | None, list[Figures]] = {}
    for (version_id, _channel), figs in per_version.items():
        grouped.setdefault(fields.get(int(str(version_id))), []).append(figs)
    names = dict(Field.objects.filter(pk__in=[f for f in grouped if f]).values_list("pk", "name"))
    rows = [
        Row(field_id, names.get(field_id, "?") if field_id else "?", add_figures(parts))
        for field_id, parts in grouped.items()
    ]
    rows.sort(key=lambda r: (-r.figures.received, -r.figures.resolved, r.label))
    return rows


def procedure_rows(
    period: Period,
    ids: frozenset[int] | None,
    limit: int | None = 20,
    per_version: dict[tuple[object, ...], Figures] | None = None,
) -> list[Row]:
    """Figures per procedure (versions and channels merged), the most received first; each row's
    average is in the procedure's own time-limit unit (``units``; working days when its versions
    or channels with results mix units)."""
    per_key = version_figures(period, ids) if per_version is None else per_version
    versions = (
        ProcedureVersion.objects.select_related("procedure")
        .only("name", "procedure__code")
        .in_bulk({int(str(k[0])) for k in per_key})
    )
    limits = limit_units((int(str(v)), str(c)) for v, c in per_key)
    merged: dict[str, tuple[str, list[list[int]]]] = {}
    units: dict[str, set[AverageUnit]] = {}
    units_resolved: dict[str, set[AverageUnit]] = {}
    for (version_id, channel), figs in per_key.items():
        version = versions.get(int(str(version_id)))
        code = version.procedure.code if version else str(version_id)
        name = version.name if version else "?"
        _name, parts = merged.setdefault(code, (name, [list(_ZERO), list(_ZERO), list(_ZERO)]))
        for target, source in zip(parts, (figs.flows, figs.before, figs.after), strict=True):
            for i, v in enumerate(source):
                target[i] += v
        unit = unit_for_limit(limits[(int(str(version_id)), str(channel))])
        units.setdefault(code, set()).add(unit)
        if figs.resolved:
            units_resolved.setdefault(code, set()).add(unit)
    rows = []
    for code, (name, parts) in merged.items():
        unit, mixed = unit_of_procedure(units_resolved.get(code) or units[code])
        rows.append(Row(code, name, Figures(*parts), code=code, unit=unit, mixed_units=mixed))
    rows.sort(key=lambda r: (-r.figures.to_handle, -r.figures.resolved, r.code))
    return rows[:limit] if limit else rows


def dashboard(period: Period, coverage: Coverage, *, procedures: int = 15) -> Dashboard:
    """Everything the statistics page shows, from the rollups."""
    ids = coverage.ids
    per_pair = pair_figures(period, coverage)
    totals = add_figures(per_pair.values())
    series = ["received", "resolved", "resolved_early", "resolved_on_time", "resolved_late"]
    series.append("resolved_late_apology")
    by_month_channel = sums(period.first, period.last, ids, ("month", "channel"), metrics=series)
    by_month: Sums = {}
    by_channel: Sums = {}
    for (month, channel), row in by_month_channel.items():
        for target in (
            by_month.setdefault((month,), list(_ZERO)),
            by_channel.setdefault((channel,), list(_ZERO)),
        ):
            for i, v in enumerate(row):
                target[i] += v
    months = [
        (
            m,
            Figures(
                [
                    v if n in FLOWS else 0
                    for n, v in zip(METRICS, by_month.get((m,), _ZERO), strict=True)
                ],
                list(_ZERO),
                list(_ZERO),
            ),
        )
        for m in period.months
    ]
    channels = sorted(
        ((str(k[0]), v[INDEX["received"]]) for k, v in by_channel.items() if v[INDEX["received"]]),
        key=lambda item: -item[1],
    )
    per_version = version_figures(period, ids) if procedures else {}
    return Dashboard(
        period,
        coverage,
        totals,
        months,
        channels,
        unit_rows(period, coverage, per_pair),
        procedure_rows(period, ids, procedures, per_version) if procedures else [],
        level_rows(period, coverage, per_pair),
        field_rows(period, ids, per_version) if procedures else [],
    )


# --- Dossiers behind a figure (drill-down) --------------------------------------------------------

DRILLABLE = frozenset(METRICS) - {"resolved_seconds", "resolved_work_minutes"}


@dataclass(frozen=True)
class DossierLine:
    dossier: Dossier
    metrics: list[str]


@dataclass(frozen=True)
class DossierPage:
    lines: list[DossierLine]
    scanned: int
    complete: bool  # every candidate was examined
    more: bool


def _drill_candidates(
    user: User | AnonymousUser, period: Period, coverage: Coverage
) -> QuerySet[Dossier]:
    """The dossiers ``user`` may see that could count in a figure of the period: received before
    its end and not ended before its start, competent agency or receiving office in the subtree."""
    candidates = dossiers_visible_to(user).filter(
        Q(received_at__lt=period.end) | Q(received_at__isnull=True, created_at__lt=period.end),
        Q(ended_at__isnull=True) | Q(ended_at__gte=period.start) | Q(returned_at__gte=period.start),
    )
    return candidates.filter(in_scope(coverage))


def dossiers_behind(
    user: User | AnonymousUser,
    period: Period,
    coverage: Coverage,
    metrics: Iterable[str],
    *,
    offset: int = 0,
    size: int = 50,
    max_scan: int = 20000,
) -> DossierPage:
    """The dossiers ``user`` may see that count in any of ``metrics`` for the period (the same
    rules as the rollups: each candidate's history is replayed with ``measures.contributions``)."""

    wanted = [m for m in metrics if m in DRILLABLE]
    candidates = _drill_candidates(user, period, coverage)
    ids = list(
        candidates.order_by("-received_at", "-pk").values_list("pk", flat=True)[: max_scan + 1]
    )
    complete = len(ids) <= max_scan
    ids = ids[:max_scan]
    matched: list[tuple[int, list[str]]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found: dict[int, list[str]] = {}
        for dossier_id, facts, events in histories(dossier_ids=chunk):
            deltas = contributions(facts, events)
            hits = [m for m in wanted if member(deltas, m, period.first, period.last)]
            if hits:
                found[dossier_id] = hits
        matched.extend((d, found[d]) for d in chunk if d in found)
        if len(matched) > offset + size:
            break
    page = matched[offset : offset + size]
    dossiers = dossiers_visible_to(user).in_bulk([d for d, _ in page])
    lines = [DossierLine(dossiers[d], hits) for d, hits in page if d in dossiers]
    return DossierPage(lines, len(ids), complete, len(matched) > offset + size)


# --- Every dossier behind a figure (exports) ------------------------------------------------------

#: Dossiers read per query by ``every_dossier_behind`` (keyset pages on the primary key).
EXPORT_CHUNK = 2000

_EXPORT_FIELDS = (
    "pk",
    "code",
    "submission_ref",
    "procedure_version_id",
    "applicant_name",
    "receiving_office_id",
    "competent_agency_id",
    "channel",
    "status",
    "received_at",
    "due_legal",
    "due_current",
    "paused_at",
    "resolved_at",
    "returned_at",
    "ended_at",
)


@dataclass(frozen=True, slots=True)
class BehindRow:
    """One dossier behind a figure, as an export lists it (names resolved, nothing lazy)."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant: str
    receiving_office: str
    competent_agency: str
    channel: str  # ``dossiers.models.Channel`` value
    status: str  # ``dossiers.workflow.Status`` value
    received_at: dt.datetime | None
    due: dt.datetime | None  # the appointment the applicant holds (``due_current``)
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    ended_at: dt.datetime | None
    days_late: int | None
    metrics: tuple[str, ...]


def days_late(
    *,
    finished: dt.datetime | None,
    due_legal: dt.datetime | None,
    due_current: dt.datetime | None,
    paused: bool,
    at: dt.datetime,
) -> int | None:
    """How many days a dossier is late (None when it is not), in Vietnamese calendar days between
    the appointment's date and the end's date, at least 1 (MotCua default, unconfirmed).

    A finished dossier (result issued, or ended otherwise) is late when it finished after
    ``due_legal`` — the local view's basis (calendar §10), so late with apology counts too. An open
    dossier is late at ``at`` when its clock runs and ``at`` is past ``due_current``, the
    appointment the applicant holds; a dossier waiting for the applicant is never late.
    """
    if finished is not None:
        due, end = due_legal, finished
    elif paused:
        return None
    else:
        due, end = due_current, at
    if due is None or end <= due:
        return None
    return max(1, (local_day(end) - local_day(due)).days)


def every_dossier_behind(
    user: User | AnonymousUser,
    period: Period,
    coverage: Coverage,
    metrics: Iterable[str],
    *,
    chunk: int = EXPORT_CHUNK,
    now: dt.datetime | None = None,
) -> Iterator[BehindRow]:
    """Every dossier ``user`` may see that counts in any of ``metrics`` for the period (the same
    rule as ``dossiers_behind``, without its scan limit), in id order, streamed.

    Constant memory and at most three queries per ``chunk`` candidates: the candidates (keyset
    page, ``pk > last``), their transitions (with the hand-overs' details), the procedure versions
    not met before; the agencies' names come from ``coverage.tree`` (read once per request).
    Narrowing the candidates in SQL first (an ``EXISTS`` on the transitions a flow needs) was
    measured slower than replaying them all, even for "late" (docs/statistics.md).
    """

    wanted = [m for m in metrics if m in DRILLABLE]
    if not wanted:
        return
    at = min(period.end, now or clock_now())
    agencies = coverage.tree.agencies
    versions: dict[int, tuple[str, str]] = {}
    base = _drill_candidates(user, period, coverage).order_by("pk").values_list(*_EXPORT_FIELDS)
    last = 0
    while True:
        rows = list(base.filter(pk__gt=last)[:chunk])
        if not rows:
            return
        last = rows[-1][0]
        events = events_of(DossierTransition.objects.filter(dossier_id__in=[r[0] for r in rows]))
        missing = {row[3] for row in rows} - versions.keys()
        if missing:
            for version in (
                ProcedureVersion.objects.select_related("procedure")
                .only("name", "procedure__code")
                .filter(pk__in=missing)
            ):
                versions[version.pk] = (version.procedure.code, version.name)
        for (
            pk,
            code,
            submission_ref,
            version_id,
            applicant,
            receiving_id,
            competent_id,
            channel,
            status,
            received_at,
            due_legal,
            due_current,
            paused_at,
            resolved_at,
            returned_at,
            ended_at,
        ) in rows:
            facts = Facts(competent_id, receiving_id, version_id, channel)
            deltas = contributions(facts, events.get(pk, []))
            hits = tuple(m for m in wanted if member(deltas, m, period.first, period.last))
            if not hits:
                continue
            receiving, competent = agencies.get(receiving_id), agencies.get(competent_id)
            procedure_code, procedure_name = versions.get(version_id, ("", "?"))
            yield BehindRow(
                code=code or submission_ref,
                procedure_code=procedure_code,
                procedure_name=procedure_name,
                applicant=applicant,
                receiving_office=receiving.name if receiving else "?",
                competent_agency=competent.name if competent else "?",
                channel=channel,
                status=status,
                received_at=received_at,
                due=due_current,
                resolved_at=resolved_at,
                returned_at=returned_at,
                ended_at=ended_at,
                days_late=days_late(
                    finished=resolved_at or ended_at,
                    due_legal=due_legal,
                    due_current=due_current,
                    paused=paused_at is not None,
                    at=at,
                ),
                metrics=hits,
            )


def figure_count(period: Period, coverage: Coverage, metrics: Iterable[str]) -> int:
    """The figure behind a drill-down, from the rollups (a few queries, whatever the volume): the
    flows in the period plus the stocks at its end. Close to the number of dossiers an export
    lists, not equal: the figure counts events (two supplement requests count twice) and every
    dossier of the subtree, the export each dossier once and only those the user may see."""
    wanted = [m for m in metrics if m in DRILLABLE]
    flows = [m for m in wanted if m in FLOWS]
    stocks = [m for m in wanted if m in STOCKS]
    total = 0
    if flows:
        row = sums(period.first, period.last, coverage.ids, metrics=flows).get((), _ZERO)
        total += sum(row[INDEX[m]] for m in flows)
    if stocks:
        row = sums(None, period.last, coverage.ids, metrics=stocks).get((), _ZERO)
        total += sum(row[INDEX[m]] for m in stocks)
    return total
