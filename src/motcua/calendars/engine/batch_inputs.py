"""The inputs of the batch API (``vectorised.add_array``): instants and units as arrays.

Scope: converts the accepted forms of ``received`` (int64 epoch seconds, ``datetime64`` of any
resolution read as UTC, aware datetimes one by one) to floored epoch seconds plus a "sub-second
part" mask, and units (``Unit`` strings or ``UNIT_CODES`` integers, per case or one for all) to
codes; flags what ``add`` would refuse; and gives back, for one case, the Python objects that
``add`` would have been given, so that an error is raised by ``add`` itself.

Known limits: ``datetime64`` values finer than a microsecond are honoured for rounding (a
receipt one nanosecond after a minute counts from the next minute) but the error message of such
a case shows the instant truncated to the microsecond.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import CalendarError
from .limits import _UNIT_CODES, _UNITS

if TYPE_CHECKING:
    from .compiled import CompiledCalendar

type Int64Array = NDArray[np.int64]
type Mask = NDArray[np.bool_]

_UNIX_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_N_UNITS: Final = len(_UNITS)


def instants(
    cal: CompiledCalendar, epoch_s: int, received: ArrayLike
) -> tuple[Int64Array, Mask, Mask | None, Callable[[int], object]]:
    """(epoch seconds floored, sub-second part present, bad instant, item for ``add``)."""
    r = np.asarray(received)
    lo = epoch_s
    hi = lo + cal._n * 86_400
    kind = r.dtype.kind
    frac: Mask | None = None
    if kind in "iu":
        sec = as_int64(r)
        bad = (sec < lo) | (sec >= hi)

        def item(i: int) -> object:
            try:
                return _UNIX_EPOCH + timedelta(seconds=int(sec[i]))
            except OverflowError:
                raise OverflowError(f"{int(sec[i])} s (epoch seconds)") from None

    elif kind == "M":
        nat = np.isnat(r)
        sec = r.astype("datetime64[s]").view(np.int64)
        if np.datetime_data(r.dtype)[0] in ("ms", "us", "ns", "ps", "fs", "as"):
            frac = r != sec.view("datetime64[s]").astype(r.dtype)
        bad = nat | (sec < lo) | (sec >= hi)

        def item(i: int) -> object:
            if nat[i]:
                raise CalendarError(
                    "naive_datetime",
                    "The received_at is NaT: give an instant.",
                    what="received_at",
                )
            value = r[i].astype("datetime64[us]").astype(object)
            if not isinstance(value, datetime):
                raise OverflowError(f"{r[i]} UTC")
            return value.replace(tzinfo=UTC)

    elif kind == "O":
        # Aware datetimes: converted one by one, as ``add`` does.
        sec = np.zeros(len(r), dtype=np.int64)
        frac = np.zeros(len(r), dtype=np.bool_)
        bad = np.zeros(len(r), dtype=np.bool_)
        for i, value in enumerate(r):
            try:
                mc, mf = cal._minute(value, "received_at")
            except CalendarError:
                bad[i] = True
                continue
            sec[i] = lo + mf * 60
            frac[i] = mc != mf

        def item(i: int) -> object:
            return r[i]

    else:
        bad = np.ones(len(r), dtype=np.bool_)
        sec = np.zeros(len(r), dtype=np.int64)

        def item(i: int) -> object:
            return scalar_item(r[i])

    return sec, bad, frac, item


def unit_codes(units: ArrayLike, size: int) -> tuple[Int64Array, Mask, Callable[[int], object]]:
    """(unit code per case, unknown unit, item for ``add``)."""
    u = np.asarray(units)
    if u.ndim == 0:
        value = u.item()
        code = _unit_code(value)
        codes = np.full(size, max(code, 0), dtype=np.int64)
        bad = np.full(size, code < 0, dtype=np.bool_)
        return codes, bad, lambda i: _UNITS[code] if code >= 0 else value
    kind = u.dtype.kind
    if kind in "iu":
        raw = as_int64(u)
        bad = (raw < 0) | (raw >= _N_UNITS)
        codes = np.where(bad, 0, raw)
    elif kind == "U":
        codes = np.zeros(size, dtype=np.int64)
        bad = np.ones(size, dtype=np.bool_)
        for i, unit in enumerate(_UNITS):
            hit = u == unit.value
            codes[hit] = i
            bad &= ~hit
    elif kind == "O":
        found = np.array([_unit_code(x) for x in u], dtype=np.int64)
        bad = found < 0
        codes = np.maximum(found, 0)
    else:  # bytes, floats, booleans …: ``add`` knows none of them
        codes = np.zeros(size, dtype=np.int64)
        bad = np.ones(size, dtype=np.bool_)

    def item(i: int) -> object:
        return scalar_item(u[i]) if bad[i] else _UNITS[codes[i]]

    return codes, bad, item


def scalar_item(value: object) -> object:
    """A NumPy scalar as the Python object ``add`` would be given."""
    return value.item() if isinstance(value, np.generic) else value


def as_int64(values: NDArray[Any]) -> Int64Array:
    """Integers as int64, unsigned ones above the int64 range clipped (they are out of range)."""
    if values.dtype == np.uint64:
        values = np.minimum(values, np.uint64(np.iinfo(np.int64).max))
    return values.astype(np.int64)


def _unit_code(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < _N_UNITS else -1
    return _UNIT_CODES.get(value, -1) if isinstance(value, str) else -1
