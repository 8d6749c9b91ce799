"""Explanations of due dates: the named days a window skips or uses, and the ``DueDate`` result.

Scope: ``explain_due`` turns what ``algorithm.due_minutes`` found out (``_Info``) into the
structured explanation items of ``DueDate`` (domain notes §9.2 step 4); ``window_items`` names the
days off (grouped by occasion and instrument), weekly rest days and make-up days of a window of
days; ``provisional_years`` lists the years of a window whose table is not decreed yet.

Known limits: explanations walk the days of the counted window (O(days)); only ``due_date`` and
``window_explanation`` build them, never ``add``, ``add_many`` or ``add_array``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

from .algorithm import ENGINE_VERSION, _Info
from .explain import (
    ClockClamped,
    CountingStarts,
    CutoffApplied,
    DaysOffSkipped,
    DueAt,
    ExplanationItem,
    LimitStated,
    MakeUpDayUsed,
    MonthEndClamped,
    ProvisionalCalendar,
    Received,
    RolledForward,
    WeeklyRestSkipped,
    render_explanation,
)
from .limits import _DAY, _UNITS, DAY_OFF, MAKE_UP, WEEKLY_REST, _amount_text, _minute_time
from .spec import VN_TZ, DueOptions, Reason, Unit
from .tables import CalendarTables


@dataclass(frozen=True, slots=True)
class DueDate:
    """A computed due date with where counting started and why (structured explanation)."""

    received_at: datetime
    counting_starts_at: datetime
    due_at: datetime
    amount: Fraction
    unit: Unit
    options: DueOptions
    #: The limit in working minutes for working-time units, else ``None``.
    working_minutes: int | None
    #: Years in the window whose day-off table is not decreed yet (the due may move).
    provisional_years: tuple[int, ...]
    calendar_fingerprint: str
    engine_version: str
    explanation: tuple[ExplanationItem, ...]

    def render(self, language: str = "vi") -> list[str]:
        """The explanation as human-readable lines (Vietnamese by default)."""
        return render_explanation(self.explanation, language)


def explain_due(
    cal: CalendarTables,
    received_at: datetime,
    mf: int,
    code: int,
    options: DueOptions,
    start: int,
    due: int,
    info: _Info,
) -> DueDate:
    """The ``DueDate`` of a computed (start, due) with its explanation items."""
    received = received_at.astimezone(VN_TZ)
    value, wmin, why = info.value, info.minutes, info.why
    items: list[ExplanationItem] = [
        LimitStated(_amount_text(value), _UNITS[code].value, options.counting.value, wmin),
        Received(received),
    ]
    if why == "cutoff":
        items.append(CutoffApplied(received, cal.spec.cutoff))
    items.append(CountingStarts(cal._dt(start), received, why))
    rd = mf // _DAY
    dd = due // _DAY
    if info.window is None:  # working time: everything between receipt and due
        items += window_items(cal, rd, dd, make_up_from=start // _DAY)
    else:
        skip_from, skip_to, target = info.window
        if skip_from <= skip_to:  # calendar days not counted (option skip holidays)
            items += window_items(cal, skip_from, skip_to, only_uncounted=True)
        if info.month_end is not None:
            year, month, day_no = info.month_end
            items.append(MonthEndClamped(year, month, day_no, cal._date(target)))
        if target < dd:
            items += window_items(cal, target, dd - 1)
            items.append(RolledForward(cal._date(target), cal._date(dd)))
        if cal._kind[dd] == MAKE_UP:
            items += window_items(cal, dd, dd)
        if info.clamped is not None:
            requested, used = info.clamped
            items.append(ClockClamped(_minute_time(requested), _minute_time(used)))
    provisional = provisional_years(cal, rd, dd)
    if provisional:
        items.append(ProvisionalCalendar(provisional))
    due_dt = cal._dt(due)
    items.append(DueAt(due_dt))
    return DueDate(
        received_at=received,
        counting_starts_at=cal._dt(start),
        due_at=due_dt,
        amount=value,
        unit=_UNITS[code],
        options=options,
        working_minutes=wmin,
        provisional_years=provisional,
        calendar_fingerprint=cal.spec.fingerprint,
        engine_version=ENGINE_VERSION,
        explanation=tuple(items),
    )


def window_items(
    cal: CalendarTables,
    d_from: int,
    d_to: int,
    *,
    make_up_from: int | None = None,
    only_uncounted: bool = False,
) -> list[ExplanationItem]:
    """Named non-working days (grouped) and make-up days used in [d_from, d_to]."""
    items: list[ExplanationItem] = []
    weekly: list[date] = []
    # The open group of consecutive days off with the same reason: (first, last, reason).
    group: tuple[int, int, Reason] | None = None
    kind = cal._kind
    days_off = cal.spec.days_off
    for i in range(max(d_from, 0), min(d_to, cal._n - 1) + 1):
        k = kind[i]
        if only_uncounted and (k != DAY_OFF or cal._cnt[i + 1] != cal._cnt[i]):
            continue
        if k == DAY_OFF:
            reason = days_off[cal._date(i)]
            if group and group[1] == i - 1 and group[2].group_key == reason.group_key:
                group = (group[0], i, group[2])
                continue
            if group:
                items.append(_group_item(cal, *group))
            group = (i, i, reason)
        elif k == WEEKLY_REST:
            weekly.append(cal._date(i))
        elif k == MAKE_UP and (make_up_from is None or i >= make_up_from):
            if group:
                items.append(_group_item(cal, *group))
                group = None
            d = cal._date(i)
            items.append(MakeUpDayUsed(d, cal.spec.make_up_days[d]))
    if group:
        items.append(_group_item(cal, *group))
    if weekly:
        items.append(WeeklyRestSkipped(tuple(weekly)))
    return items


def _group_item(cal: CalendarTables, first: int, last: int, reason: Reason) -> DaysOffSkipped:
    return DaysOffSkipped(cal._date(first), cal._date(last), reason)


def provisional_years(cal: CalendarTables, d_from: int, d_to: int) -> tuple[int, ...]:
    """Years of the days [d_from, d_to] whose day-off table is provisional."""
    years = cal.spec.provisional_years
    if not years:
        return ()
    y0 = cal._date(min(d_from, d_to)).year
    y1 = cal._date(max(d_from, d_to)).year
    return tuple(y for y in range(y0, y1 + 1) if y in years)
