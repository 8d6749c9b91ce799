"""The province's periodic report on dossier handling, as officials know it, in Excel and CSV.

Columns follow the usual provincial table (indices.md §4; the national template numbering and exact
columns are unconfirmed): dossiers to handle (carried over + newly received by channel), resolved
(early, on time, late — of which with apology), refused after appraisal, in progress at the period
end (within time, overdue, waiting for the applicant), withdrawn, stopped, on-time rate.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.reports.measures import INDEX
from motcua.reports.periods import Period
from motcua.reports.selectors import Coverage, Figures, Row, sums, unit_rows


@dataclass(frozen=True)
class Column:
    title: Promise
    value: Callable[[Figures, dict[str, int]], int | float | None]
    percent: bool = False


def _channel(*channels: str) -> Callable[[Figures, dict[str, int]], int]:
    return lambda _f, by_channel: sum(by_channel.get(c, 0) for c in channels)


COLUMNS: tuple[Column, ...] = (
    Column(gettext_lazy("Carried over"), lambda f, _c: f.carried_over),
    Column(gettext_lazy("Newly received"), lambda f, _c: f.received),
    Column(gettext_lazy("of which at the desk"), _channel("counter")),
    Column(gettext_lazy("of which by post"), _channel("post")),
    Column(gettext_lazy("of which online"), _channel("portal", "national_portal", "vneid")),
    Column(gettext_lazy("To handle"), lambda f, _c: f.to_handle),
    Column(gettext_lazy("Resolved"), lambda f, _c: f.resolved),
    Column(gettext_lazy("Early"), lambda f, _c: f.early),
    Column(gettext_lazy("On time"), lambda f, _c: f.on_time),
    Column(gettext_lazy("Late"), lambda f, _c: f.late),
    Column(gettext_lazy("of which with apology"), lambda f, _c: f.late_apology),
    Column(gettext_lazy("Refused after appraisal"), lambda f, _c: f.refused),
    Column(gettext_lazy("In progress"), lambda f, _c: f.in_progress),
    Column(gettext_lazy("Within time"), lambda f, _c: f.within_time),
    Column(gettext_lazy("Overdue"), lambda f, _c: f.overdue),
    Column(gettext_lazy("Waiting for the applicant"), lambda f, _c: f.paused),
    Column(gettext_lazy("Withdrawn"), lambda f, _c: f.flow("withdrawn")),
    Column(gettext_lazy("Stopped"), lambda f, _c: f.flow("stopped")),
    Column(gettext_lazy("On-time rate"), lambda f, _c: f.on_time_rate, percent=True),
)


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    headers: list[str]
    rows: list[tuple[str, list[int | float | None]]]
    total: list[int | float | None]


def _values(figures: Figures, by_channel: dict[str, int]) -> list[int | float | None]:
    return [column.value(figures, by_channel) for column in COLUMNS]


def periodic_report(period: Period, coverage: Coverage) -> Report:
    """The report's rows: one per unit under the chosen agency, then the total."""
    units: list[Row] = unit_rows(period, coverage)
    channel_rows = sums(
        period.first, period.last, coverage.ids, ("competent_id", "receiving_id", "channel")
    )
    from motcua.reports.selectors import _unit_of

    per_unit: dict[int, dict[str, int]] = {}
    totals_by_channel: dict[str, int] = {}
    for (competent, receiving, channel), row in channel_rows.items():
        assert isinstance(competent, int)
        assert isinstance(receiving, int)
        unit = _unit_of(coverage.tree, coverage.agency, competent, receiving)
        agency = coverage.tree.agencies.get(unit)
        if agency is not None and agency.kind == "division" and agency.parent_id:
            unit = agency.parent_id
        n = row[INDEX["received"]]
        bucket = per_unit.setdefault(unit, {})
        bucket[str(channel)] = bucket.get(str(channel), 0) + n
        totals_by_channel[str(channel)] = totals_by_channel.get(str(channel), 0) + n
    from motcua.reports.selectors import figures

    total = figures(period, coverage.ids)
    return Report(
        title=_("Report on the handling of administrative procedures"),
        subtitle=_("%(agency)s — from %(first)s to %(last)s")
        % {
            "agency": coverage.agency.name,
            "first": date_format(period.first, "d/m/Y"),
            "last": date_format(period.last, "d/m/Y"),
        },
        headers=[_("Unit"), *(str(c.title) for c in COLUMNS)],
        rows=[(r.label, _values(r.figures, per_unit.get(int(str(r.key)), {}))) for r in units],
        total=_values(total, totals_by_channel),
    )


#: Thin black borders on every cell of an official table.
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
#: Row of the column headers, under the title and subtitle rows.
HEADER_ROW = 4


def titled_sheet(name: str, title: str, subtitle: str, headers: list[str]) -> tuple[Workbook, Any]:
    """A workbook with one sheet as officials expect a report: a bold centred title and an italic
    subtitle across the table, then bold bordered headers on ``HEADER_ROW``."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name[:31]
    for row, text, font in ((1, title, Font(bold=True, size=14)), (2, subtitle, Font(italic=True))):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
    for i, text in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=i, value=text)
        cell.font = Font(bold=True)
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return book, sheet


def workbook_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_xlsx(report: Report) -> bytes:
    """The report as an Excel workbook: title rows, bold bordered headers, widths, a total row."""
    book, sheet = titled_sheet(_("Report"), report.title, report.subtitle, report.headers)
    width = len(report.headers)
    border = BORDER
    header_row = HEADER_ROW
    sheet.row_dimensions[header_row].height = 45
    percent_columns = {i + 2 for i, c in enumerate(COLUMNS) if c.percent}
    rows = [*report.rows, (_("Total"), report.total)]
    for r, (label, values) in enumerate(rows, start=header_row + 1):
        bold = r == header_row + len(rows)
        sheet.cell(row=r, column=1, value=label).border = border
        sheet.cell(row=r, column=1).font = Font(bold=bold)
        for c, value in enumerate(values, start=2):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = border
            cell.font = Font(bold=bold)
            if c in percent_columns:
                cell.number_format = "0.00%"
            else:
                cell.number_format = "#,##0"
    sheet.column_dimensions["A"].width = 48
    for c in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 13
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    return workbook_bytes(book)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(report: Report) -> Iterator[str]:
    """The report as CSV lines (UTF-8 with a BOM so Excel reads Vietnamese), for streaming."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([report.title])
    yield writer.writerow([report.subtitle])
    yield writer.writerow(report.headers)
    for label, values in [*report.rows, (_("Total"), report.total)]:
        yield writer.writerow(
            [
                label,
                *("" if v is None else round(v, 4) if isinstance(v, float) else v for v in values),
            ]
        )
