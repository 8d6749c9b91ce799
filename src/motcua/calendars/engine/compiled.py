"""The compiled working calendar and the due-date algorithm (domain notes §9.2, §9.3).

Scope: ``compile_calendar`` turns a ``CalendarSpec`` into per-day arrays (pattern id, day kind,
cumulative working minutes, working-day and countable-day counts, next working day) and
per-pattern minute tables. Afterwards every operation is O(1) array look-ups plus at most one
``bisect`` (O(log n)); no Python loop runs per day counted. Only explanations walk the days of the
counted window, to name each skipped date.

Time model: an instant is an integer number of minutes since 00:00 of 1 January ``first_year``,
local time Asia/Ho_Chi_Minh (UTC+7, no DST since 1975, so local minutes are uniform). ``W(t)`` is
the number of working minutes before ``t``; it is flat outside office periods. Adding ``m``
working minutes to a normalised start ``s`` gives the *earliest* instant ``t`` with
``W(t) >= W(s) + m``, so a limit that runs out exactly at a closing time yields that closing time
(17:00, or 11:30 before lunch), never the next opening (§9.2 step 2).

Known limits:

- Instants are rounded up to the whole minute (a receipt at 10:00:30 counts from 10:01); the
  cut-off test compares the exact time (14:59:59 is before a 15:00 cut-off).
- Amounts are converted exactly (``Fraction``) and rounded up to whole minutes.
- Amounts above 10 years' worth are refused (``amount_too_large``); dates outside the compiled
  range (default 1990–2100) raise ``out_of_range``.
- "working_days" = N × ``working_day_minutes`` (default 8 h) of working time, whatever the length
  of individual days (production practice, §9.1); the civil day count (§9.3) counts whole days.
- The unit "working_hours" ignores ``counting`` (hours are always working time).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from math import ceil, isfinite
from threading import Lock
from typing import Final

from .errors import CalendarError
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
from .spec import (
    DEFAULT_OPTIONS,
    VN_TZ,
    CalendarSpec,
    Counting,
    DayPeriods,
    DueOptions,
    Reason,
    Unit,
    WeekPattern,
)

#: Bump when the algorithm changes in a way that can move a due date; store it with due dates.
ENGINE_VERSION: Final = "1"

_DAY: Final = 1440  # minutes per day
_M: Final = 1441  # entries per pattern table (minute of day 0..1440 inclusive)
_NONE: Final = 1440  # "no working instant left on this day"

# Day kinds.
WORKING: Final = 0
WEEKLY_REST: Final = 1
DAY_OFF: Final = 2
MAKE_UP: Final = 3
_KIND_NAMES: Final = ("working", "weekly_rest", "day_off", "make_up")

# Unit codes of the hot path.
_U_HOURS, _U_DAYS, _U_CAL, _U_MONTHS, _U_SAME = range(5)
_UNIT_CODES: Final[dict[str, int]] = {
    Unit.WORKING_HOURS: _U_HOURS,
    Unit.WORKING_DAYS: _U_DAYS,
    Unit.CALENDAR_DAYS: _U_CAL,
    Unit.MONTHS: _U_MONTHS,
    Unit.SAME_DAY: _U_SAME,
}
_UNITS: Final = (
    Unit.WORKING_HOURS,
    Unit.WORKING_DAYS,
    Unit.CALENDAR_DAYS,
    Unit.MONTHS,
    Unit.SAME_DAY,
)
#: "Absurd" amounts: more than 10 years' worth (10 × 261 working days of 8 h; 10 × 366 days).
MAX_AMOUNT: Final[dict[Unit, int]] = {
    Unit.WORKING_HOURS: 20_880,
    Unit.WORKING_DAYS: 2_610,
    Unit.CALENDAR_DAYS: 3_660,
    Unit.MONTHS: 120,
    Unit.SAME_DAY: 3_660,
}
_MAX_BY_CODE: Final = tuple(MAX_AMOUNT[u] for u in _UNITS)
_JUMP_BITS: Final = 10  # jump-table block: 1,024 working minutes (about two working days)
_ONE_MINUTE: Final = timedelta(minutes=1)  # ``epoch + _ONE_MINUTE * m`` is the fastest way back
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


type Amount = int | float | Fraction | Decimal


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _period_minutes(periods: DayPeriods) -> tuple[tuple[int, int], ...]:
    return tuple((_minutes(s), _minutes(e) if e != time(0) else _DAY) for s, e in periods)


def _as_fraction(amount: object) -> Fraction:
    """Exact value of an amount (floats via their shortest repr: 0.1 is 1/10)."""
    if isinstance(amount, bool) or not isinstance(amount, int | float | Fraction | Decimal):
        raise CalendarError(
            "invalid_amount", f"The amount {amount!r} is not a number.", amount=repr(amount)
        )
    if isinstance(amount, float):
        if not isfinite(amount):
            raise CalendarError(
                "invalid_amount", f"The amount {amount!r} is not finite.", amount=repr(amount)
            )
        return Fraction(repr(amount))
    try:
        return Fraction(amount)
    except (ValueError, TypeError, OverflowError):
        raise CalendarError(
            "invalid_amount", f"The amount {amount!r} is not finite.", amount=repr(amount)
        ) from None


def _checked_amount(amount: object, code: int) -> Fraction:
    """The exact amount, refused when negative or above 10 years' worth of its unit."""
    value = _as_fraction(amount)
    if value < 0:
        raise CalendarError(
            "negative_amount", f"The amount {amount!r} is negative.", amount=repr(amount)
        )
    if value > _MAX_BY_CODE[code]:
        raise _too_large(amount, code)
    return value


