"""Batch due dates on NumPy arrays: ``CompiledCalendar.add_array`` (the vectorised path).

Scope: the same arithmetic as ``algorithm.due_minutes`` (and ``CompiledCalendar.add``), run on whole
arrays of cases at once, for bulk recomputation: when a late holiday notice or a calendar edit
arrives, every open dossier whose window covers the changed dates must be recomputed (domain
notes §9.4 "calendar changed after computation"), and statistics recompute dues in bulk.

Input and output:

- ``received``: int64 epoch seconds (UTC) — how a recompute job reads ``timestamptz`` columns —
  or ``datetime64`` of any resolution (read as UTC; NumPy has no time zones), or a sequence /
  object array of aware datetimes (converted one by one, slow).
- ``amounts``: an integer or float array (one per case), or one number for all cases; an object
  array (``Fraction``, ``Decimal``) is accepted and computed case by case by the scalar algorithm.
- ``units``: ``Unit`` values as strings, or the small integers of ``UNIT_CODES`` (0 working hours,
  1 working days, 2 calendar days, 3 months, 4 same day), one per case or one for all.
- Result: int64 epoch seconds (UTC) of each due instant (always a whole minute); view it as
  ``datetime64[s]`` with ``result.view("datetime64[s]")``.

Exactness: every unit, both counting conventions, the cut-off and skip-holidays options are
vectorised. The results are exactly those of ``add`` (property tests and the benchmark check it):
instants rounded up to whole minutes (the cut-off compares the truncated minute), amounts
rounded up to whole minutes. A float amount whose product with the unit length is not an exact
float integer (0.1 working hours) is computed case by case with ``Fraction``, as ``add`` does.

Errors: either every due is returned or nothing is. On bad input (naive or
out-of-range instant, unknown unit, invalid / negative / too large / fractional amount, a due
beyond the compiled range) ``add_array`` raises the ``CalendarError`` that ``add`` raises for the
*first* failing case, with ``params["index"]`` set to that case — exactly what a loop over
``add`` would raise. Mismatched lengths raise a plain ``ValueError`` (a programming error).

Known limits: NumPy is imported on first use (the rest of the engine does not need it); the
derived tables (``CompiledCalendar.numpy_bytes``, about 0.3 MB for 1990–2100) are built once per
compiled calendar; views of the compiled arrays share their memory. Cases run in chunks of 16,384
(small temporaries); no partial result is ever returned. The arithmetic assumes the fixed UTC+7
offset of Asia/Ho_Chi_Minh since 1975: a calendar compiled from a year before 1976 (+08:00 in
1960–1975) is computed case by case with ``add`` (correct, not vectorised).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .algorithm import due_minutes
from .batch_inputs import Int64Array, Mask, as_int64, instants, scalar_item, unit_codes
from .errors import CalendarError
from .limits import _DAY, _M, _MAX_BY_CODE, _NONE
from .spec import DEFAULT_OPTIONS, Counting, DueOptions

if TYPE_CHECKING:
    from .compiled import CompiledCalendar

_UNIX_ORDINAL: Final = date(1970, 1, 1).toordinal()
_VN_OFFSET_S: Final = 7 * 3600  # Asia/Ho_Chi_Minh: UTC+7 all year since 13 June 1975
_UNIFORM_FROM: Final = 1976  # calendars from an earlier year are computed case by case
_MAX: Final = np.array(_MAX_BY_CODE, dtype=np.int64)
_CHUNK: Final = 1 << 14  # cases per step: temporaries of 128 KiB (the fastest size measured)


class NumpyTables:
    """NumPy views of a compiled calendar's arrays and the few per-day tables derived from them.

    Days are indexed 0..n+1 (two padding days that are not working days), so a minute index up
    to the end of the range never needs a bounds check.
    """

    __slots__ = (
        "before",
        "clamp",
        "close",
        "cnt",
        "cum",
        "epoch_days",
        "epoch_s",
        "inv",
        "nbytes",
        "nwd",
        "nxt",
        "open",
        "row",
        "wdc",
    )

    def __init__(self, cal: CompiledCalendar) -> None:
        n = cal._n
        pat = np.zeros(n + 2, dtype=np.int32)
        pat[:n] = np.asarray(cal._pat)
        opening = np.asarray(cal._open)
        closing = np.asarray(cal._close)
        # Derived (copied) per-day tables: the row of the day's pattern in the minute tables
        # (0 = no office period), its opening and its closing minute.
        self.row: NDArray[np.int32] = pat * np.int32(_M)
        self.open: NDArray[np.uint16] = opening[pat]
        self.close: NDArray[np.uint16] = closing[pat]
        self.nbytes = self.row.nbytes + self.open.nbytes + self.close.nbytes
        # Zero-copy, read-only views of the compiled arrays.
        self.cum: NDArray[np.int32] = np.asarray(cal._cum)
        self.wdc: NDArray[np.int32] = np.asarray(cal._wdc)
        self.cnt: NDArray[np.int32] = np.asarray(cal._cnt)
        self.nwd: NDArray[np.int32] = np.asarray(cal._nwd)
        self.before: NDArray[np.uint16] = np.asarray(cal._before)
        self.nxt: NDArray[np.uint16] = np.asarray(cal._nxt)
        self.inv: NDArray[np.uint16] = np.asarray(cal._inv)
        self.clamp: NDArray[np.uint16] = np.asarray(cal._clamp)
        self.epoch_days = cal._epoch_ord - _UNIX_ORDINAL
        #: Epoch seconds (UTC) of minute 0: 00:00 local time of 1 January ``first_year``.
        self.epoch_s = self.epoch_days * 86_400 - _VN_OFFSET_S


def tables(cal: CompiledCalendar) -> NumpyTables:
    """The NumPy tables of ``cal`` (built on first use; a race builds equal tables twice)."""
    t = cal._numpy
    if t is None:
        t = NumpyTables(cal)
        cal._numpy = t
    return t  # type: ignore[no-any-return]


# --- the arithmetic (arrays of minute indices; same steps as ``algorithm.due_minutes``) -----------


def _norm(
    cal: CompiledCalendar, t: NumpyTables, mc: Int64Array, mf: Int64Array, cutoff: bool
) -> tuple[Int64Array, Int64Array, Mask]:
    """(start minute, W(start), out of range) per §9.2 step 1, like ``CalendarTables._norm``."""
    n = cal._n
    dc, modc = np.divmod(mc, _DAY)
    row = t.row[dc]
    nm = t.nxt[row + modc]
    inside = nm != _NONE  # pattern 0 (no office period) has no next instant on any minute
    d2 = t.nwd[dc + 1]
    start = np.where(inside, dc * _DAY + nm, d2 * _DAY + t.open[d2])
    w = np.where(inside, t.cum[dc] + t.before[row + modc], t.cum[np.minimum(d2, n)])
    bad = ~inside & (d2 >= n)
    if cutoff:
        df, modf = np.divmod(mf, _DAY)
        cut = (t.row[df] != 0) & (modf >= cal._cutoff)
        if cut.any():
            d3 = t.nwd[df + 1]
            start = np.where(cut, d3 * _DAY + t.open[d3], start)
            w = np.where(cut, t.cum[np.minimum(d3, n)], w)
            bad = np.where(cut, d3 >= n, bad)
    return start.astype(np.int64), w.astype(np.int64), bad


def _at_w(cal: CompiledCalendar, t: NumpyTables, target: Int64Array) -> tuple[Int64Array, Mask]:
    """(earliest minute with W >= target, out of range) for targets >= 1, like ``_at_w``."""
    bad = target > cal._total
    target = np.minimum(target, cal._total)
    d = np.searchsorted(t.cum, target, side="left") - 1
    due = d * _DAY + t.inv[t.row[d] + (target - t.cum[d])]
    return due.astype(np.int64), bad


def _working_time(
    cal: CompiledCalendar,
    t: NumpyTables,
    mc: Int64Array,
    mf: Int64Array,
    minutes: Int64Array,
    cutoff: bool,
) -> tuple[Int64Array, Mask]:
    """§9.2 step 2: working hours, or working days × the working-day length."""
    if not cutoff:
        # W is flat outside office periods: W(receipt) + limit locates the due (as ``add``).
        dc, modc = np.divmod(mc, _DAY)
        target = t.cum[dc] + t.before[t.row[dc] + modc] + minutes
        due, bad = _at_w(cal, t, np.maximum(target, 1))
        zero = minutes == 0
        if zero.any():
            start, _, bad0 = _norm(cal, t, mc[zero], mf[zero], False)
            due[zero] = start
            bad[zero] = bad0
        return due, bad
    start, w, bad = _norm(cal, t, mc, mf, True)
    due, bad_w = _at_w(cal, t, np.maximum(w + minutes, 1))
    positive = minutes > 0
    return np.where(positive, due, start), bad | (positive & bad_w)


def _same_day(
    cal: CompiledCalendar, t: NumpyTables, mc: Int64Array, mf: Int64Array
) -> tuple[Int64Array, Mask]:
    """Same day: the closing time of the normalised receipt day, the cut-off always applied."""
    start, _, bad = _norm(cal, t, mc, mf, True)
    d = start // _DAY
    return d * _DAY + t.close[d], bad


def _day_count_days(
    cal: CompiledCalendar, t: NumpyTables, mc: Int64Array, mf: Int64Array, whole: Int64Array
) -> tuple[Int64Array, Mask]:
    """§9.3: the closing time of the Nth working day after the receipt date (N = 0: today's)."""
    n = cal._n
    rd = mf // _DAY
    bad = t.nwd[rd + 1] >= n
    i = np.searchsorted(t.wdc, t.wdc[rd + 1] + whole, side="left")
    bad |= (i > n) & (whole > 0)
    d = np.minimum(i, n) - 1
    due = d * _DAY + t.close[d]
    zero = whole == 0
    if zero.any():
        start, _, bad0 = _norm(cal, t, mc[zero], mf[zero], False)
        d0 = start // _DAY
        due[zero] = d0 * _DAY + t.close[d0]
        bad[zero] |= bad0
    return due.astype(np.int64), bad


def _calendar(
    cal: CompiledCalendar,
    t: NumpyTables,
    mf: Int64Array,
    whole: Int64Array,
    months: bool,
    options: DueOptions,
) -> tuple[Int64Array, Mask]:
    """§9.2 step 3 (calendar days, months) from the actual receipt date and clock."""
    n = cal._n
    anchor = mf
    if options.cutoff_shifts_clock_start:
        day, mod = np.divmod(mf, _DAY)
        anchor = np.where(mod >= cal._cutoff, (day + 1) * _DAY, mf)
    ad, amod = np.divmod(anchor, _DAY)
    bad = ad >= n
    ad = np.minimum(ad, n - 1)
    if months:
        # The same day number N months later, clamped to the month's end (civil calendar).
        days = (ad + t.epoch_days).astype("datetime64[D]")
        month = days.astype("datetime64[M]")
        day_no = days - month.astype("datetime64[D]")
        later = month + whole.astype("timedelta64[M]")
        first = later.astype("datetime64[D]")
        length = (later + np.timedelta64(1, "M")).astype("datetime64[D]") - first
        end = first + np.minimum(day_no, length - np.timedelta64(1, "D"))
        target = end.astype(np.int64) - t.epoch_days
    elif options.calendar_days_skip_holidays:
        counted = np.searchsorted(t.cnt, t.cnt[ad + 1] + whole, side="left") - 1
        target = np.where(whole > 0, counted, ad + whole)
    else:
        target = ad + whole
    bad |= target >= n
    d = t.nwd[np.minimum(target, n)]
    bad |= d >= n
    day_count = options.counting is Counting.DAY_COUNT
    clock = t.close[d] if day_count else t.clamp[t.row[d] + amod]
    due = (d * _DAY + clock).astype(np.int64)
    early = due < anchor
    if early.any():
        # 0 days on the receipt day after closing or in lunch: the next working instant.
        start, _, bad0 = _norm(cal, t, anchor[early], anchor[early], False)
        due[early] = start
        bad[early] |= bad0
    return due, bad


# --- the batch API ----------------------------------------------------------------------------


def add_array(
    cal: CompiledCalendar,
    received: ArrayLike,
    amounts: ArrayLike,
    units: ArrayLike,
    options: DueOptions = DEFAULT_OPTIONS,
) -> Int64Array:
    """Due instants (int64 epoch seconds, UTC) of many cases; see the module docstring."""
    r = np.asarray(received)
    if r.ndim == 0:
        r = r.reshape(1)
    if r.ndim != 1:
        raise ValueError("received must be a one-dimensional array")
    size = len(r)
    a = np.asarray(amounts)
    u = np.asarray(units)
    for name, values in (("amounts", a), ("units", u)):
        if values.ndim and values.shape != (size,):
            raise ValueError(f"{name} must have one value per case ({size}) or one for all")
    t = tables(cal)
    due = np.empty(size, dtype=np.int64)
    # Chunks keep the temporaries small (cache-friendly, and no fresh memory from the system
    # for every temporary); cases are still checked in order, so the first failing case wins.
    for start in range(0, size, _CHUNK):
        part = slice(start, start + _CHUNK)
        due[part] = _add_chunk(
            cal, t, r[part], a[part] if a.ndim else a, u[part] if u.ndim else u, options, start
        )
    return due


def _add_chunk(
    cal: CompiledCalendar,
    t: NumpyTables,
    received: NDArray[Any],
    amounts: NDArray[Any],
    units: NDArray[Any],
    options: DueOptions,
    offset: int,
) -> Int64Array:
    """``add_array`` on at most ``_CHUNK`` cases; errors name case ``offset + i``."""
    sec, bad, frac, received_item = instants(cal, t.epoch_s, received)
    size = len(sec)
    codes, bad_unit, unit_item = unit_codes(units, size)
    a = amounts if amounts.ndim else np.broadcast_to(amounts, (size,))
    if cal.first_date.year < _UNIFORM_FROM:
        return _add_one_by_one(cal, size, received_item, a, unit_item, options, offset)
    bad |= bad_unit
    sec = np.where(bad, t.epoch_s, sec)  # harmless stand-ins; reported below
    local = sec - t.epoch_s
    mf = local // 60
    mc = mf + (local % 60 != 0)
    if frac is not None:
        mc += frac & (local % 60 == 0)
    due = np.zeros(size, dtype=np.int64)
    day_count = options.counting is Counting.DAY_COUNT
    kind = a.dtype.kind
    slow: NDArray[np.intp]
    if kind in "iuf":
        whole_only = (codes == 2) | (codes == 3) | ((codes == 1) & day_count)
        if kind == "f":
            af = a.astype(np.float64)
            finite = np.isfinite(af)
            bad |= ~finite | (af < 0) | (af > _MAX[codes]) | (whole_only & (af != np.floor(af)))
            af = np.where(bad, 0.0, af)
            whole = af.astype(np.int64)
        else:
            ai = as_int64(a)
            bad |= (ai < 0) | (ai > _MAX[codes])
            whole = np.where(bad, 0, ai)
            af = None
        working = (codes == 0) | ((codes == 1) & (not day_count))
        per = np.where(codes == 0, 60, cal.day_minutes)
        if af is None:
            minutes = whole * per
            slow = np.zeros(0, dtype=np.intp)
        else:
            product = af * per
            exact = product == np.floor(product)
            minutes = np.where(exact, product, 0).astype(np.int64)
            slow = np.flatnonzero(working & ~exact & ~bad)
            working &= exact
        cut = options.cutoff_shifts_clock_start
        groups: tuple[tuple[Mask, Callable[[Any], tuple[Int64Array, Mask]]], ...] = (
            (working, lambda i: _working_time(cal, t, mc[i], mf[i], minutes[i], cut)),
            (codes == 4, lambda i: _same_day(cal, t, mc[i], mf[i])),
            ((codes == 1) & day_count, lambda i: _day_count_days(cal, t, mc[i], mf[i], whole[i])),
            (codes == 2, lambda i: _calendar(cal, t, mf[i], whole[i], False, options)),
            (codes == 3, lambda i: _calendar(cal, t, mf[i], whole[i], True, options)),
        )
        for mask, compute in groups:
            index = np.flatnonzero(mask & ~bad)
            if len(index) == size:
                due, bad_group = compute(slice(None))
                bad |= bad_group
            elif len(index):
                due[index], bad_group = compute(index)
                bad[index] |= bad_group
    else:  # object amounts (Fraction, Decimal …) or others: the scalar algorithm, case by case
        slow = np.flatnonzero(~bad)
    for i in slow.tolist():  # exact Fractions (0.1 working hours), as ``add`` computes them
        try:
            amount: Any = scalar_item(a[i])
            code = int(codes[i])
            _, due[i] = due_minutes(cal, int(mc[i]), int(mf[i]), code, amount, options, None)
        except CalendarError:
            bad[i] = True
    if bad.any():
        _raise_first(cal, int(np.argmax(bad)), offset, received_item, a, unit_item, options)
    return due * 60 + t.epoch_s


def _add_one_by_one(
    cal: CompiledCalendar,
    size: int,
    received_item: Callable[[int], object],
    amounts: NDArray[Any],
    unit_item: Callable[[int], object],
    options: DueOptions,
    offset: int,
) -> Int64Array:
    """``add`` case by case: for calendars reaching back to years of another UTC offset."""
    due = np.empty(size, dtype=np.int64)
    for i in range(size):
        try:
            start: Any = received_item(i)
            amount: Any = scalar_item(amounts[i])
            unit: Any = unit_item(i)
            due[i] = cal.add(start, amount, unit, options).timestamp()
        except (CalendarError, OverflowError):
            _raise_first(cal, i, offset, received_item, amounts, unit_item, options)
    return due


def _raise_first(
    cal: CompiledCalendar,
    i: int,
    offset: int,
    received_item: Callable[[int], object],
    amounts: NDArray[Any],
    unit_item: Callable[[int], object],
    options: DueOptions,
) -> None:
    """Raise the error of ``add`` for case ``i`` of a chunk (the first failing case of the
    batch: case ``offset + i``), with its index."""
    try:
        cal.add(
            received_item(i),  # type: ignore[arg-type]
            scalar_item(amounts[i]),  # type: ignore[arg-type]
            unit_item(i),  # type: ignore[arg-type]
            options,
        )
    except CalendarError as exc:
        error = exc
    except OverflowError as exc:  # an instant beyond what ``datetime`` can hold
        error = CalendarError(
            "out_of_range",
            f"The received_at {exc} is outside the compiled calendar "
            f"({cal.first_date.year}–{cal.last_date.year}).",
            first_year=cal.first_date.year,
            last_year=cal.last_date.year,
            value=str(exc),
        )
    else:  # only a sub-microsecond receipt rounded up past the end of the range
        error = cal._out_of_range()
    index = offset + i
    raise CalendarError(
        error.code, f"Case {index}: {error.message}", **{**error.params, "index": index}
    ) from error
