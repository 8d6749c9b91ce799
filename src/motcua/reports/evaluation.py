"""The TT 01/2018 evaluation of an agency (with its subtree) for a quarter or a year, from our data.

The scoring rules are the pure functions of ``reports.tt01``; this module reads their inputs with a
few set-based queries (no query per dossier) and labels the result for the pages and the export.

Which dossiers: those whose result was issued in the period (``resolved_at``), whose competent
agency or receiving office is in the subtree (like every statistic, docs/statistics.md), and that
have a legal due date. Inputs per index:

1. ``resolved_at`` vs ``due_legal`` (calendar §10, MotCua default: the legal due).
2. the dossier's process steps with a due (``late_minutes`` as the step service records it) and its
   consultation tasks (answer vs deadline; unanswered past the deadline = late); the worst counts.
3. supplement requests (T10) + pre-intake completion requests (``request_completion``) in its
   history.
4. in person (desk intake or result collected at the desk) = the one-stop office only; otherwise
   none. Inter-agency tasks pass between agencies, not through the applicant, so "more" never
   arises from our data (MotCua default).
5. not available: which procedures the one-stop office handles fully is not recorded.
6. electronic publication from the catalogue (published versions in force); posting at the office
   is not recorded, so the points are a lower bound.
7. index 1's class joined with complaints: feedback of kind "report" about the dossier (MotCua
   default, unconfirmed).
8. feedback addressed to the subtree (or about its dossiers) due in the period: answered by the due.
9. catalogue online levels of the agency's level at the period end, online share of dossiers
   received in the period, online dossiers late among those evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce, Least, TruncDate
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Alignment, Font

from motcua.calendars.engine import VN_TZ
from motcua.catalog.models import Level
from motcua.catalog.selectors import versions_in_force
from motcua.core.errors import DomainError
from motcua.dossiers.models import (
    ConsultationTask,
    Dossier,
    DossierStep,
    DossierTransition,
    Feedback,
    FeedbackKind,
)
from motcua.dossiers.workflow import Action
from motcua.reports import exports, tt01
from motcua.reports.index766 import ONLINE_LEVELS
from motcua.reports.measures import ONLINE_CHANNELS
from motcua.reports.periods import Period, make_period
from motcua.reports.satisfaction import feedback_on_time
from motcua.reports.selectors import Coverage, in_scope
from motcua.reports.tt01 import Timeliness

FORMULA_VERSION = tt01.FORMULA_VERSION

NAMES: dict[int, Promise] = {
    1: _("Total processing time compared with the legal time limit"),
    2: _("Time taken by each participating agency compared with its budget"),
    3: _("Contacts needed to complete the dossier"),
    4: _("Agencies the applicant had to contact"),
    5: _("Procedures fully handled at the one-stop office"),
    6: _("Publication of procedures (posted and electronic)"),
    7: _("Staff attitude"),
    8: _("Feedback and petitions handled on time"),
    9: _("Online public services"),
}

RULES: dict[int, Promise] = {
    1: _("Early 2, on time 1, late 0 (against the legal due date; extended dossiers are late)."),
    2: _(
        "Each process step and consultation against its own budget: shorter 2, equal 1, "
        "longer 0; the worst one counts."
    ),
    3: _("Supplement requests plus completion requests before reception: none 2, one 1, more 0."),
    4: _("None (online or by post) 2; only the one-stop office 1; more 0."),
    5: _("Meets the target of its level (province 20 %, district 50 %, commune 100 %) 2, else 0."),
    6: _("Both posted and electronic 2, one 1, neither 0."),
    7: _("Early and no complaints 2, on time and no complaints 1, otherwise 0."),
    8: _("All on time 2, at least 90 % 1, less or prolonged 0."),
    9: _(
        "At least 20 % of procedures online and at least 30 % of dossiers online with none late "
        "2; at least 15 % of dossiers online 1; otherwise 0."
    ),
}

DEFAULTS: dict[str, Promise] = {
    "worst_agency": _("Several agencies: the worst counts (MotCua default, unconfirmed)."),
    "no_step_data": _("Dossiers without budgeted steps or consultations are not counted."),
    "in_person": _(
        "Counted from the channel and the result delivery; inter-agency tasks do not reach the "
        "applicant (MotCua default)."
    ),
    "not_recorded_one_stop": _(
        "Not available: MotCua does not record which procedures the one-stop office handles fully."
    ),
    "posting_unknown": _(
        "Electronic publication from the catalogue; posting at the office is not recorded, so "
        "this is a lower bound."
    ),
    "complaint_is_report": _(
        "Complaints: feedback of kind “report a problem” about the dossier (MotCua default)."
    ),
    "no_feedback": _("Not available: no feedback was due in the period."),
    "band_15_30": _("The 15–30 % row is read as the share of online dossiers (unconfirmed)."),
    "whole_catalogue": _("Procedures of the agency's level in force at the end of the period."),
    "no_dossiers": _("Not available: no result was issued in the period."),
}

BAND_LABELS: dict[str, Promise] = {
    tt01.Band.EXCELLENT: _("Excellent"),
    tt01.Band.GOOD: _("Good"),
    tt01.Band.FAIR: _("Fair"),
    tt01.Band.AVERAGE: _("Average"),
    tt01.Band.WEAK: _("Weak"),
}


@dataclass(frozen=True)
class LabelledIndex:
    result: tt01.IndexResult
    name: Promise
    rule: Promise
    notes: tuple[Promise, ...]

    @property
    def number(self) -> int:
        return self.result.number

    @property
    def detail(self) -> str:
        """What the score is made of, in one line."""
        r, facts = self.result, self.result.facts
        if r.per_dossier:
            if not r.dossiers:
                return ""
            zero, one, two = r.distribution
            return gettext(
                "%(n)d dossiers: %(two)d with 2 points, %(one)d with 1, %(zero)d with 0."
            ) % {"n": r.dossiers, "two": two, "one": one, "zero": zero}
        if r.number == 6 and "procedures" in facts:
            return gettext("%(published)s of %(total)s procedures in force published.") % {
                "published": facts["published"],
                "total": facts["procedures"],
            }
        if r.number == 8 and facts.get("due"):
            return gettext("%(on_time)s of %(due)s answered by their due date.") % {
                "on_time": facts["on_time"],
                "due": facts["due"],
            }
        if r.number == 9 and "online_share" in facts:
            return gettext(
                "Procedures online: %(procedures)s %%; dossiers online: %(dossiers)s %%; "
                "online dossiers late: %(late)s."
            ) % {
                "procedures": _percent(facts["procedure_share"]),
                "dossiers": _percent(facts["online_share"]),
                "late": facts["online_late"],
            }
        return ""


def _percent(value: float | int | None) -> str:
    return f"{(value or 0) * 100:.1f}".replace(".", ",")


@dataclass(frozen=True)
class EvaluationReport:
    period: Period
    coverage: Coverage
    evaluation: tt01.Evaluation
    rows: tuple[LabelledIndex, ...]
    dossiers: int

    @property
    def band_label(self) -> Promise:
        return BAND_LABELS[self.evaluation.band]


# --- Periods --------------------------------------------------------------------------------------


def evaluation_period(year: int, quarter: int | None, *, today: dt.date) -> Period:
    """A quarter (1–4) or a whole year, ending today at the latest; a future one is refused."""
    if quarter is not None and not 1 <= quarter <= 4:
        raise DomainError("period_quarter", _("A quarter is 1, 2, 3 or 4."))
    if quarter is None:
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        first = dt.date(year, 3 * quarter - 2, 1)
        last = (
            dt.date(year, 12, 31)
            if quarter == 4
            else dt.date(year, 3 * quarter + 1, 1) - dt.timedelta(days=1)
        )
    if first <= today < last:
        last = today  # the current quarter or year so far
    return make_period(first, last, today=today)


# --- Reads ----------------------------------------------------------------------------------------


def evaluated_dossiers(period: Period, coverage: Coverage) -> QuerySet[Dossier]:
    """Dossiers whose result was issued in the period, in the subtree, with a legal due."""
    return Dossier.objects.filter(
        in_scope(coverage),
        resolved_at__gte=period.start,
        resolved_at__lt=period.end,
        due_legal__isnull=False,
    )


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=VN_TZ)


def _timeliness_case(end: str, due: str, output: Callable[[Timeliness], Value]) -> Case:
    """``tt01.timeliness(end, due)`` in SQL (``classify_finished`` at the instant granularity):
    late past the due instant, early on an earlier local day, otherwise on time."""
    return Case(
        When(GreaterThan(F(end), F(due)), then=output(Timeliness.LATE)),
        When(LessThan(_local_day(end), _local_day(due)), then=output(Timeliness.EARLY)),
        default=output(Timeliness.ON_TIME),
    )


def _class(t: Timeliness) -> Value:
    return Value(t.value, output_field=CharField())


def _rank(t: Timeliness) -> Value:
    """A hop's class as its points, so that ``Min`` picks the worst one (``tt01.index2_points``)."""
    return Value(tt01.POINTS[t], output_field=IntegerField())


