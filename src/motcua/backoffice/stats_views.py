"""Statistics pages of the back office (thin: parse period and agency, call a selector, render)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from motcua.core.clock import today
from motcua.core.errors import DomainError
from motcua.core.forms import StyledForm
from motcua.core.models import User
from motcua.dossiers.services import NotFound
from motcua.organizations.policy import is_staff_member
from motcua.reports import evaluation, exports
from motcua.reports.index766 import FORMULA_VERSION, index_766, scorecard, summarise
from motcua.reports.periods import PRESETS, Period, make_period, preset
from motcua.reports.selectors import (
    DRILLABLE,
    Coverage,
    coverage_for,
    dashboard,
    dossiers_behind,
    every_dossier_behind,
    figure_count,
)
from motcua.reports.xlsx_stream import EXCEL_MAX_ROWS, HEADER_ROW


class PeriodForm(StyledForm):
    """The period (from, to) and the agency a statistic covers (rendered by the template)."""

    first = forms.DateField(label=_("From"), required=False)
    last = forms.DateField(label=_("To"), required=False)
    agency = forms.IntegerField(label=_("Agency"), required=False)
    preset = forms.ChoiceField(required=False, choices=[(p, p) for p in PRESETS])


PRESET_LABELS = (
    ("month", _("This month")),
    ("last_month", _("Last month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("last_year", _("Last year")),
    ("last_12_months", _("Last 12 months")),
)


def _staff(request: HttpRequest) -> User | None:
    user = request.user
    if isinstance(user, User) and is_staff_member(user, today()):
        return user
    return None


def _parse(request: HttpRequest, user: User) -> tuple[PeriodForm, Period | None, Coverage]:
    """The form, the period (None when invalid: errors on the form) and the coverage (or 404)."""
    on = today()
    form = PeriodForm(request.GET)
    agency_id: int | None = None
    period: Period | None = None
    if form.is_valid():
        data = form.cleaned_data
        agency_id = data["agency"]
        if data["first"] or data["last"]:
            try:
                period = make_period(data["first"] or data["last"], data["last"] or on, today=on)
            except DomainError as error:
                form.add_error(None, str(error))
        else:
            period = preset(data["preset"] or "year", today=on)
    try:
        coverage = coverage_for(user, on, agency_id)
    except NotFound:
        raise Http404 from None
    return form, period, coverage


def _query(period: Period, coverage: Coverage, **extra: Any) -> str:
    from urllib.parse import urlencode

    params = {
        "first": period.first.isoformat(),
        "last": period.last.isoformat(),
        "agency": coverage.agency.pk,
    }
    params.update(extra)
    return urlencode(params)


def _context(
    form: PeriodForm, period: Period | None, coverage: Coverage, **more: Any
) -> dict[str, Any]:
    return {
        "form": form,
        "period": period,
        "coverage": coverage,
        "presets": PRESET_LABELS,
        "query": _query(period, coverage) if period else "",
        **more,
    }


@never_cache
@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Received, resolved, in progress; by month, channel, unit and procedure."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    form, period, coverage = _parse(request, user)
    if period is None:
        return render(
            request, "backoffice/stats/dashboard.html", _context(form, None, coverage), status=400
        )
    data = dashboard(period, coverage)
    return render(
        request, "backoffice/stats/dashboard.html", _context(form, period, coverage, data=data)
    )


@never_cache
@login_required
def index_page(request: HttpRequest) -> HttpResponse:
    """The Decision 766 index preview: each indicator's value, points and source."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    form, period, coverage = _parse(request, user)
    if period is None:
        return render(
            request, "backoffice/stats/index766.html", _context(form, None, coverage), status=400
        )
    indicators = index_766(period, coverage)
    return render(
        request,
        "backoffice/stats/index766.html",
        _context(
            form,
            period,
            coverage,
            indicators=indicators,
            summary=summarise(indicators),
            formula_version=FORMULA_VERSION,
        ),
    )


@never_cache
@login_required
def scorecard_page(request: HttpRequest) -> HttpResponse:
    """Reform figures: online services by level, online dossiers, e-results, digitisation."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    form, period, coverage = _parse(request, user)
    if period is None:
        return render(
            request, "backoffice/stats/scorecard.html", _context(form, None, coverage), status=400
        )
    return render(
        request,
        "backoffice/stats/scorecard.html",
        _context(form, period, coverage, card=scorecard(period, coverage)),
    )


def _metrics(request: HttpRequest) -> list[str]:
    """The figures of a drill-down (``metric=a,b``); none valid → 404."""
    metrics = [m for m in request.GET.get("metric", "").split(",") if m in DRILLABLE]
    if not metrics:
        raise Http404
    return metrics


@never_cache
@login_required
def dossiers_page(request: HttpRequest) -> HttpResponse:
    """The dossiers behind a figure (only those the officer may see)."""
    parsed = _drill_request(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    user, form, period, coverage, metrics = parsed
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    size = 50
    page = dossiers_behind(
        user, period, coverage, metrics, offset=(page_number - 1) * size, size=size
    )
    return render(
        request,
        "backoffice/stats/dossiers.html",
        _context(
            form,
            period,
            coverage,
            page=page,
            lines=[
                (line, [str(exports.METRIC_LABELS.get(m, m)) for m in line.metrics])
                for line in page.lines
            ],
            figure_name=exports.dossier_list(period, coverage, metrics).title,
            metrics=metrics,
            metric_param=",".join(metrics),
            page_number=page_number,
            figure=figure_count(period, coverage, metrics),
            excel_rows=EXCEL_MAX_ROWS - HEADER_ROW,
        ),
    )


def _drill_request(
    request: HttpRequest,
) -> tuple[User, PeriodForm, Period, Coverage, list[str]] | HttpResponse:
    """What the list or an export of the dossiers behind a figure needs, or the page that says
    what is wrong (403 not staff, 400 a bad period with its message; 404 another agency or no
    figure)."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    form, period, coverage = _parse(request, user)
    metrics = _metrics(request)
    if period is None:
        return _drill_refused(request, form, coverage, metrics)
    return user, form, period, coverage, metrics


