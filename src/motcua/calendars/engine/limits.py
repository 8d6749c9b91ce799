"""Units, amounts and the small constants shared by the compiled calendar's modules.

Scope: the minute model's constants (minutes per day, per-pattern table width, day kinds), the
integer codes of the units on the hot paths, the "absurd amount" limits, exact conversion of an
amount (``Fraction``) and the errors about units and amounts. Internal to the engine: the public
names (``MAX_AMOUNT``, ``Amount``, ``UNIT_CODES``) are re-exported by the package.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time, timedelta
from decimal import Decimal
from fractions import Fraction
from math import isfinite
from types import MappingProxyType
from typing import Final

from .errors import CalendarError
from .spec import DayPeriods, Unit

_DAY: Final = 1440  # minutes per day
_M: Final = 1441  # entries per pattern table (minute of day 0..1440 inclusive)
_NONE: Final = 1440  # "no working instant left on this day"

# Day kinds.
WORKING: Final = 0
WEEKLY_REST: Final = 1
DAY_OFF: Final = 2
MAKE_UP: Final = 3
_KIND_NAMES: Final = ("working", "weekly_rest", "day_off", "make_up")

# Unit codes of the hot paths (also the small-integer unit codes of ``add_array``).
_U_HOURS, _U_DAYS, _U_CAL, _U_MONTHS, _U_SAME = range(5)
_UNITS: Final = (
    Unit.WORKING_HOURS,
    Unit.WORKING_DAYS,
    Unit.CALENDAR_DAYS,
    Unit.MONTHS,
    Unit.SAME_DAY,
)
_UNIT_CODES: Final[dict[str, int]] = {u: i for i, u in enumerate(_UNITS)}
#: The integer code of each unit for the batch API ``CompiledCalendar.add_array``: 0 working
#: hours, 1 working days, 2 calendar days, 3 months, 4 same day (stable; may be stored).
UNIT_CODES: Final[Mapping[Unit, int]] = MappingProxyType({u: i for i, u in enumerate(_UNITS)})
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
