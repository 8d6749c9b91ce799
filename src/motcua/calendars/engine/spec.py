"""Inputs of the working-time engine: calendar specification, reasons, units and options.

Scope: plain, immutable data describing one office's working calendar (office periods per weekday,
effective-dated seasons, days off and make-up working days with their reasons, the 15:00 cut-off,
reception hours) and the options of a due-date computation.

Known limits:

- Minute resolution; times are local to Asia/Ho_Chi_Minh (UTC+7, no DST since 1975).
- An office period cannot cross midnight.
- Days off are whole days (no half-day closures); a make-up day uses the Monday–Friday hours of the
  season in effect unless it is given its own periods.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import Final
from zoneinfo import ZoneInfo

from .errors import CalendarError

#: The one legal time zone (UTC+7, no daylight saving time).
VN_TZ: Final = ZoneInfo("Asia/Ho_Chi_Minh")

type Period = tuple[time, time]
type DayPeriods = tuple[Period, ...]
type WeekPattern = tuple[
    DayPeriods, DayPeriods, DayPeriods, DayPeriods, DayPeriods, DayPeriods, DayPeriods
]

#: Production default office hours, 07:00–11:30 and 13:30–17:00 = 8 h (domain notes §2,
#: secondary source).
DEFAULT_DAY: Final[DayPeriods] = ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
#: Monday–Friday working, Saturday and Sunday weekly rest (QĐ 188/1999/QĐ-TTg, unconfirmed).
DEFAULT_WEEK: Final[WeekPattern] = (DEFAULT_DAY,) * 5 + ((), ())
#: The cut-off for paper transfer and same-day procedures (NĐ 61/2018 Art 18, legal text).
DEFAULT_CUTOFF: Final = time(15, 0)
#: One working day = 8 working hours (domain notes §1, secondary source).
DEFAULT_WORKING_DAY_MINUTES: Final = 480


class Unit(StrEnum):
    """Units of a procedure's time limit (domain notes §1)."""

    WORKING_HOURS = "working_hours"  # giờ làm việc
    WORKING_DAYS = "working_days"  # ngày làm việc
    CALENDAR_DAYS = "calendar_days"  # ngày
    MONTHS = "months"  # tháng
    SAME_DAY = "same_day"  # trong ngày