def _drill_refused(
    request: HttpRequest, form: PeriodForm, coverage: Coverage, metrics: list[str]
) -> HttpResponse:
    """The drill-down page with the form's errors and no list (400)."""
    return render(
        request,
        "backoffice/stats/dossiers.html",
        _context(form, None, coverage, metric_param=",".join(metrics)),
        status=400,
    )


def _export_name(period: Period, coverage: Coverage, metrics: list[str]) -> str:
    return _filename(period, coverage, "ho-so-" + metrics[0].replace("_", "-"))


@never_cache
@login_required
def dossiers_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    """Every dossier behind a figure as CSV, streamed while it is read (no row limit)."""
    parsed = _drill_request(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    user, _form, period, coverage, metrics = parsed
    response = StreamingHttpResponse(
        exports.dossiers_csv_lines(
            exports.dossier_list(period, coverage, metrics),
            every_dossier_behind(user, period, coverage, metrics),
        ),
        content_type="text/csv; charset=utf-8",
    )
    name = _export_name(period, coverage, metrics)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@never_cache
@login_required
def dossiers_xlsx(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    """Every dossier behind a figure as an Excel workbook, streamed while it is read; refused
    (400, with the reason) when the figure alone is more than a sheet holds."""
    parsed = _drill_request(request)
    if isinstance(parsed, HttpResponse):
        return parsed
    user, form, period, coverage, metrics = parsed
    figure = figure_count(period, coverage, metrics)
    if figure > EXCEL_MAX_ROWS - HEADER_ROW:
        form.add_error(
            None,
            _(
                "This figure counts %(count)s dossiers, more than an Excel sheet holds "
                "(%(rows)s rows). Download the CSV file, or choose a shorter period or a smaller "
                "agency."
            )
            % {"count": _dots(figure), "rows": _dots(EXCEL_MAX_ROWS)},
        )
        return _drill_refused(request, form, coverage, metrics)
    response = StreamingHttpResponse(
        exports.dossiers_xlsx_chunks(
            exports.dossier_list(period, coverage, metrics),
            every_dossier_behind(user, period, coverage, metrics),
        ),
        content_type=XLSX,
    )
    name = _export_name(period, coverage, metrics)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _dots(n: int) -> str:
    return number_format(n, force_grouping=True)


@never_cache
@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    """The periodic report as an Excel workbook."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    _form, period, coverage = _parse(request, user)
    if period is None:
        raise Http404
    report = exports.periodic_report(period, coverage)
    return _xlsx_response(exports.to_xlsx(report), _filename(period, coverage))


@never_cache
@login_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse | HttpResponse:
    """The periodic report as CSV, streamed."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    _form, period, coverage = _parse(request, user)
    if period is None:
        raise Http404
    report = exports.periodic_report(period, coverage)
    response = StreamingHttpResponse(
        exports.csv_lines(report), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(period, coverage)}.csv"'
    return response


def _filename(period: Period, coverage: Coverage, prefix: str = "bao-cao") -> str:
    return f"{prefix}-{coverage.agency.code}-{period.first:%Y%m%d}-{period.last:%Y%m%d}"


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _evaluation_period(
    request: HttpRequest, form: PeriodForm, period: Period | None
) -> Period | None:
    """``year`` (and ``quarter``) when given, else the ordinary period; errors go on the form."""
    year, quarter = request.GET.get("year", ""), request.GET.get("quarter", "")
    if not year:
        return period
    try:
        return evaluation.evaluation_period(
            int(year), int(quarter) if quarter else None, today=today()
        )
    except ValueError:
        form.add_error(None, str(_("Choose a year and a quarter (1–4).")))
    except DomainError as error:
        form.add_error(None, str(error))
    return None


@never_cache
@login_required
def evaluation_page(request: HttpRequest) -> HttpResponse:
    """The TT 01/2018 evaluation: nine indices, the total and the band (quarter or year)."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    form, period, coverage = _parse(request, user)
    period = _evaluation_period(request, form, period)
    on = today()
    quarters = [(on.year, q) for q in range(1, (on.month - 1) // 3 + 2)]
    more = {"quarters": quarters, "years": (on.year, on.year - 1), "last_year": on.year - 1}
    if period is None:
        return render(
            request,
            "backoffice/stats/tt01.html",
            _context(form, None, coverage, **more),
            status=400,
        )
    report = evaluation.evaluate_agency(period, coverage)
    return render(
        request,
        "backoffice/stats/tt01.html",
        _context(
            form,
            period,
            coverage,
            report=report,
            formula_version=evaluation.FORMULA_VERSION,
            **more,
        ),
    )


@never_cache
@login_required
def evaluation_xlsx(request: HttpRequest) -> HttpResponse:
    """The TT 01/2018 evaluation as an Excel workbook."""
    user = _staff(request)
    if user is None:
        return render(request, "backoffice/not_staff.html", status=403)
    form, period, coverage = _parse(request, user)
    period = _evaluation_period(request, form, period)
    if period is None:
        raise Http404
    report = evaluation.evaluate_agency(period, coverage)
    return _xlsx_response(evaluation.to_xlsx(report), _filename(period, coverage, "danh-gia-tt01"))
