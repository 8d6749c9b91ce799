"""Reads of calendar data: the compiled calendar for a code, year views, due dates.

``compiled_calendar`` turns database rows into the pure engine's ``CalendarSpec`` and keeps the
compiled result per process, keyed by the revisions of the calendar and its ancestors — one small
query per call checks freshness, so an administrator's edit applies on the next request everywhere.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.calendars import schedule_vn
from motcua.calendars.engine import (
    DEFAULT_CUTOFF,
    DEFAULT_WEEK,
    CalendarError,
    CalendarSpec,
    CompiledCalendar,
    DueDate,
    DueOptions,
    Reason,
    Unit,
    compile_calendar,
)
from motcua.calendars.messages import domain_error
from motcua.calendars.models import (
    NATIONAL_CODE,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    DayKind,
    EntryStatus,
    WorkingCalendar,
)
from motcua.core import refcache
from motcua.core.errors import DomainError

FIRST_YEAR, LAST_YEAR = 1990, 2100

_lock = threading.Lock()
_compiled: dict[int, tuple[tuple[str, ...], CompiledCalendar]] = {}


def calendar_by_code(code: str | None = None) -> WorkingCalendar:
    """The calendar with ``code`` (default: the national calendar); DomainError if unknown."""
    try:
        return WorkingCalendar.objects.get(code=code or NATIONAL_CODE)
    except WorkingCalendar.DoesNotExist:
        raise DomainError(
            "unknown_calendar",
            _("There is no working calendar with code “%(code)s”."),
            {"code": code or NATIONAL_CODE},
        ) from None


def _chain(calendar_id: int) -> list[tuple[int, str]]:
    """[(id, revision)] from the root calendar down to ``calendar_id`` (one query, memoised per
    process: editing a calendar changes its revision and drops the memo, ``core.refcache``)."""
    return list(refcache.cached("calendar-chain", calendar_id, lambda: _read_chain(calendar_id)))


def _read_chain(calendar_id: int) -> tuple[tuple[int, str], ...]:
    rows = {
        row["id"]: (row["parent_id"], row["revision"])
        for row in WorkingCalendar.objects.values("id", "parent_id", "revision")
    }
    chain: list[tuple[int, str]] = []
    current: int | None = calendar_id
    while current is not None and len(chain) < 20:
        parent, revision = rows[current]
        chain.append((current, revision))
        current = parent
    return tuple(reversed(chain))


def _periods(value: object) -> tuple[tuple[dt.time, dt.time], ...]:
    assert isinstance(value, list)
    return tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in value)


def _reason(day: CalendarDay) -> Reason:
    return Reason(
        day.name_vi,
        day.name_en or day.name_vi,
        day.source,
        day.status,
        day.detail_vi,
        day.detail_en,
    )


def calendar_spec(calendar: WorkingCalendar, *, without: dt.date | None = None) -> CalendarSpec:
    """The engine input for ``calendar``: inherited hours and days, national baseline, overrides.

    ``without`` leaves out ``calendar``'s own entry for that date (what the date would be without
    it), which the edit services use to refuse entries that change nothing.
    """
    ids = [cid for cid, _rev in _chain(calendar.pk)]
    calendars = {c.pk: c for c in WorkingCalendar.objects.filter(pk__in=ids)}
    chain = [calendars[cid] for cid in ids]
    root = chain[0]
    entered = dict(CalendarYear.objects.filter(calendar=root).values_list("year", "provisional"))
    days_off: dict[dt.date, Reason] = {}
    make_up: dict[dt.date, Reason] = {}
    if root.code == NATIONAL_CODE:
        # Years nobody entered yet: the statutory schedule (holidays.VN + compensatory rule).
        for entry in schedule_vn.national_schedule(FIRST_YEAR, LAST_YEAR):
            if entry.date.year in entered:
                continue
            target = days_off if entry.kind is schedule_vn.EntryKind.DAY_OFF else make_up
            target[entry.date] = entry.reason()
    for link in chain:
        for day in CalendarDay.objects.filter(calendar=link):
            if link.pk == calendar.pk and day.date == without:
                continue
            days_off.pop(day.date, None)
            make_up.pop(day.date, None)
            target = days_off if day.kind == DayKind.DAY_OFF else make_up
            target[day.date] = _reason(day)
    weekly = next((c.weekly_periods for c in reversed(chain) if c.weekly_periods), None)
    reception = next((c.reception_periods for c in reversed(chain) if c.reception_periods), None)
    cutoff = next((c.cutoff for c in reversed(chain) if c.cutoff), None)
    provisional = frozenset(
        year for year in range(FIRST_YEAR, LAST_YEAR + 1) if year not in entered or entered[year]
    )
    try:
        return CalendarSpec(
            weekly_periods=tuple(_periods(day) for day in weekly) if weekly else DEFAULT_WEEK,  # type: ignore[arg-type]
            reception_periods=(
                tuple(_periods(day) for day in reception) if reception else None  # type: ignore[arg-type]
            ),
            days_off=days_off,
            make_up_days=make_up,
            cutoff=cutoff or DEFAULT_CUTOFF,
            first_year=FIRST_YEAR,
            last_year=LAST_YEAR,
            provisional_years=provisional,
        )
    except CalendarError as error:
        raise domain_error(error) from error


def compiled_calendar(calendar: WorkingCalendar | str | None = None) -> CompiledCalendar:
    """The compiled calendar (default: national), rebuilt only when its data changed."""
    if not isinstance(calendar, WorkingCalendar):
        calendar = calendar_by_code(calendar)
    key = tuple(revision for _cid, revision in _chain(calendar.pk))
    with _lock:
        cached = _compiled.get(calendar.pk)
    if cached and cached[0] == key:
        return cached[1]
    compiled = compile_calendar(calendar_spec(calendar))
    with _lock:
        _compiled[calendar.pk] = (key, compiled)
    return compiled


def parse_amount(raw: str | int | float | Decimal) -> Decimal:
    """A time-limit amount from user input; DomainError when it is not a number."""
    try:
        amount = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise domain_error(CalendarError("invalid_amount", "not a number")) from None
    if not amount.is_finite():
        raise domain_error(CalendarError("invalid_amount", "not a number"))
    return amount


def compute_due_date(
    received_at: dt.datetime,
    amount: Decimal | int,
    unit: str,
    *,
    calendar: WorkingCalendar | str | None = None,
    counting: str = "working_time",
    cutoff_shifts_clock_start: bool = False,
    calendar_days_skip_holidays: bool = False,
) -> DueDate:
    """Due date of a time limit from a receipt instant, with its explanation (translated errors)."""
    try:
        try:
            unit_value = Unit(unit)
        except ValueError:
            raise CalendarError("unknown_unit", f"unknown unit {unit!r}", unit=unit) from None
        options = DueOptions(
            counting=counting,  # type: ignore[arg-type]  # validated by DueOptions
            cutoff_shifts_clock_start=cutoff_shifts_clock_start,
            calendar_days_skip_holidays=calendar_days_skip_holidays,
        )
        return compiled_calendar(calendar).due_date(received_at, amount, unit_value, options)
    except CalendarError as error:
        raise domain_error(error) from error


_STATUS_LABELS = {
    EntryStatus.DECREED.value: EntryStatus.DECREED.label,
    EntryStatus.SECONDARY.value: EntryStatus.SECONDARY.label,
    EntryStatus.SUGGESTED.value: EntryStatus.SUGGESTED.label,
    schedule_vn.STATUS_SECONDARY: EntryStatus.SECONDARY.label,
    schedule_vn.STATUS_NOT_YET_DECREED: EntryStatus.SUGGESTED.label,
    schedule_vn.STATUS_NOT_ENTERED: _("Statutory rule, year not entered"),
}


@dataclass(frozen=True)
class DayCell:
    """One date in a year view."""

    date: dt.date
    kind: str  # working | weekly_rest | day_off | make_up
    reason: Reason | None
    lunar: str  # lunar "day/month", with "N" after a leap month

    @property
    def status_label(self) -> str:
        """The confidence of the entry, in the active language."""
        if self.reason is None or not self.reason.status:
            return ""
        return str(_STATUS_LABELS.get(self.reason.status, self.reason.status))


@dataclass(frozen=True)
class MonthView:
    """A month as weeks of seven cells (None outside the month)."""

    month: int
    weeks: list[list[DayCell | None]]


def year_view(calendar: WorkingCalendar, year: int) -> list[MonthView]:
    """The twelve months of ``year`` with each date's kind, reason and lunar date."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise domain_error(CalendarError("out_of_range", "year out of range"))
    import lunar_vn

    compiled = compiled_calendar(calendar)
    months = []
    for month in range(1, 13):
        first = dt.date(year, month, 1)
        weeks: list[list[DayCell | None]] = [[None] * first.weekday()]
        day = first
        while day.month == month:
            lunar = lunar_vn.solar_to_lunar(day)
            label = f"{lunar.day}/{lunar.month}" + ("N" if lunar.leap else "")
            cell = DayCell(day, compiled.day_kind(day), compiled.day_reason(day), label)
            if len(weeks[-1]) == 7:
                weeks.append([])
            weeks[-1].append(cell)
            day += dt.timedelta(days=1)
        weeks[-1] += [None] * (7 - len(weeks[-1]))
        months.append(MonthView(month, weeks))
    return months