class Counting(StrEnum):
    """Counting convention: §9.2 working-time clock (default) or §9.3 civil day count."""

    WORKING_TIME = "working_time"
    DAY_COUNT = "day_count"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a date is off or a make-up working day, with its legal source and confidence status.

    Explanation lines group consecutive dates whose ``name_*``, ``source`` and ``status`` agree;
    ``detail_*`` (e.g. "mùng 1 Tết", "swapped for Sat 10/01/2026") is per date and not grouped on.
    """

    name_vi: str
    name_en: str
    source: str = ""
    status: str = ""
    detail_vi: str = ""
    detail_en: str = ""

    @property
    def group_key(self) -> tuple[str, str, str, str]:
        return (self.name_vi, self.name_en, self.source, self.status)


@dataclass(frozen=True, slots=True)
class DueOptions:
    """Policy options of one due-date computation (per procedure version, domain notes §12)."""

    counting: Counting = Counting.WORKING_TIME
    #: When on, a receipt at or after the cut-off starts at the next working day's opening (§5;
    #: unconfirmed, default off). The unit "same_day" always applies the cut-off.
    cutoff_shifts_clock_start: bool = False
    #: When on, calendar days that are days off on an otherwise working weekday are not counted
    #: (weekends still count) — a production option (§9.2 step 3, secondary source).
    calendar_days_skip_holidays: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "counting", Counting(self.counting))
        except ValueError:
            raise CalendarError(
                "invalid_option",
                f"Unknown counting convention {self.counting!r}; "
                f"expected one of {[c.value for c in Counting]}.",
                option="counting",
                value=self.counting,
            ) from None


DEFAULT_OPTIONS: Final = DueOptions()


def _check_day_periods(periods: DayPeriods, where: str) -> DayPeriods:
    periods = tuple((start, end) for start, end in periods)
    previous_end: time | None = None
    for start, end in periods:
        if not isinstance(start, time) or not isinstance(end, time):
            raise CalendarError(
                "invalid_spec", f"{where}: periods must be (time, time) pairs.", where=where
            )
        if start.tzinfo is not None or end.tzinfo is not None:
            raise CalendarError("invalid_spec", f"{where}: use naive local times.", where=where)
        if start.second or start.microsecond or end.second or end.microsecond:
            raise CalendarError(
                "invalid_spec", f"{where}: times must be whole minutes.", where=where
            )
        if not start < end:
            raise CalendarError(
                "invalid_spec",
                f"{where}: period {start:%H:%M}–{end:%H:%M} must end after it starts.",
                where=where,
            )
        if previous_end is not None and start < previous_end:
            raise CalendarError(
                "invalid_spec",
                f"{where}: periods must be in order and must not overlap.",
                where=where,
            )
        previous_end = end
    return periods


def _check_week(week: WeekPattern, where: str) -> WeekPattern:
    if len(week) != 7:
        raise CalendarError(
            "invalid_spec", f"{where}: give exactly 7 days (Monday..Sunday).", where=where
        )
    return tuple(_check_day_periods(day, f"{where}[{i}]") for i, day in enumerate(week))  # type: ignore[return-value]


@dataclass(frozen=True)
class CalendarSpec:
    """One office's working calendar as plain data; compile it with ``compile_calendar``.

    ``days_off`` and ``make_up_days`` come from the national table plus office overrides (loaded
    from the database by the caller); the engine never reads ``schedule_vn`` itself. A date that is
    both a day off and a make-up day is a working day (domain notes §2 predicate).
    """

    #: Counting (office) periods for Monday..Sunday.
    weekly_periods: WeekPattern = DEFAULT_WEEK
    days_off: Mapping[date, Reason] = field(default_factory=dict)
    make_up_days: Mapping[date, Reason] = field(default_factory=dict)
    #: Own periods for some make-up days; others use the Monday hours of the season in effect.
    make_up_periods: Mapping[date, DayPeriods] = field(default_factory=dict)
    #: Effective-dated weekly patterns (e.g. summer hours): from each date on, that week pattern.
    seasons: tuple[tuple[date, WeekPattern], ...] = ()
    #: Reception (desk opening) periods; ``None`` = the counting periods. Reception does not
    #: make a day count (e.g. Saturday-morning desks, domain notes §2).
    reception_periods: WeekPattern | None = None
    cutoff: time = DEFAULT_CUTOFF
    first_year: int = 1990
    last_year: int = 2100
    #: Length of one working day for the unit "working_days"; ``None`` = 480 (8 h).
    working_day_minutes: int | None = None
    #: Years whose table is not (yet) decreed; explanations flag due dates that touch them.
    provisional_years: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        if not (1900 <= self.first_year <= self.last_year <= 2200):
            raise CalendarError(
                "invalid_spec",
                "The year range must satisfy 1900 <= first_year <= last_year <= 2200.",
                first_year=self.first_year,
                last_year=self.last_year,
            )
        object.__setattr__(self, "weekly_periods", _check_week(self.weekly_periods, "week"))
        if self.reception_periods is not None:
            object.__setattr__(
                self, "reception_periods", _check_week(self.reception_periods, "reception")
            )
        seasons = tuple(
            sorted((start, _check_week(week, f"season {start}")) for start, week in self.seasons)
        )
        object.__setattr__(self, "seasons", seasons)
        object.__setattr__(self, "days_off", MappingProxyType(dict(self.days_off)))
        object.__setattr__(self, "make_up_days", MappingProxyType(dict(self.make_up_days)))
        object.__setattr__(
            self,
            "make_up_periods",
            MappingProxyType(
                {
                    day: _check_day_periods(periods, f"make-up {day}")
                    for day, periods in self.make_up_periods.items()
                }
            ),
        )
        object.__setattr__(self, "provisional_years", frozenset(self.provisional_years))
        if self.cutoff.tzinfo is not None or self.cutoff.second or self.cutoff.microsecond:
            raise CalendarError(
                "invalid_spec", "The cut-off must be a naive whole-minute time.", where="cutoff"
            )
        wd = self.working_day_minutes
        if wd is not None and not (isinstance(wd, int) and 1 <= wd <= 1440):
            raise CalendarError(
                "invalid_spec",
                "working_day_minutes must be an integer between 1 and 1440.",
                where="working_day_minutes",
            )
        for mapping, name in ((self.days_off, "days_off"), (self.make_up_days, "make_up_days")):
            for day, reason in mapping.items():
                if type(day) is not date or not isinstance(reason, Reason):
                    raise CalendarError(
                        "invalid_spec",
                        f"{name} must map datetime.date to Reason.",
                        where=name,
                    )

    @property
    def day_minutes(self) -> int:
        """Working minutes in one working day for the unit "working_days" (default 480)."""
        return self.working_day_minutes or DEFAULT_WORKING_DAY_MINUTES

    @cached_property
    def fingerprint(self) -> str:
        """A stable digest of the whole specification (cache key; store it with a due date)."""
        h = hashlib.sha256()
        h.update(repr((self.weekly_periods, self.seasons, self.reception_periods)).encode())
        h.update(repr((self.cutoff, self.first_year, self.last_year)).encode())
        h.update(repr((self.working_day_minutes, sorted(self.provisional_years))).encode())
        for name, mapping in (("off", self.days_off), ("make-up", self.make_up_days)):
            h.update(name.encode())
            h.update(repr(sorted(mapping.items())).encode())
        h.update(repr(sorted(self.make_up_periods.items())).encode())
        return h.hexdigest()

    def __hash__(self) -> int:
        return hash(self.fingerprint)


def as_local(t: datetime, what: str = "instant") -> datetime:
    """``t`` in Asia/Ho_Chi_Minh; refuses naive datetimes (code "naive_datetime")."""
    if not isinstance(t, datetime) or t.tzinfo is None or t.utcoffset() is None:
        raise CalendarError(
            "naive_datetime",
            f"The {what} must be an aware datetime (Asia/Ho_Chi_Minh), got {t!r}.",
            what=what,
        )
    return t if t.tzinfo is VN_TZ else t.astimezone(VN_TZ)