_CLASS_OF_RANK = {points: t for t, points in tt01.POINTS.items()}


def _worst_hop(period: Period) -> Case:
    """The worst class (as its rank) of the dossier's budgeted steps and consultations, NULL without
    any: one correlated aggregate per dossier on the ``dossier_id`` indexes; consultations are read
    only for the dossiers flagged ``consulted`` (the only ones that have any)."""
    step_rank = Case(
        When(late_minutes__gt=0, then=_rank(Timeliness.LATE)),
        When(
            Q(late_minutes__isnull=True) & GreaterThan(F("finished_at"), F("due_at")),
            then=_rank(Timeliness.LATE),
        ),
        When(
            LessThan(_local_day("finished_at"), _local_day("due_at")),
            then=_rank(Timeliness.EARLY),
        ),
        default=_rank(Timeliness.ON_TIME),
    )
    steps = Subquery(
        DossierStep.objects.filter(
            dossier_id=OuterRef("pk"), due_at__isnull=False, finished_at__isnull=False
        )
        .order_by()
        .values("dossier_id")
        .annotate(worst=Min(step_rank))
        .values("worst"),
        output_field=IntegerField(),
    )
    consultation_rank = Case(
        When(answered_at__isnull=False, then=_timeliness_case("answered_at", "deadline", _rank)),
        When(deadline__lt=period.end, then=_rank(Timeliness.LATE)),
        default=None,
        output_field=IntegerField(),
    )
    consultations = Subquery(
        ConsultationTask.objects.filter(dossier_id=OuterRef("pk"))
        .order_by()
        .values("dossier_id")
        .annotate(worst=Min(consultation_rank))
        .values("worst"),
        output_field=IntegerField(),
    )
    # Least ignores NULLs on PostgreSQL but not on SQLite: coalesce each side with the other.
    return Case(
        When(
            consulted=True,
            then=Least(Coalesce(steps, consultations), Coalesce(consultations, steps)),
        ),
        default=steps,
        output_field=IntegerField(),
    )


