"""The compiled working calendar: days, instants and due dates (domain notes §9.2, §9.3).

Scope: ``compile_calendar`` turns a ``CalendarSpec`` into a ``CompiledCalendar`` (per-day arrays
and per-pattern minute tables, built by ``tables``). Afterwards every operation is O(1) array
look-ups plus at most one ``bisect`` (O(log n)); no Python loop runs per day counted. Only
explanations (``explained``) walk the days of the counted window, to name each skipped date.

Three ways to compute due dates, with the same results (property tests check it):

- ``due_date`` — one due date with its explanation (``DueDate``);
- ``add`` / ``add_many`` — the due instant(s) only, as aware datetimes (the fast path);
- ``add_array`` — the batch API on NumPy arrays of epoch seconds (``vectorised``), for
  recomputing many open dossiers after a calendar change (§9.4) and for statistics.

Time model (see ``tables``): minutes since 00:00 of 1 January ``first_year``, Asia/Ho_Chi_Minh.
Adding ``m`` working minutes to a normalised start ``s`` gives the *earliest* instant ``t`` with
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

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date, datetime, time
from threading import Lock
from typing import TYPE_CHECKING, Final

from .algorithm import _Info, due_minutes
from .errors import CalendarError
from .explain import ExplanationItem, ProvisionalCalendar
from .explained import DueDate, explain_due, provisional_years, window_items
from .limits import (
    _DAY,
    _JUMP_BITS,
    _KIND_NAMES,
    _M,
    _MAX_BY_CODE,
    _ONE_MINUTE,
    _U_CAL,
    _U_DAYS,
    _U_HOURS,
    _UNIT_CODES,
    DAY_OFF,
    MAKE_UP,
    Amount,
    _end_time,
    _unknown_unit,
)
from .spec import DEFAULT_OPTIONS, VN_TZ, CalendarSpec, Counting, DueOptions, Reason, Unit
from .tables import CalendarTables

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from .batch_inputs import Int64Array


class CompiledCalendar(CalendarTables):
    """An immutable, reusable compiled working calendar (build it with ``compile_calendar``).

    All public methods take and return aware datetimes (converted to Asia/Ho_Chi_Minh), except
    ``add_array``, which takes and returns NumPy arrays of epoch seconds.
    """

    __slots__ = ()

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
        _, due = due_minutes(self, mc, mf, code, amount, options, None)
        return self._epoch_dt + _ONE_MINUTE * due

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
        start, due = due_minutes(self, mc, mf, code, amount, options, info)
        return explain_due(self, received_at, mf, code, options, start, due, info)

    def add_array(
        self,
        received: ArrayLike,
        amounts: ArrayLike,
        units: ArrayLike,
        options: DueOptions = DEFAULT_OPTIONS,
    ) -> Int64Array:
        """Due instants of many cases at once, as NumPy int64 epoch seconds (UTC) — batch API.

        ``received``: int64 epoch seconds (UTC), ``datetime64`` (read as UTC) or aware datetimes;
        ``amounts``: ints or floats (one per case, or one for all); ``units``: ``Unit`` values or
        their ``UNIT_CODES`` (one per case, or one for all). Exactly the instants of ``add`` (also
        for bad input: the error of the first failing case, with its ``index``); see
        ``vectorised.add_array``. Needs NumPy.
        """
        from .vectorised import add_array  # NumPy is imported on first use

        return add_array(self, received, amounts, units, options)

    def window_explanation(self, a: datetime, b: datetime) -> tuple[ExplanationItem, ...]:
        """Named days off, weekly rest and make-up days between two instants (inclusive days)."""
        da = self._minute(a)[1] // _DAY
        db = self._minute(b)[1] // _DAY
        items = window_items(self, da, db)
        provisional = provisional_years(self, da, db)
        if provisional:
            items.append(ProvisionalCalendar(provisional))
        return tuple(items)

    # --- introspection ------------------------------------------------------------------

    def numpy_bytes(self) -> int:
        """Bytes of the NumPy tables derived for ``add_array`` (0 until its first use).

        The views of the compiled arrays share their memory and are not counted; the small
        derived tables are.
        """
        return 0 if self._numpy is None else int(self._numpy.nbytes)

    def __repr__(self) -> str:
        return (
            f"<CompiledCalendar {self.first_date.year}–{self.last_date.year} "
            f"{self.spec.fingerprint[:12]}>"
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
