"""The due-date algorithm on minute indices (domain notes §9.2 working-time clock, §9.3 day count).

Scope: ``due_minutes`` computes (counting start, due) as minute indices of a ``CalendarTables``
for one (receipt, amount, unit) under ``DueOptions``; it fills an ``_Info`` for explanations when
asked. ``CompiledCalendar.add`` inlines its commonest branches, ``due_date`` explains its result,
and ``vectorised`` implements the same arithmetic on NumPy arrays; property tests check that all
agree.

Rules (see docs/domain/deadlines.md §4):

- Working hours / working days: the earliest instant ``t`` with ``W(t) = W(start) + limit``, so a
  limit that runs out exactly at a closing time gives that closing time (§9.2 step 2).
- Same day: the closing time of the normalised receipt day, the cut-off always applied.
- Calendar days and months: from the actual receipt date and clock, rolled forward to a working
  day, the clock clamped into office hours (§9.2 step 3; §9.3 months).
- Day count (§9.3): the closing time of the Nth working day after the receipt date.

Known limits: amounts are converted exactly (``Fraction``) and rounded up to whole minutes;
"working_days" = N × ``working_day_minutes`` whatever the length of individual days; the unit
"working_hours" ignores ``counting``.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from math import ceil
from typing import Final

from .errors import CalendarError
from .limits import (
    _DAY,
    _M,
    _MAX_BY_CODE,
    _U_CAL,
    _U_DAYS,
    _U_HOURS,
    _U_SAME,
    _UNITS,
    Amount,
    _amount_text,
    _checked_amount,
    _days_in_month,
)
from .spec import Counting, DueOptions
from .tables import CalendarTables

#: Bump when the algorithm changes in a way that can move a due date; store it with due dates.
ENGINE_VERSION: Final = "1"


@dataclass(slots=True)
class _Info:
    """What ``due_minutes`` found out, for explanations (only built by ``due_date``)."""

    value: Fraction = Fraction(0)
    minutes: int | None = None
    why: str = ""
    window: tuple[int, int, int] | None = None  # (skip from, skip to, target day) — calendar
    month_end: tuple[int, int, int] | None = None  # (year, month, requested day)
    clamped: tuple[int, int] | None = None  # (requested minute of day, used minute of day)


def due_minutes(
    cal: CalendarTables,
    mc: int,
    mf: int,
    code: int,
    amount: Amount,
    options: DueOptions,
    info: _Info | None,
) -> tuple[int, int]:
    """(counting start minute, due minute); fills ``info`` for explanations when given."""
    maximum = _MAX_BY_CODE[code]
    day_count = options.counting is Counting.DAY_COUNT
    pat = cal._pat
    if code <= _U_DAYS and not (day_count and code == _U_DAYS):
        # §9.2 step 2: working hours, or working days × the working-day length.
        per = 60 if code == _U_HOURS else cal.day_minutes
        if type(amount) is int and 0 <= amount <= maximum:
            minutes = amount * per
        elif type(amount) is float and 0.0 <= amount <= maximum and (amount * per).is_integer():
            minutes = int(amount * per)  # exact: a binary fraction such as 0.5 or 0.25
        else:
            minutes = ceil(_checked_amount(amount, code) * per)
        if info is not None:
            info.value = _checked_amount(amount, code)
        if info is None and minutes and not options.cutoff_shifts_clock_start and mc < cal._nm:
            # Fast path (``add``): W is flat outside office periods, so W(start) equals
            # W(normalised start) and the normalised start itself is not needed.
            cum = cal._cum
            d, mod = divmod(mc, _DAY)
            return -1, cal._at_w(cum[d] + cal._before[pat[d] * _M + mod] + minutes)
        start, w, why = cal._norm(mc, mf, options.cutoff_shifts_clock_start)
        if info is not None:
            info.minutes = minutes
            info.why = why
        return start, (cal._at_w(w + minutes) if minutes else start)
    if type(amount) is int and 0 <= amount <= maximum:
        whole = amount
    else:
        value = _checked_amount(amount, code)
        if value.denominator != 1 and code != _U_SAME:
            raise CalendarError(
                "fractional_amount",
                f"{_UNITS[code].value} with counting {options.counting.value!r} needs a "
                f"whole number, not {_amount_text(value)}.",
                amount=_amount_text(value),
                unit=_UNITS[code].value,
            )
        whole = int(value)
    if info is not None:
        info.value = Fraction(whole) if code != _U_SAME else _checked_amount(amount, code)
    if code == _U_SAME:
        start, _, why = cal._norm(mc, mf, True)
        d = start // _DAY
        if info is not None:
            info.why = why
        return start, d * _DAY + cal._close[pat[d]]
    n = cal._n
    if code == _U_DAYS:  # §9.3: the closing time of the Nth working day after the receipt date
        rd = mf // _DAY
        first = cal._nwd[rd + 1]
        if first >= n:
            raise cal._out_of_range()
        if info is not None:
            info.minutes = whole * cal.day_minutes
            info.why = "day_after_receipt"
        if whole == 0:
            start, _, why = cal._norm(mc, mf, False)
            d = start // _DAY
            if info is not None:
                info.why = why
            return start, d * _DAY + cal._close[pat[d]]
        i = bisect_left(cal._wdc, cal._wdc[rd + 1] + whole)
        if i > n:
            raise cal._out_of_range()
        d = i - 1
        return first * _DAY + cal._open[pat[first]], d * _DAY + cal._close[pat[d]]
    # Calendar days and months (§9.2 step 3): from the actual receipt date and clock time.
    # With the cut-off option, a receipt at or after the cut-off counts as received at the
    # start of the next calendar day (on any day, so that a make-up day never delays a due).
    anchor = mf
    if options.cutoff_shifts_clock_start and mf % _DAY >= cal._cutoff:
        anchor = (mf // _DAY + 1) * _DAY
        if info is not None:
            info.why = "cutoff"
    ad, amod = divmod(anchor, _DAY)
    if ad >= n:  # received on the last compiled day at or after the cut-off
        raise cal._out_of_range()
    skip_from, skip_to = 1, 0
    if code == _U_CAL:
        if options.calendar_days_skip_holidays and whole:
            target = bisect_left(cal._cnt, cal._cnt[ad + 1] + whole) - 1
            skip_from, skip_to = ad + 1, target
        else:
            target = ad + whole
    else:
        day = date.fromordinal(cal._epoch_ord + ad)
        months = day.month - 1 + whole
        year, month = day.year + months // 12, months % 12 + 1
        if year > cal.last_date.year:
            raise cal._out_of_range()
        last_day = _days_in_month(year, month)
        target = date(year, month, min(day.day, last_day)).toordinal() - cal._epoch_ord
        if info is not None and day.day > last_day:
            info.month_end = (year, month, day.day)
    if target >= n:
        raise cal._out_of_range()
    d = cal._nwd[target]
    if d >= n:
        raise cal._out_of_range()
    p = pat[d]
    clock = cal._close[p] if day_count else cal._clamp[p * _M + amod]
    due = d * _DAY + clock
    if due < anchor:
        # Only for 0 days on the receipt day after closing or in lunch: the clamped clock
        # would precede the receipt, so the due is the next working instant instead.
        due, _, _ = cal._norm(anchor, anchor, False)
        d = due // _DAY
    if info is not None:
        info.window = (skip_from, skip_to, target)
        if not day_count and due - d * _DAY != amod:
            info.clamped = (amod, due - d * _DAY)
    return anchor, due