def _contacts() -> CombinedExpression:
    """Supplement requests + completion requests (index 3). Supplements are counted on the dossier
    row (``supplement_count``, one per request); completion requests happen only before an online
    dossier is accepted, so the history is probed for online dossiers alone."""
    completions = Coalesce(
        Subquery(
            DossierTransition.objects.filter(
                dossier_id=OuterRef("pk"), action=Action.REQUEST_COMPLETION
            )
            .order_by()
            .values("dossier_id")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    online = Case(
        When(channel__in=ONLINE_CHANNELS, then=completions),
        default=Value(0),
        output_field=IntegerField(),
    )
    return F("supplement_count") + online


def evaluate_agency(period: Period, coverage: Coverage) -> EvaluationReport:
    """The nine indices, the total and the band for ``coverage`` over ``period``.

    The per-dossier inputs (index 1's class, contacts, in person, complaint, worst hop, online) are
    computed in the database and counted per combination: one query returning a few dozen rows
    whatever the number of dossiers; the points come from ``tt01`` for each combination."""
    groups = (
        evaluated_dossiers(period, coverage)
        .annotate(
            klass=_timeliness_case("resolved_at", "due_legal", _class),
            contacts=_contacts(),
            in_person=ExpressionWrapper(
                Q(channel="counter") | Q(result_delivery="counter"), output_field=BooleanField()
            ),
            complained=Exists(
                Feedback.objects.filter(dossier_id=OuterRef("pk"), kind=FeedbackKind.REPORT)
            ),
            worst=_worst_hop(period),
            online=ExpressionWrapper(Q(channel__in=ONLINE_CHANNELS), output_field=BooleanField()),
        )
        .order_by()
        .values_list("klass", "contacts", "in_person", "complained", "worst", "online")
        .annotate(n=Count("pk"))
    )

    p1: Counter[int] = Counter()
    p2: Counter[int] = Counter()
    p3: Counter[int] = Counter()
    p4: Counter[int] = Counter()
    p7: Counter[int] = Counter()
    online_late = 0
    for klass_value, contacts, in_person, complained, worst, online, n in groups:
        klass = Timeliness(klass_value)
        p1[tt01.POINTS[klass]] += n
        if worst is not None:
            points = tt01.index2_points([_CLASS_OF_RANK[worst]])
            if points is not None:
                p2[points] += n
        p3[tt01.index3_points(contacts)] += n
        p4[tt01.index4_points(1 if in_person else 0)] += n
        p7[tt01.index7_points(klass, 1 if complained else 0)] += n
        if online and klass is Timeliness.LATE:
            online_late += n
    dossiers = sum(p1.values())

    results = [
        tt01.counted_result(1, p1),
        tt01.counted_result(2, p2, ("worst_agency", "no_step_data")),
        tt01.counted_result(3, p3),
        tt01.counted_result(4, p4, ("in_person",)),
        tt01.IndexResult(5, None, defaults=("not_recorded_one_stop",)),
        _publication(period, coverage),
        tt01.counted_result(7, p7, ("complaint_is_report",)),
        _feedback(period, coverage),
        _online(period, coverage, online_late),
    ]
    evaluation = tt01.evaluate(results)
    labelled = tuple(
        LabelledIndex(
            r,
            NAMES[r.number],
            RULES[r.number],
            tuple(DEFAULTS[d] for d in r.defaults)
            + (
                (DEFAULTS["no_dossiers"],)
                if r.per_dossier and not r.available and not dossiers
                else ()
            ),
        )
        for r in evaluation.indices
    )
    return EvaluationReport(period, coverage, evaluation, labelled, dossiers)


def _level(coverage: Coverage) -> str | None:
    level = coverage.agency.level
    return level if level in Level.values else None


def _publication(period: Period, coverage: Coverage) -> tt01.IndexResult:
    counts = versions_in_force(period.last, level=_level(coverage)).aggregate(
        total=Count("pk"), published=Count("pk", filter=Q(published_at__isnull=False))
    )
    total, published = counts["total"], counts["published"]
    electronic = (published == total) if total else None
    points, lower = tt01.index6_points(None, electronic)
    return tt01.IndexResult(
        6,
        None if points is None else float(points),
        defaults=("posting_unknown", "whole_catalogue"),
        lower_bound=lower,
        facts={"procedures": total, "published": published},
    )


def _feedback(period: Period, coverage: Coverage) -> tt01.IndexResult:
    counts = feedback_on_time(period, coverage)
    points = tt01.index8_points(counts.on_time, counts.due)
    return tt01.IndexResult(
        8,
        None if points is None else float(points),
        defaults=() if points is not None else ("no_feedback",),
        facts={"due": counts.due, "on_time": counts.on_time},
    )


def _online(period: Period, coverage: Coverage, online_late: int) -> tt01.IndexResult:
    versions = versions_in_force(period.last, level=_level(coverage)).aggregate(
        total=Count("pk"),
        online=Count("pk", filter=Q(online_level__in=[lv.value for lv in ONLINE_LEVELS])),
    )
    received = Dossier.objects.filter(
        in_scope(coverage), received_at__gte=period.start, received_at__lt=period.end
    ).aggregate(total=Count("pk"), online=Count("pk", filter=Q(channel__in=ONLINE_CHANNELS)))
    if not versions["total"] or not received["total"]:
        return tt01.IndexResult(9, None, defaults=("band_15_30", "whole_catalogue"))
    procedure_share = versions["online"] / versions["total"]
    online_share = received["online"] / received["total"]
    points = tt01.index9_points(procedure_share, online_share, online_late)
    return tt01.IndexResult(
        9,
        float(points),
        defaults=("band_15_30", "whole_catalogue"),
        facts={
            "procedure_share": round(procedure_share, 4),
            "online_share": round(online_share, 4),
            "online_late": online_late,
        },
    )


# --- Export ---------------------------------------------------------------------------------------


def to_xlsx(report: EvaluationReport) -> bytes:
    """The evaluation as an Excel workbook, in the style of the periodic report: title rows, bold
    bordered headers, widths, a total row."""
    headers = [
        gettext("Index"),
        gettext("Rule"),
        gettext("Dossiers"),
        gettext("Score"),
        gettext("Maximum"),
        gettext("Explanation"),
    ]
    title = gettext("Evaluation of administrative procedure handling (TT 01/2018/TT-VPCP)")
    subtitle = gettext("%(agency)s — from %(first)s to %(last)s") % {
        "agency": report.coverage.agency.name,
        "first": date_format(report.period.first, "d/m/Y"),
        "last": date_format(report.period.last, "d/m/Y"),
    }
    name = gettext("TT 01/2018 evaluation").replace("/", "-")
    book, sheet = exports.titled_sheet(name, title, subtitle, headers)
    border, header_row = exports.BORDER, exports.HEADER_ROW
    r = header_row
    for item in report.rows:
        r += 1
        result = item.result
        explanation = " ".join(
            [item.detail, *(str(n) for n in item.notes)]
            if result.available
            else [gettext("Not available."), *(str(n) for n in item.notes)]
        ).strip()
        values: list[str | float | int | None] = [
            f"{item.number}. {item.name}",
            str(item.rule),
            result.dossiers if result.per_dossier else None,
            result.score,
            tt01.MAX_POINTS,
            explanation,
        ]
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=c in (1, 2, 6))
            if c == 4:
                cell.number_format = "0.0"
    r += 1
    ev = report.evaluation
    total_values: list[str | float | int | None] = [
        gettext("Total"),
        gettext("%(covered)d of 9 indices available") % {"covered": ev.covered},
        report.dossiers,
        ev.total,
        ev.max_covered,
        str(report.band_label),
    ]
    for c, value in enumerate(total_values, start=1):
        cell = sheet.cell(row=r, column=c, value=value)
        cell.border = border
        cell.font = Font(bold=True)
        if c == 4:
            cell.number_format = "0.0"
    for letter, size in zip("ABCDEF", (48, 48, 11, 9, 9, 60), strict=True):
        sheet.column_dimensions[letter].width = size
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    return exports.workbook_bytes(book)