def special_days(calendar: WorkingCalendar, year: int) -> list[DayCell]:
    """Days off on weekdays and make-up days of ``year`` (the list printed under a year view)."""
    return [
        cell
        for month in year_view(calendar, year)
        for week in month.weeks
        for cell in week
        if cell is not None and cell.kind in {"day_off", "make_up"}
    ]


def calendar_years(calendar: WorkingCalendar) -> QuerySet[CalendarYear]:
    """The years an administrator entered for ``calendar``."""
    return CalendarYear.objects.filter(calendar=calendar).order_by("year")


def calendar_history(calendar: WorkingCalendar, limit: int = 50) -> QuerySet[CalendarChange]:
    """The latest changes to ``calendar`` (newest first), with their actors."""
    return CalendarChange.objects.filter(calendar=calendar).select_related("actor")[:limit]


def own_days(calendar: WorkingCalendar, years: Iterable[int]) -> QuerySet[CalendarDay]:
    """The entries stored on ``calendar`` itself for ``years``."""
    return CalendarDay.objects.filter(calendar=calendar, date__year__in=list(years))


def year_is_provisional(calendar: WorkingCalendar, year: int) -> bool:
    """Whether ``year``'s days off are not final yet (no notice entered and confirmed)."""
    root_id = _chain(calendar.pk)[0][0]
    entry = CalendarYear.objects.filter(calendar_id=root_id, year=year).first()
    return entry is None or entry.provisional


@dataclass(frozen=True)
class DayRange:
    """Consecutive special days with the same occasion (e.g. the nine days of Tết 2026)."""

    first: DayCell
    last: DayCell

    @property
    def days(self) -> int:
        return (self.last.date - self.first.date).days + 1


def special_day_ranges(calendar: WorkingCalendar, year: int) -> list[DayRange]:
    """``special_days`` grouped into runs of consecutive dates with the same kind and occasion."""
    ranges: list[DayRange] = []
    for cell in special_days(calendar, year):
        if ranges:
            last = ranges[-1].last
            same = (
                cell.kind == last.kind
                and cell.reason is not None
                and last.reason is not None
                and cell.reason.group_key == last.reason.group_key
                and cell.date - last.date == dt.timedelta(days=1)
            )
            if same:
                ranges[-1] = DayRange(ranges[-1].first, cell)
                continue
        ranges.append(DayRange(cell, cell))
    return ranges
