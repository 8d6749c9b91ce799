"""The province's periodic report on dossier handling, as officials know it, in Excel and CSV.

Columns follow the usual provincial table (indices.md §4; the national template numbering and exact
columns are unconfirmed): dossiers to handle (carried over + newly received by channel), resolved
(early, on time, late — of which with apology), refused after appraisal, in progress at the period
end (within time, overdue, waiting for the applicant), withdrawn, stopped, on-time rate, average
processing time. A unit's row mixes procedures, so its average is in working days (said in the
header); the workbook's second sheet (and the CSV's second table) lists the procedures, each average
in the procedure's own unit (``units``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.calendars.engine import VN_TZ
from motcua.dossiers.models import Channel
from motcua.dossiers.workflow import Status
from motcua.reports.measures import INDEX
from motcua.reports.periods import Period
from motcua.reports.selectors import (
    BehindRow,
    Coverage,
    Figures,
    Row,
    add_figures,
    field_rows,
    level_rows,
    pair_figures,
    procedure_rows,
    sums,
    unit_rows,
    version_figures,
)
from motcua.reports.xlsx_stream import EXCEL_MAX_ROWS, SheetWriter, Style
from motcua.reports.xlsx_stream import Column as SheetColumn


@dataclass(frozen=True)
class Column:
    title: Promise
    value: Callable[[Figures, dict[str, int]], int | float | None]
    percent: bool = False
    decimals: bool = False


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
    Column(
        gettext_lazy("Average processing time (working days, all procedures)"),
        lambda f, _c: f.average_work_days,
        decimals=True,
    ),
)

#: The procedure table: code, name, received, resolved, on-time rate, average, its unit.
PROCEDURE_HEADERS: tuple[Promise, ...] = (
    gettext_lazy("Code"),
    gettext_lazy("Procedure"),
    gettext_lazy("Received"),
    gettext_lazy("Resolved"),
    gettext_lazy("On-time rate"),
    gettext_lazy("Average processing time"),
    gettext_lazy("Unit of the average"),
)


#: The tables by level and by field: name, received, resolved, early, on time, late, on-time rate.
BREAKDOWN_HEADERS: tuple[Promise, ...] = (
    gettext_lazy("Received"),
    gettext_lazy("Resolved"),
    gettext_lazy("Early"),
    gettext_lazy("On time"),
    gettext_lazy("Late"),
    gettext_lazy("On-time rate"),
)
_BREAKDOWN_FORMATS = ("@", "#,##0", "#,##0", "#,##0", "#,##0", "#,##0", "0.00%")


def _breakdown_values(row: Row) -> list[str | int | float | None]:
    f = row.figures
    return [row.label, f.received, f.resolved, f.early, f.on_time, f.late, f.on_time_rate]


def _unit_text(row: Row) -> str:
    if row.mixed_units:
        return _("%(unit)s (time limits in several units)") % {"unit": row.unit.label}
    return row.unit.label


def _procedure_values(row: Row) -> list[str | int | float | None]:
    f = row.figures
    return [
        row.code,
        row.label,
        f.received,
        f.resolved,
        f.on_time_rate,
        row.average,
        _unit_text(row),
    ]


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str
    headers: list[str]
    rows: list[tuple[str, list[int | float | None]]]
    total: list[int | float | None]
    #: Per procedure, the average in the procedure's own unit.
    procedures: list[Row] = field(default_factory=list)
    #: Per administrative level of the deciding agency, and per field of procedures.
    levels: list[Row] = field(default_factory=list)
    fields: list[Row] = field(default_factory=list)

    def breakdowns(self) -> list[tuple[str, str, str, list[Row]]]:
        """(sheet name, title, first column, rows) of the tables by level and by field."""
        return [
            (_("By level"), _("By administrative level"), _("Administrative level"), self.levels),
            (_("By field"), _("By field of procedures"), _("Field"), self.fields),
        ]


def _values(figures: Figures, by_channel: dict[str, int]) -> list[int | float | None]:
    return [column.value(figures, by_channel) for column in COLUMNS]


def periodic_report(period: Period, coverage: Coverage) -> Report:
    """The report's rows: one per unit under the chosen agency, then the total."""
    per_pair = pair_figures(period, coverage)
    per_version = version_figures(period, coverage.ids)
    units: list[Row] = unit_rows(period, coverage, per_pair)
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
    total = add_figures(per_pair.values())
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
        procedures=procedure_rows(period, coverage.ids, None, per_version),
        levels=level_rows(period, coverage, per_pair),
        fields=field_rows(period, coverage.ids, per_version),
    )


#: Thin black borders on every cell of an official table.
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
#: Row of the column headers, under the title and subtitle rows.
HEADER_ROW = 4