def _amount_text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):g}"


@dataclass(slots=True)
class _Info:
    """What ``_core`` found out, for explanations (only built by ``due_date``)."""

    value: Fraction = Fraction(0)
    minutes: int | None = None
    why: str = ""
    window: tuple[int, int, int] | None = None  # (skip from, skip to, target day) — calendar
    month_end: tuple[int, int, int] | None = None  # (year, month, requested day)
    clamped: tuple[int, int] | None = None  # (requested minute of day, used minute of day)


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


class CompiledCalendar:
    """An immutable, reusable compiled working calendar (build it with ``compile_calendar``).

    All public methods take and return aware datetimes; they are converted to Asia/Ho_Chi_Minh.
    """

    __slots__ = (
        "_before",
        "_buffers",
        "_clamp",
        "_close",
        "_cnt",
        "_cum",
        "_cutoff",
        "_epoch_dt",
        "_epoch_ord",
        "_inv",
        "_inv_open",
        "_jump",
        "_kind",
        "_n",
        "_nm",
        "_nwd",
        "_nxt",
        "_open",
        "_pat",
        "_patterns",
        "_reception",
        "_total",
        "_wdc",
        "day_minutes",
        "first_date",
        "last_date",
        "spec",
    )

    def __init__(self, spec: CalendarSpec) -> None:
        self.spec = spec
        first = date(spec.first_year, 1, 1)
        last = date(spec.last_year, 12, 31)
        self.first_date = first
        self.last_date = last
        self.day_minutes = spec.day_minutes
        epoch_ord = first.toordinal()
        n = last.toordinal() - epoch_ord + 1
        self._epoch_ord = epoch_ord
        self._n = n
        self._nm = n * _DAY
        self._epoch_dt = datetime(first.year, 1, 1, tzinfo=VN_TZ)
        self._cutoff = _minutes(spec.cutoff)

        patterns: dict[tuple[tuple[int, int], ...], int] = {(): 0}

        def pid(periods: DayPeriods) -> int:
            key = _period_minutes(periods)
            if key not in patterns:
                if len(patterns) >= 250:
                    raise CalendarError("invalid_spec", "Too many distinct day patterns (> 250).")
                patterns[key] = len(patterns)
            return patterns[key]

        def week_ids(week: WeekPattern) -> tuple[tuple[int, ...], int]:
            ids = tuple(pid(day) for day in week)
            standard = next((i for i in ids[:5] if i), 0)  # make-up days: the Mon–Fri hours
            return ids, standard

        seasons = [(0, *week_ids(spec.weekly_periods))]
        for start, week in spec.seasons:
            seasons.append((start.toordinal() - epoch_ord, *week_ids(week)))
        off = {d.toordinal() - epoch_ord for d in spec.days_off}
        make_up = {d.toordinal() - epoch_ord: d for d in spec.make_up_days}

        pat = array("B", bytes(n))
        kind = array("B", bytes(n))
        cum = array("i", bytes(4 * (n + 1)))
        wdc = array("i", bytes(4 * (n + 1)))
        cnt = array("i", bytes(4 * (n + 1)))
        season_index = 0
        lengths: dict[int, int] = {}
        for key, i in patterns.items():
            lengths[i] = sum(e - s for s, e in key)
        total = work_days = counted = 0
        weekday0 = (epoch_ord - 1) % 7  # date.fromordinal(1) is a Monday
        for i in range(n):
            while season_index + 1 < len(seasons) and seasons[season_index + 1][0] <= i:
                season_index += 1
            _, ids, standard = seasons[season_index]
            weekly = ids[(weekday0 + i) % 7]
            if i in make_up:
                own = spec.make_up_periods.get(make_up[i])
                p = pid(own) if own is not None else standard
                if p == 0:
                    raise CalendarError(
                        "invalid_spec",
                        f"Make-up day {make_up[i]} has no office periods to use.",
                        where="make_up_days",
                    )
                lengths.setdefault(p, sum(e - s for s, e in _period_minutes(own or ())))
                pat[i] = p
                kind[i] = MAKE_UP
            elif i in off:
                kind[i] = DAY_OFF
            elif weekly:
                pat[i] = weekly
                kind[i] = WORKING
            else:
                kind[i] = WEEKLY_REST
            cum[i] = total
            wdc[i] = work_days
            cnt[i] = counted
            total += lengths[pat[i]]
            work_days += pat[i] != 0
            # §9.2 step 3 option: a day off on an otherwise working weekday is not counted.
            counted += not (kind[i] == DAY_OFF and weekly != 0)
        cum[n] = total
        wdc[n] = work_days
        cnt[n] = counted
        nwd = array("i", bytes(4 * (n + 2)))
        nxt_day = n
        for i in range(n, -1, -1):
            if i < n and pat[i]:
                nxt_day = i
            nwd[i] = nxt_day
        nwd[n + 1] = n

        # Jump table for the inverse of W: ``jump[k]`` is the first day index whose cumulative
        # working minutes reach ``k << _JUMP_BITS``; it narrows every bisect to a few days.
        jump = array(
            "i", (bisect_left(cum, k << _JUMP_BITS) for k in range((total >> _JUMP_BITS) + 2))
        )
        npat = len(patterns)
        before = array("H", bytes(2 * _M * npat))
        nxt = array("H", bytes(2 * _M * npat))
        inv = array("H", bytes(2 * _M * npat))
        inv_open = array("H", bytes(2 * _M * npat))
        clamp = array("H", bytes(2 * _M * npat))
        opening = array("H", bytes(2 * npat))
        closing = array("H", bytes(2 * npat))
        for key, p in patterns.items():
            base = p * _M
            opening[p] = key[0][0] if key else 0
            closing[p] = key[-1][1] if key else 0
            acc = 0
            for m in range(_M):
                before[base + m] = acc
                if any(s <= m < e for s, e in key):
                    acc += 1
                nxt[base + m] = next((max(m, s) for s, e in key if m < e), _NONE)
                if not key:
                    clamp[base + m] = m
                elif m < key[0][0]:
                    clamp[base + m] = key[0][0]
                else:
                    clamp[base + m] = max(min(m, e) for s, e in key if s <= m)
            done = 0
            for s, e in key:
                for r in range(1, e - s + 1):
                    inv[base + done + r] = s + r
                for r in range(e - s):
                    inv_open[base + done + r] = s + r
                done += e - s

        self._patterns = tuple(patterns)
        self._buffers: tuple[array[int], ...] = (pat, kind, cum, wdc, cnt, nwd, jump)
        self._buffers += (before, nxt, inv, inv_open, clamp, opening, closing)
        # Read-only views: a compiled calendar is immutable and safe to share across threads.
        self._pat = memoryview(pat).toreadonly()
        self._kind = memoryview(kind).toreadonly()
        self._cum = memoryview(cum).toreadonly()
        self._wdc = memoryview(wdc).toreadonly()
        self._cnt = memoryview(cnt).toreadonly()
        self._nwd = memoryview(nwd).toreadonly()
        self._jump = memoryview(jump).toreadonly()
        self._total = total
        self._before = memoryview(before).toreadonly()
        self._nxt = memoryview(nxt).toreadonly()
        self._inv = memoryview(inv).toreadonly()
        self._inv_open = memoryview(inv_open).toreadonly()
        self._clamp = memoryview(clamp).toreadonly()
        self._open = memoryview(opening).toreadonly()
        self._close = memoryview(closing).toreadonly()
        reception = spec.reception_periods
        self._reception = (
            None if reception is None else tuple(_period_minutes(day) for day in reception)
        )

    # --- conversions --------------------------------------------------------------------

    def _minute(self, t: datetime, what: str = "instant") -> tuple[int, int]:
        """(rounded-up minute, truncated minute) of an aware datetime since the epoch."""
        try:
            tz = t.tzinfo
        except AttributeError:
            raise CalendarError(
                "naive_datetime",
                f"The {what} must be an aware datetime, not {type(t).__name__}.",
                what=what,
            ) from None
        if tz is not VN_TZ:
            if tz is None or t.utcoffset() is None:
                raise CalendarError(
                    "naive_datetime",
                    f"The {what} {t.isoformat()} has no time zone; give an aware datetime "
                    "(Asia/Ho_Chi_Minh).",
                    what=what,
                )
            t = t.astimezone(VN_TZ)
        day = t.toordinal() - self._epoch_ord
        if not 0 <= day < self._n:
            raise self._out_of_range(t.date())
        floor = day * _DAY + t.hour * 60 + t.minute
        return (floor + 1 if t.second or t.microsecond else floor), floor

    def _day_index(self, d: date) -> int:
        if isinstance(d, datetime):
            d = d.astimezone(VN_TZ).date() if d.tzinfo is not None else d.date()
        i = d.toordinal() - self._epoch_ord
        if not 0 <= i < self._n:
            raise self._out_of_range(d)
        return i

    def _out_of_range(self, d: date | None = None) -> CalendarError:
        shown = f"{d.isoformat()} is" if d is not None else "The result falls"
        return CalendarError(
            "out_of_range",
            f"{shown} outside the compiled calendar "
            f"({self.first_date.year}–{self.last_date.year}).",
            first_year=self.first_date.year,
            last_year=self.last_date.year,
            value=d.isoformat() if d is not None else None,
        )

    def _dt(self, m: int) -> datetime:
        return self._epoch_dt + _ONE_MINUTE * m

    def _date(self, i: int) -> date:
        return date.fromordinal(self._epoch_ord + i)

    # --- days ---------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        """Whether counting runs on ``d`` (§2 predicate: make-up day, or a weekday not off)."""
        return self._pat[self._day_index(d)] != 0

    def day_kind(self, d: date) -> str:
        """ "working", "weekly_rest", "day_off" or "make_up"."""
        return _KIND_NAMES[self._kind[self._day_index(d)]]

    def day_reason(self, d: date) -> Reason | None:
        """The reason of a day off or make-up day (``None`` for ordinary days)."""
        k = self._kind[self._day_index(d)]
        if k == DAY_OFF:
            return self.spec.days_off[d]
        if k == MAKE_UP:
            return self.spec.make_up_days[d]
        return None

    def office_periods(self, d: date) -> tuple[tuple[time, time], ...]:
        """The counting periods of ``d`` (empty on non-working days)."""
        key = self._patterns[self._pat[self._day_index(d)]]
        return tuple((time(s // 60, s % 60), _end_time(e)) for s, e in key)

    def next_working_day(self, d: date, *, include: bool = False) -> date:
        """The first working day after ``d`` (or on ``d`` when ``include``)."""
        i = self._day_index(d)
        j = self._nwd[i if include else i + 1]
        if j >= self._n:
            raise self._out_of_range()
        return self._date(j)

    def previous_working_day(self, d: date) -> date:
        """The last working day strictly before ``d``."""
        i = self._day_index(d)
        j = bisect_left(self._wdc, self._wdc[i]) - 1  # the last day before i where wdc grows
        if j < 0:
            raise self._out_of_range()
        return self._date(j)

    def closing_instant(self, d: date) -> datetime:
        """Closing time of working day ``d`` (end of its last period)."""
        i = self._day_index(d)
        p = self._pat[i]
        if not p:
            raise CalendarError(
                "invalid_option", f"{d.isoformat()} is not a working day.", value=d.isoformat()
            )
        return self._dt(i * _DAY + self._close[p])

    # --- instants -----------------------------------------------------------------------

    def is_working_instant(self, t: datetime) -> bool:
        """Whether ``t`` lies inside an office period of a working day ([start, end))."""
        m, _ = self._minute(t)
        d, mod = divmod(m, _DAY)
        p = self._pat[d] if d < self._n else 0
        return bool(p) and self._nxt[p * _M + mod] == mod

    def is_closing_instant(self, t: datetime) -> bool:
        """Whether ``t`` is exactly the end of an office period of a working day."""
        m, _ = self._minute(t)
        d, mod = divmod(m, _DAY)
        p = self._pat[d] if d < self._n else 0
        return bool(p) and any(e == mod for _, e in self._patterns[p])

    def is_reception_open(self, t: datetime) -> bool:
        """Whether the desk receives at ``t`` (reception hours may exceed counting hours, §2)."""
        m, _ = self._minute(t)
        d, mod = divmod(m, _DAY)
        k = self._kind[d]
        if k == DAY_OFF:
            return False
        if k == MAKE_UP or self._reception is None:
            key = self._patterns[self._pat[d]]
        else:
            key = self._reception[(self._epoch_ord + d - 1) % 7]
        return any(s <= mod < e for s, e in key)

    def _norm(self, mc: int, mf: int, cutoff: bool) -> tuple[int, int, str]:
        """(start minute, W(start), why) per §9.2 step 1."""
        pat = self._pat
        df = mf // _DAY
        if cutoff and pat[df] and mf - df * _DAY >= self._cutoff:
            mod = mf - df * _DAY
            d2 = self._nwd[df + 1]
            if d2 >= self._n:
                raise self._out_of_range()
            why = "cutoff" if mod < self._close[pat[df]] else "after_closing"
            return d2 * _DAY + self._open[pat[d2]], self._cum[d2], why
        d, mod = divmod(mc, _DAY)
        p = pat[d] if d < self._n else 0
        if p:
            nm = self._nxt[p * _M + mod]
            if nm != _NONE:
                why = (
                    "" if nm == mod else "before_opening" if mod < self._open[p] else "lunch_break"
                )
                return d * _DAY + nm, self._cum[d] + self._before[p * _M + mod], why
            why = "after_closing"
        else:
            why = "non_working_day"
        d2 = self._nwd[d + 1]
        if d2 >= self._n:
            raise self._out_of_range()
        return d2 * _DAY + self._open[pat[d2]], self._cum[d2], why

    def _at_w(self, target: int) -> int:
        """Earliest minute with W >= target (target > 0)."""
        if target > self._total:
            raise self._out_of_range()
        k = target >> _JUMP_BITS
        d = bisect_left(self._cum, target, self._jump[k], self._jump[k + 1]) - 1
        return d * _DAY + self._inv[self._pat[d] * _M + target - self._cum[d]]

    def _w(self, m: int) -> int:
        d, mod = divmod(m, _DAY)
        if d >= self._n:
            return self._cum[self._n]
        return self._cum[d] + self._before[self._pat[d] * _M + mod]

    def next_working_instant(self, t: datetime, *, apply_cutoff: bool = False) -> datetime:
        """§9.2 step 1: ``t`` itself if inside office hours, else the next opening.

        With ``apply_cutoff``, a time at or after the cut-off on a working day also moves to the
        next working day's opening.
        """
        mc, mf = self._minute(t)
        return self._dt(self._norm(mc, mf, apply_cutoff)[0])

    def add_working_time(self, start: datetime, minutes: int) -> datetime:
        """``start`` (normalised) plus ``minutes`` of working time; may end exactly at a closing."""
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise CalendarError("invalid_amount", "minutes must be an int.", amount=repr(minutes))
        if minutes < 0:
            raise CalendarError("negative_amount", f"Cannot add {minutes} minutes.", amount=minutes)
        mc, mf = self._minute(start, "start")
        s, w, _ = self._norm(mc, mf, False)
        return self._dt(self._at_w(w + minutes) if minutes else s)

    def subtract_working_time(self, t: datetime, minutes: int) -> datetime:
        """The latest instant ``s`` with ``minutes`` of working time between ``s`` and ``t``."""
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 0:
            raise CalendarError(
                "negative_amount", "minutes must be a non-negative int.", amount=repr(minutes)
            )
        mc, _ = self._minute(t)
        target = self._w(mc) - minutes
        if target < 0:
            raise self._out_of_range()
        i = bisect_right(self._cum, target)
        d = i - 1
        if d >= self._n:
            raise self._out_of_range()
        return self._dt(d * _DAY + self._inv_open[self._pat[d] * _M + target - self._cum[d]])

    def working_minutes_between(self, a: datetime, b: datetime) -> int:
        """Working minutes in [a, b) (negative when ``b`` is before ``a``)."""
        return self._w(self._minute(b)[0]) - self._w(self._minute(a)[0])

    # --- due dates ----------------------------------------------------------------------

    def add(
        self,
        start: datetime,
        amount: Amount,
        unit: Unit | str,
        options: DueOptions = DEFAULT_OPTIONS,
    ) -> datetime:
        """The due instant of a limit (amount, unit) received at ``start`` — the fast path.

        Same result as ``due_date(...).due_at`` without building an explanation.
        """
        # Hot path: the instant conversion of ``_minute`` is inlined (this runs per dossier).
        try:
            tz = start.tzinfo
        except AttributeError:
            tz = None
        if tz is not VN_TZ:
            mc, mf = self._minute(start, "received_at")
        else:
            day = start.toordinal() - self._epoch_ord
            if not 0 <= day < self._n:
                raise self._out_of_range(start.date())
            mf = day * _DAY + start.hour * 60 + start.minute
            mc = mf + 1 if start.second or start.microsecond else mf
        try:
            code = _UNIT_CODES[unit]
        except (KeyError, TypeError):
            raise _unknown_unit(unit) from None
        if not options.cutoff_shifts_clock_start and mc < self._nm:
            # The commonest cases inlined (same arithmetic as ``_core``, checked by property
            # tests): this runs once per dossier and per recomputation.
            pat = self._pat
            if code <= _U_DAYS and (code == _U_HOURS or options.counting is Counting.WORKING_TIME):
                per = 60 if code == _U_HOURS else self.day_minutes
                minutes = 0
                if type(amount) is int:
                    if 0 < amount <= _MAX_BY_CODE[code]:
                        minutes = amount * per
                elif type(amount) is float and 0.0 < amount <= _MAX_BY_CODE[code]:
                    exact = amount * per
                    if exact.is_integer():
                        minutes = int(exact)
                if minutes:
                    # W is flat outside office periods: W(receipt) + limit locates the due.
                    cum = self._cum
                    d, mod = divmod(mc, _DAY)
                    target = cum[d] + self._before[pat[d] * _M + mod] + minutes
                    if target > self._total:
                        raise self._out_of_range()
                    k = target >> _JUMP_BITS
                    d = bisect_left(cum, target, self._jump[k], self._jump[k + 1]) - 1
                    return self._epoch_dt + _ONE_MINUTE * (
                        d * _DAY + self._inv[pat[d] * _M + target - cum[d]]
                    )
            elif (
                code == _U_CAL
                and type(amount) is int
                and 0 < amount <= _MAX_BY_CODE[code]
                and not options.calendar_days_skip_holidays
                and options.counting is Counting.WORKING_TIME
            ):
                anchor_day, clock = divmod(mf, _DAY)
                target = anchor_day + amount
                if target < self._n:
                    d = self._nwd[target]
                    if d < self._n:
                        return self._epoch_dt + _ONE_MINUTE * (
                            d * _DAY + self._clamp[pat[d] * _M + clock]
                        )
        return self._epoch_dt + _ONE_MINUTE * self._core(mc, mf, code, amount, options, None)[1]

    def add_many(
        self,
        cases: Iterable[tuple[datetime, Amount, Unit | str]],
        options: DueOptions = DEFAULT_OPTIONS,
    ) -> list[datetime]:
        """Due instants of many (received_at, amount, unit) cases, e.g. to recompute the open
        dossiers after a calendar change (§9.4). Same results as ``add`` for each case."""
        # The loop of ``add`` with its look-ups hoisted out of the loop; uncommon cases fall back
        # to ``add`` itself. Property tests check that both agree.
        add = self.add
        if options.cutoff_shifts_clock_start or options.counting is not Counting.WORKING_TIME:
            return [add(start, amount, unit, options) for start, amount, unit in cases]
        pat, cum, before, inv, jump = self._pat, self._cum, self._before, self._inv, self._jump
        nwd, clamp = self._nwd, self._clamp
        epoch, epoch_ord, n, total = self._epoch_dt, self._epoch_ord, self._n, self._total
        per_day = self.day_minutes
        skip = options.calendar_days_skip_holidays
        max_hours, max_days, max_cal = _MAX_BY_CODE[:3]
        codes, vn, one = _UNIT_CODES, VN_TZ, _ONE_MINUTE
        out: list[datetime] = []
        append = out.append
        for start, amount, unit in cases:
            try:
                fast = start.tzinfo is vn and not (start.second or start.microsecond)
                code = codes[unit]
            except (AttributeError, KeyError, TypeError):
                fast = False
                code = -1
            if fast and type(amount) is int and amount > 0:
                day = start.toordinal() - epoch_ord
                if 0 <= day < n:
                    mod = start.hour * 60 + start.minute
                    if code <= _U_DAYS and amount <= (max_hours if code == 0 else max_days):
                        target = cum[day] + before[pat[day] * _M + mod]
                        target += amount * (60 if code == 0 else per_day)
                        if target <= total:
                            k = target >> _JUMP_BITS
                            d = bisect_left(cum, target, jump[k], jump[k + 1]) - 1
                            append(epoch + one * (d * _DAY + inv[pat[d] * _M + target - cum[d]]))
                            continue
                    elif code == _U_CAL and not skip and amount <= max_cal and day + amount < n:
                        d = nwd[day + amount]
                        if d < n:
                            append(epoch + one * (d * _DAY + clamp[pat[d] * _M + mod]))
                            continue
            append(add(start, amount, unit, options))
        return out

    def due_date(
        self,
        received_at: datetime,
        amount: Amount,
        unit: Unit | str,
        options: DueOptions = DEFAULT_OPTIONS,
    ) -> DueDate:
        """Compute the due date of a dossier and explain it (§9.2 / §9.3)."""
        mc, mf = self._minute(received_at, "received_at")
        try:
            code = _UNIT_CODES[unit]
        except (KeyError, TypeError):
            raise _unknown_unit(unit) from None
        info = _Info()
        start, due = self._core(mc, mf, code, amount, options, info)
        received = received_at.astimezone(VN_TZ)
        value, wmin, why = info.value, info.minutes, info.why
        items: list[ExplanationItem] = [
            LimitStated(_amount_text(value), _UNITS[code].value, options.counting.value, wmin),
            Received(received),
        ]
        if why == "cutoff":
            items.append(CutoffApplied(received, self.spec.cutoff))
        items.append(CountingStarts(self._dt(start), received, why))
        rd = mf // _DAY
        dd = due // _DAY
        if info.window is None:  # working time: everything between receipt and due
            items += self._window_items(rd, dd, make_up_from=start // _DAY)
        else:
            skip_from, skip_to, target = info.window
            if skip_from <= skip_to:  # calendar days not counted (option skip holidays)
                items += self._window_items(skip_from, skip_to, only_uncounted=True)
            if info.month_end is not None:
                year, month, day_no = info.month_end
                items.append(MonthEndClamped(year, month, day_no, self._date(target)))
            if target < dd:
                items += self._window_items(target, dd - 1)
                items.append(RolledForward(self._date(target), self._date(dd)))
            if self._kind[dd] == MAKE_UP:
                items += self._window_items(dd, dd)
            if info.clamped is not None:
                requested, used = info.clamped
                items.append(ClockClamped(_minute_time(requested), _minute_time(used)))
        provisional = self._provisional(rd, dd)
        if provisional:
            items.append(ProvisionalCalendar(provisional))
        due_dt = self._dt(due)
        items.append(DueAt(due_dt))
        return DueDate(
            received_at=received,
            counting_starts_at=self._dt(start),
            due_at=due_dt,
            amount=value,
            unit=_UNITS[code],
            options=options,
            working_minutes=wmin,
            provisional_years=provisional,
            calendar_fingerprint=self.spec.fingerprint,
            engine_version=ENGINE_VERSION,
            explanation=tuple(items),
        )

    def _core(
        self,
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
        pat = self._pat
        if code <= _U_DAYS and not (day_count and code == _U_DAYS):
            # §9.2 step 2: working hours, or working days × the working-day length.
            per = 60 if code == _U_HOURS else self.day_minutes
            if type(amount) is int and 0 <= amount <= maximum:
                minutes = amount * per
            elif type(amount) is float and 0.0 <= amount <= maximum and (amount * per).is_integer():
                minutes = int(amount * per)  # exact: a binary fraction such as 0.5 or 0.25
            else:
                minutes = ceil(_checked_amount(amount, code) * per)
            if info is not None:
                info.value = _checked_amount(amount, code)
            if info is None and minutes and not options.cutoff_shifts_clock_start and mc < self._nm:
                # Fast path (``add``): W is flat outside office periods, so W(start) equals
                # W(normalised start) and the normalised start itself is not needed.
                cum = self._cum
                d, mod = divmod(mc, _DAY)
                return -1, self._at_w(cum[d] + self._before[pat[d] * _M + mod] + minutes)
            start, w, why = self._norm(mc, mf, options.cutoff_shifts_clock_start)
            if info is not None:
                info.minutes = minutes
                info.why = why
            return start, (self._at_w(w + minutes) if minutes else start)
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
            start, _, why = self._norm(mc, mf, True)
            d = start // _DAY
            if info is not None:
                info.why = why
            return start, d * _DAY + self._close[pat[d]]
        n = self._n
        if code == _U_DAYS:  # §9.3: the closing time of the Nth working day after the receipt date
            rd = mf // _DAY
            first = self._nwd[rd + 1]
            if first >= n:
                raise self._out_of_range()
            if info is not None:
                info.minutes = whole * self.day_minutes
                info.why = "day_after_receipt"
            if whole == 0:
                start, _, why = self._norm(mc, mf, False)
                d = start // _DAY
                if info is not None:
                    info.why = why
                return start, d * _DAY + self._close[pat[d]]
            i = bisect_left(self._wdc, self._wdc[rd + 1] + whole)
            if i > n:
                raise self._out_of_range()
            d = i - 1
            return first * _DAY + self._open[pat[first]], d * _DAY + self._close[pat[d]]
        # Calendar days and months (§9.2 step 3): from the actual receipt date and clock time.
        # With the cut-off option, a receipt at or after the cut-off counts as received at the
        # start of the next calendar day (on any day, so that a make-up day never delays a due).
        anchor = mf
        if options.cutoff_shifts_clock_start and mf % _DAY >= self._cutoff:
            anchor = (mf // _DAY + 1) * _DAY
            if info is not None:
                info.why = "cutoff"
        ad, amod = divmod(anchor, _DAY)
        skip_from, skip_to = 1, 0
        if code == _U_CAL:
            if options.calendar_days_skip_holidays and whole:
                target = bisect_left(self._cnt, self._cnt[ad + 1] + whole) - 1
                skip_from, skip_to = ad + 1, target
            else:
                target = ad + whole
        else:
            day = date.fromordinal(self._epoch_ord + ad)
            months = day.month - 1 + whole
            year, month = day.year + months // 12, months % 12 + 1
            if year > self.last_date.year:
                raise self._out_of_range()
            last_day = _days_in_month(year, month)
            target = date(year, month, min(day.day, last_day)).toordinal() - self._epoch_ord
            if info is not None and day.day > last_day:
                info.month_end = (year, month, day.day)
        if target >= n:
            raise self._out_of_range()
        d = self._nwd[target]
        if d >= n:
            raise self._out_of_range()
        p = pat[d]
        clock = self._close[p] if day_count else self._clamp[p * _M + amod]
        due = d * _DAY + clock
        if due < anchor:
            # Only for 0 days on the receipt day after closing or in lunch: the clamped clock
            # would precede the receipt, so the due is the next working instant instead.
            due, _, _ = self._norm(anchor, anchor, False)
            d = due // _DAY
        if info is not None:
            info.window = (skip_from, skip_to, target)
            if not day_count and due - d * _DAY != amod:
                info.clamped = (amod, due - d * _DAY)
        return anchor, due

    # --- explanations -------------------------------------------------------------------

    def _window_items(
        self,
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
        kind = self._kind
        days_off = self.spec.days_off
        for i in range(max(d_from, 0), min(d_to, self._n - 1) + 1):
            k = kind[i]
            if only_uncounted and (k != DAY_OFF or self._cnt[i + 1] != self._cnt[i]):
                continue
            if k == DAY_OFF:
                reason = days_off[self._date(i)]
                if group and group[1] == i - 1 and group[2].group_key == reason.group_key:
                    group = (group[0], i, group[2])
                    continue
                if group:
                    items.append(self._group_item(*group))
                group = (i, i, reason)
            elif k == WEEKLY_REST:
                weekly.append(self._date(i))
            elif k == MAKE_UP and (make_up_from is None or i >= make_up_from):
                if group:
                    items.append(self._group_item(*group))
                    group = None
                d = self._date(i)
                items.append(MakeUpDayUsed(d, self.spec.make_up_days[d]))
        if group:
            items.append(self._group_item(*group))
        if weekly:
            items.append(WeeklyRestSkipped(tuple(weekly)))
        return items

    def _group_item(self, first: int, last: int, reason: Reason) -> DaysOffSkipped:
        return DaysOffSkipped(self._date(first), self._date(last), reason)

    def _provisional(self, d_from: int, d_to: int) -> tuple[int, ...]:
        years = self.spec.provisional_years
        if not years:
            return ()
        y0 = self._date(min(d_from, d_to)).year
        y1 = self._date(max(d_from, d_to)).year
        return tuple(y for y in range(y0, y1 + 1) if y in years)

    def window_explanation(self, a: datetime, b: datetime) -> tuple[ExplanationItem, ...]:
        """Named days off, weekly rest and make-up days between two instants (inclusive days)."""
        da = self._minute(a)[1] // _DAY
        db = self._minute(b)[1] // _DAY
        items = self._window_items(da, db)
        provisional = self._provisional(da, db)
        if provisional:
            items.append(ProvisionalCalendar(provisional))
        return tuple(items)

    # --- introspection ------------------------------------------------------------------

    def memory_bytes(self) -> int:
        """Bytes held by the compiled arrays and tables (``sys.getsizeof`` of each buffer)."""
        return sum(sys.getsizeof(b) for b in self._buffers)

    def __repr__(self) -> str:
        return (
            f"<CompiledCalendar {self.first_date.year}–{self.last_date.year} "
            f"{self.spec.fingerprint[:12]}>"
        )


def _end_time(m: int) -> time:
    return time(23, 59) if m >= _DAY else time(m // 60, m % 60)


def _minute_time(m: int) -> time:
    return _end_time(m)


def _unknown_unit(unit: object) -> CalendarError:
    return CalendarError(
        "unknown_unit",
        f"Unknown time-limit unit {unit!r}; expected one of {[u.value for u in Unit]}.",
        unit=repr(unit),
    )


def _too_large(amount: object, code: int) -> CalendarError:
    unit = _UNITS[code]
    return CalendarError(
        "amount_too_large",
        f"{amount!r} {unit.value} is more than 10 years' worth (at most {MAX_AMOUNT[unit]}).",
        amount=repr(amount),
        unit=unit.value,
        maximum=MAX_AMOUNT[unit],
    )


_CACHE: OrderedDict[str, CompiledCalendar] = OrderedDict()
_CACHE_SIZE: Final = 32
_CACHE_LOCK = Lock()


def compile_calendar(spec: CalendarSpec, *, cache: bool = True) -> CompiledCalendar:
    """Compile a calendar spec once (cached by the spec's fingerprint, LRU of 32)."""
    if not cache:
        return CompiledCalendar(spec)
    key = spec.fingerprint
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
            return hit
    compiled = CompiledCalendar(spec)
    with _CACHE_LOCK:
        _CACHE[key] = compiled
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return compiled
