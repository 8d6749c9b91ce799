"""The compiled per-day arrays of a working calendar and the minute-level primitives over them.

Scope: ``CalendarTables`` compiles a ``CalendarSpec`` into flat arrays (pattern id, day kind,
cumulative working minutes, working-day and countable-day counts, next working day, a jump table)
and per-pattern minute tables, and provides the primitives every computation uses: converting an
aware datetime to a minute index, the start normalisation of §9.2 step 1 (``_norm``), the working
clock ``W`` (``_w``) and its inverse (``_at_w``). ``CompiledCalendar`` (``compiled``) is the public
class built on it; ``algorithm``, ``explained`` and ``vectorised`` read the same arrays.

Time model: an instant is an integer number of minutes since 00:00 of 1 January ``first_year``,
local time Asia/Ho_Chi_Minh (UTC+7, no DST since 1975, so local minutes are uniform). ``W(t)`` is
the number of working minutes before ``t``; it is flat outside office periods.

Known limits: at most 250 distinct day patterns; instants are rounded up to the whole minute (the
cut-off test compares the exact time, via the truncated minute).
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from datetime import date, datetime
from typing import Any

from .errors import CalendarError
from .limits import (
    _DAY,
    _JUMP_BITS,
    _M,
    _NONE,
    _ONE_MINUTE,
    DAY_OFF,
    MAKE_UP,
    WEEKLY_REST,
    WORKING,
    _minutes,
    _period_minutes,
)
from .spec import VN_TZ, CalendarSpec, DayPeriods, WeekPattern


class CalendarTables:
    """The immutable arrays of one compiled calendar (base class of ``CompiledCalendar``)."""

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
        "_numpy",
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
        #: NumPy views and derived tables of the batch API, built on first use (``vectorised``).
        self._numpy: Any = None

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

    # --- primitives ---------------------------------------------------------------------

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

    # --- introspection ------------------------------------------------------------------

    def memory_bytes(self) -> int:
        """Bytes held by the compiled arrays and tables (``sys.getsizeof`` of each buffer)."""
        return sum(sys.getsizeof(b) for b in self._buffers)