def titled_sheet(
    name: str, title: str, subtitle: str, headers: list[str], book: Workbook | None = None
) -> tuple[Workbook, Any]:
    """A sheet as officials expect a report — a bold centred title and an italic subtitle across
    the table, then bold bordered headers on ``HEADER_ROW`` — in a new workbook, or added to
    ``book``."""
    if book is None:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = name[:31]
    else:
        sheet = book.create_sheet(name[:31])
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
    decimal_columns = {i + 2 for i, c in enumerate(COLUMNS) if c.decimals}
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
            elif c in decimal_columns:
                cell.number_format = "#,##0.0"
            else:
                cell.number_format = "#,##0"
    sheet.column_dimensions["A"].width = 48
    for c in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 13
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    _procedure_sheet(book, report)
    for name, title, first, breakdown in report.breakdowns():
        _breakdown_sheet(book, name, title, first, report.subtitle, breakdown)
    return workbook_bytes(book)


def _breakdown_sheet(
    book: Workbook, name: str, title: str, first: str, subtitle: str, rows: list[Row]
) -> None:
    """A sheet of one breakdown (by level, by field): a row each, then the total."""
    headers = [first, *(str(h) for h in BREAKDOWN_HEADERS)]
    _book, sheet = titled_sheet(name, title, subtitle, headers, book)
    total = Row("", _("Total"), add_figures(r.figures for r in rows))
    for r, row in enumerate([*rows, total], start=HEADER_ROW + 1):
        for c, value in enumerate(_breakdown_values(row), start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = BORDER
            cell.number_format = _BREAKDOWN_FORMATS[c - 1]
            cell.font = Font(bold=row is total)
    sheet.column_dimensions["A"].width = 48
    for c in range(2, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 13
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=2)


def _procedure_sheet(book: Workbook, report: Report) -> None:
    """The second sheet: one row per procedure, its average in its own unit (named)."""
    _book, sheet = titled_sheet(
        _("By procedure"),
        _("Average processing time by procedure"),
        report.subtitle,
        [str(h) for h in PROCEDURE_HEADERS],
        book,
    )
    formats = ("@", "@", "#,##0", "#,##0", "0.00%", "#,##0.0", "@")
    for r, procedure in enumerate(report.procedures, start=HEADER_ROW + 1):
        for c, value in enumerate(_procedure_values(procedure), start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = BORDER
            cell.number_format = formats[c - 1]
    for letter, width in zip("ABCDEFG", (14, 60, 11, 11, 11, 13, 22), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=3)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cells(values: Iterable[str | int | float | None]) -> list[str | int | float]:
    """Cells as the CSV writes them: empty for None, rates and averages to four decimals."""
    return ["" if v is None else round(v, 4) if isinstance(v, float) else v for v in values]


def csv_lines(report: Report) -> Iterator[str]:
    """The report as CSV lines (UTF-8 with a BOM so Excel reads Vietnamese), for streaming."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([report.title])
    yield writer.writerow([report.subtitle])
    yield writer.writerow(report.headers)
    for label, values in [*report.rows, (_("Total"), report.total)]:
        yield writer.writerow([label, *_csv_cells(values)])
    if report.procedures:
        yield writer.writerow([])
        yield writer.writerow([_("Average processing time by procedure")])
        yield writer.writerow([str(h) for h in PROCEDURE_HEADERS])
        for procedure in report.procedures:
            yield writer.writerow(_csv_cells(_procedure_values(procedure)))
    for _name, title, first, rows in report.breakdowns():
        yield writer.writerow([])
        yield writer.writerow([title])
        yield writer.writerow([first, *(str(h) for h in BREAKDOWN_HEADERS)])
        for row in rows:
            yield writer.writerow(_csv_cells(_breakdown_values(row)))


# --- The dossiers behind a figure -----------------------------------------------------------------

#: What each drillable figure is called in an export's title and its "Counts as" column.
METRIC_LABELS: dict[str, Promise] = {
    "received": gettext_lazy("Newly received"),
    "resolved": gettext_lazy("Resolved"),
    "resolved_early": gettext_lazy("Resolved early"),
    "resolved_on_time": gettext_lazy("Resolved on time"),
    "resolved_late": gettext_lazy("Resolved late"),
    "resolved_late_apology": gettext_lazy("Resolved late, with apology"),
    "refused": gettext_lazy("Refused after appraisal"),
    "refused_late": gettext_lazy("Refused after appraisal, late"),
    "refused_intake": gettext_lazy("Refused at intake"),
    "stopped": gettext_lazy("Stopped"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "returned": gettext_lazy("Results returned"),
    "apologies": gettext_lazy("Apologies (extended appointments)"),
    "supplements": gettext_lazy("Supplement requests"),
    "nat_on_time": gettext_lazy("Finished on time (national measure)"),
    "nat_late": gettext_lazy("Finished late (national measure)"),
    "open": gettext_lazy("In progress at the end"),
    "paused": gettext_lazy("Waiting for the applicant's supplement at the end"),
    "overdue": gettext_lazy("In progress at the end, overdue"),
    "nat_late_open": gettext_lazy("In progress at the end, late (national measure)"),
}

#: The export's columns: header, width in Excel, style of its cells.
DOSSIER_COLUMNS: tuple[tuple[Promise, float, Style], ...] = (
    (gettext_lazy("No."), 7, Style.INTEGER),
    (gettext_lazy("Dossier code"), 24, Style.TEXT),
    (gettext_lazy("Procedure code"), 16, Style.TEXT),
    (gettext_lazy("Procedure"), 50, Style.TEXT),
    (gettext_lazy("Applicant"), 28, Style.TEXT),
    (gettext_lazy("Receiving office"), 32, Style.TEXT),
    (gettext_lazy("Competent agency"), 32, Style.TEXT),
    (gettext_lazy("Channel"), 18, Style.TEXT),
    (gettext_lazy("Received at"), 17, Style.DATETIME),
    (gettext_lazy("Appointment"), 17, Style.DATETIME),
    (gettext_lazy("Result issued at"), 17, Style.DATETIME),
    (gettext_lazy("Result returned at"), 17, Style.DATETIME),
    (gettext_lazy("Ended at"), 17, Style.DATETIME),
    (gettext_lazy("Status"), 24, Style.TEXT),
    (gettext_lazy("Days late"), 10, Style.INTEGER),
    (gettext_lazy("Counts as"), 30, Style.TEXT),
)


@dataclass(frozen=True)
class DossierList:
    """Title and subtitle of an export of the dossiers behind a figure."""

    title: str
    subtitle: str


def dossier_list(period: Period, coverage: Coverage, metrics: list[str]) -> DossierList:
    return DossierList(
        title=_("Dossiers: %(figure)s")
        % {"figure": "; ".join(str(METRIC_LABELS.get(m, m)) for m in metrics)},
        subtitle=_("%(agency)s — from %(first)s to %(last)s")
        % {
            "agency": coverage.agency.name,
            "first": date_format(period.first, "d/m/Y"),
            "last": date_format(period.last, "d/m/Y"),
        },
    )


def _local(value: dt.datetime | None) -> dt.datetime | None:
    return value.astimezone(VN_TZ).replace(tzinfo=None) if value is not None else None


def _labels() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Channel, status and figure labels in the active language (translated once per export)."""
    return (
        {str(c.value): str(c.label) for c in Channel},
        {str(s.value): str(s.label) for s in Status},
        {m: str(label) for m, label in METRIC_LABELS.items()},
    )


type Cell = str | int | dt.datetime | None


def _dossier_cells(
    rows: Iterable[BehindRow], labels: tuple[dict[str, str], dict[str, str], dict[str, str]]
) -> Iterator[list[Cell]]:
    """Each dossier's cells in ``DOSSIER_COLUMNS`` order (times in Vietnamese local time)."""
    channels, statuses, figures_ = labels
    for number, row in enumerate(rows, start=1):
        yield [
            number,
            row.code,
            row.procedure_code,
            row.procedure_name,
            row.applicant,
            row.receiving_office,
            row.competent_agency,
            channels.get(row.channel, row.channel),
            _local(row.received_at),
            _local(row.due),
            _local(row.resolved_at),
            _local(row.returned_at),
            _local(row.ended_at),
            statuses.get(row.status, row.status),
            row.days_late,
            ", ".join(figures_.get(m, m) for m in row.metrics),
        ]


def dossiers_csv_lines(listing: DossierList, rows: Iterable[BehindRow]) -> Iterator[str]:
    """The dossiers as CSV (UTF-8 with a BOM so Excel reads Vietnamese; times ``dd/mm/yyyy
    HH:MM`` in Vietnamese time), one piece per 500 dossiers, for streaming. Every text is
    translated now, in the request's language; the rows are read while the response is sent."""
    writer = csv.writer(_Echo())
    head = (
        "\ufeff"
        + writer.writerow([listing.title])
        + writer.writerow([listing.subtitle])
        + writer.writerow([str(title) for title, _w, _s in DOSSIER_COLUMNS])
    )
    return _csv_pieces(writer, head, _dossier_cells(rows, _labels()))


def _csv_pieces(writer: Any, head: str, cells: Iterator[list[Cell]]) -> Iterator[str]:
    yield head
    batch: list[str] = []
    for values in cells:
        batch.append(
            writer.writerow(
                [
                    ""
                    if v is None
                    else v.strftime("%d/%m/%Y %H:%M")
                    if isinstance(v, dt.datetime)
                    else v
                    for v in values
                ]
            )
        )
        if len(batch) >= 500:
            yield "".join(batch)
            batch.clear()
    yield "".join(batch)


def dossiers_xlsx_chunks(
    listing: DossierList, rows: Iterable[BehindRow], *, max_rows: int = EXCEL_MAX_ROWS
) -> Iterator[bytes]:
    """The dossiers as an Excel workbook, streamed (``xlsx_stream``): title rows, bold bordered
    headers, real date-times shown ``dd/mm/yyyy hh:mm``; past Excel's row limit the last row says
    the list was cut and the CSV has it all. Texts are translated now (see the CSV)."""
    writer = SheetWriter(
        _("Dossiers"),
        listing.title,
        listing.subtitle,
        [SheetColumn(str(title), width, style) for title, width, style in DOSSIER_COLUMNS],
        max_rows=max_rows,
        on_overflow=_(
            "The list stops here: an Excel sheet holds %(rows)s rows. Download the CSV file "
            "for every dossier."
        )
        % {"rows": number_format(max_rows, force_grouping=True)},
    )
    return writer.chunks(_dossier_cells(rows, _labels()))
