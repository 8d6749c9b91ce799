"""The Vietnamese national schedule of days off and make-up working days, as plain data.

Scope (domain notes calendar-and-deadlines §3–§4):

- **Decreed years (2025, 2026)** come from the override table below, transcribed from §4 — the
  days off of civil servants including whole Tết blocks (with the weekends inside them), swapped
  days off and make-up working Saturdays — each with its instrument (e.g. "TB 9441/TB-BNV",
  "CV 12729/VPCP-KGVX") and status "secondary source" (news reports citing the notices; verify
  against the notice text before go-live). The table is the authority: ``holidays.VN`` misses
  decreed swaps (e.g. New Year 2026: Fri 02/01 off, Sat 10/01 worked).
- **Other years** are computed: the statutory holidays of ``holidays.VN(observed=False)`` (names
  and lunar dates computed by the package; its historical swaps with their make-up days are kept)
  plus the compensatory-day rule — a holiday falling on the weekly rest day moves to the next
  working day (Labour Code 2019 Art 111(3); earlier codes had the same rule, applied from 1995 as
  the ``holidays`` package does). Years after the last decreed year are flagged
  "not yet decreed"; earlier years "not entered". Due dates touching them are provisional.

Known limits:

- "Ngày Văn hóa Việt Nam" (24/11), which ``holidays`` 0.109 lists from 2026, is **excluded**: as of
  26/02/2026 it is not law (§3: "do not add it until a notice exists").
- For undecreed years the Prime Minister still fixes the Tết days and the second National Day
  (Art 112(3)); the computed Tết is lunar 30/12 (eve) – mùng 4 plus compensatory days, which may
  differ from the notice that will come. Decreed swaps are unknown until published.
- Weekly rest is Saturday and Sunday for every year (the 40-hour week dates from QĐ 188/1999;
  earlier Saturdays are treated as rest days too).
- The engine never reads this module: the caller loads these entries into the administrator's
  tables and passes them to ``CalendarSpec`` as plain data (``national_calendar_spec`` does that
  directly for tests, benchmarks and defaults).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Final

import holidays

from motcua.calendars.engine import CalendarSpec, Reason


class EntryKind(StrEnum):
    DAY_OFF = "day_off"
    MAKE_UP_WORKING_DAY = "make_up_working_day"


STATUS_SECONDARY: Final = "secondary source"
STATUS_NOT_YET_DECREED: Final = "not yet decreed"
STATUS_NOT_ENTERED: Final = "not entered"

#: Years whose table below comes from the decreed notices (§4).
DECREED_YEARS: Final = frozenset({2025, 2026})


@dataclass(frozen=True, slots=True)
class ScheduleEntry:
    """One dated entry of the national schedule (one row of the administrator's table)."""

    date: date
    kind: EntryKind
    name_vi: str
    name_en: str
    source: str
    status: str
    detail_vi: str = ""
    detail_en: str = ""

    def reason(self) -> Reason:
        return Reason(
            self.name_vi, self.name_en, self.source, self.status, self.detail_vi, self.detail_en
        )


# --- occasions -------------------------------------------------------------------------------

_NEW_YEAR: Final = ("Tết Dương lịch", "New Year's Day")
_TET: Final = ("Tết Nguyên Đán", "Lunar New Year (Tết)")
_HUNG_KINGS: Final = ("Giỗ Tổ Hùng Vương", "Hùng Kings' Commemoration Day")
_APR30: Final = ("Ngày Chiến thắng 30/4", "Reunification Day (30 April)")
_MAY1: Final = ("Quốc tế Lao động 1/5", "International Labour Day (1 May)")
_APR30_MAY1: Final = (
    "Ngày Chiến thắng 30/4 và Quốc tế Lao động 1/5",
    "Reunification Day (30 April) and International Labour Day (1 May)",
)
_NATIONAL_DAY: Final = ("Quốc khánh 2/9", "National Day (2 September)")
_SWAP: Final = ("Ngày nghỉ hoán đổi", "Swapped day off")
_MAKE_UP: Final = ("Ngày làm bù", "Make-up working day")

_LC2019_HOLIDAYS: Final = "BLLĐ 2019 Điều 112"
_LC2019_COMPENSATORY: Final = "BLLĐ 2019 Điều 111.3, 112"

_WEEKEND_DETAIL: Final = ("cuối tuần trong kỳ nghỉ", "weekend inside the break")

type _Block = tuple[
    date, date, tuple[str, str], str, str, dict[date, tuple[str, str]]
]  # first, last, occasion, source, status, per-date details

#: §4.1 and §4.2, transcribed. Every date of each block is a day off for civil servants.
_DECREED_BLOCKS: Final[tuple[_Block, ...]] = (
    # 2025 (§4.1)
    (date(2025, 1, 1), date(2025, 1, 1), _NEW_YEAR, _LC2019_HOLIDAYS, STATUS_SECONDARY, {}),
    (
        date(2025, 1, 25),
        date(2025, 2, 2),
        _TET,
        "CV 8726/VPCP-KGVX; TB 6150/TB-BLĐTBXH",
        STATUS_SECONDARY,
        {
            date(2025, 1, 27): ("28 tháng Chạp", "28th of the last lunar month"),
            date(2025, 1, 28): ("29 tháng Chạp (giao thừa)", "Lunar New Year's Eve"),
            date(2025, 1, 29): ("mùng 1 Tết", "1st day of Tết"),
            date(2025, 1, 30): ("mùng 2 Tết", "2nd day of Tết"),
            date(2025, 1, 31): ("mùng 3 Tết", "3rd day of Tết"),
        },
    ),
    (
        date(2025, 4, 7),
        date(2025, 4, 7),
        _HUNG_KINGS,
        _LC2019_HOLIDAYS,
        "secondary source (news; instrument not named)",
        {date(2025, 4, 7): ("10/3 âm lịch", "10th day of the 3rd lunar month")},
    ),
    (
        date(2025, 4, 30),
        date(2025, 5, 4),
        _APR30_MAY1,
        "CV 8726/VPCP-KGVX; TB 6150/TB-BLĐTBXH",
        STATUS_SECONDARY,
        {
            date(2025, 5, 2): (
                "nghỉ hoán đổi, làm bù Thứ Bảy 26/04/2025",
                "swapped day off, worked on Saturday 26/04/2025",
            )
        },
    ),
    (
        date(2025, 8, 30),
        date(2025, 9, 2),
        _NATIONAL_DAY,
        "TB 6150/TB-BLĐTBXH",
        STATUS_SECONDARY,
        {},
    ),
    # 2026 (§4.2)
    (
        date(2026, 1, 1),
        date(2026, 1, 4),
        _NEW_YEAR,
        "CV 12729/VPCP-KGVX",
        STATUS_SECONDARY,
        {
            date(2026, 1, 2): (
                "nghỉ hoán đổi, làm bù Thứ Bảy 10/01/2026",
                "swapped day off, worked on Saturday 10/01/2026",
            )
        },
    ),
    (
        date(2026, 2, 14),
        date(2026, 2, 22),
        _TET,
        "TB 9441/TB-BNV",
        STATUS_SECONDARY,
        {
            date(2026, 2, 16): ("29 tháng Chạp", "29th of the last lunar month"),
            date(2026, 2, 17): ("mùng 1 Tết", "1st day of Tết"),
            date(2026, 2, 18): ("mùng 2 Tết", "2nd day of Tết"),
            date(2026, 2, 19): ("mùng 3 Tết", "3rd day of Tết"),
            date(2026, 2, 20): ("mùng 4 Tết", "4th day of Tết"),
        },
    ),
    (
        date(2026, 4, 25),
        date(2026, 4, 27),
        _HUNG_KINGS,
        _LC2019_COMPENSATORY,
        STATUS_SECONDARY,
        {
            date(2026, 4, 26): ("10/3 âm lịch (Chủ Nhật)", "lunar 10/3 (a Sunday)"),
            date(2026, 4, 27): ("nghỉ bù", "compensatory day off"),
        },
    ),
    (
        date(2026, 4, 30),
        date(2026, 5, 3),
        _APR30_MAY1,
        _LC2019_HOLIDAYS,
        "secondary source (news of 02/2026); a late swap is still possible",
        {},
    ),
    (
        date(2026, 8, 29),
        date(2026, 9, 2),
        _NATIONAL_DAY,
        "TB 9441/TB-BNV",
        STATUS_SECONDARY,
        {
            date(2026, 8, 31): (
                "nghỉ hoán đổi, làm bù Thứ Bảy 22/08/2026",
                "swapped day off, worked on Saturday 22/08/2026",
            )
        },
    ),
)

#: Make-up working Saturdays of the decreed years (§4).
_DECREED_MAKE_UP: Final[tuple[tuple[date, str, str, str], ...]] = (
    (
        date(2025, 4, 26),
        "CV 8726/VPCP-KGVX; TB 6150/TB-BLĐTBXH",
        "Thứ Sáu 02/05/2025",
        "02/05/2025",
    ),
    (date(2026, 1, 10), "CV 12729/VPCP-KGVX", "Thứ Sáu 02/01/2026", "02/01/2026"),
    (date(2026, 8, 22), "TB 9441/TB-BNV", "Thứ Hai 31/08/2026", "31/08/2026"),
)


def _decreed_entries(year: int) -> list[ScheduleEntry]:
    entries: list[ScheduleEntry] = []
    for first, last, (name_vi, name_en), source, status, details in _DECREED_BLOCKS:
        if first.year != year:
            continue
        day = first
        while day <= last:
            detail = details.get(day) or (_WEEKEND_DETAIL if day.weekday() >= 5 else ("", ""))
            entries.append(
                ScheduleEntry(day, EntryKind.DAY_OFF, name_vi, name_en, source, status, *detail)
            )
            day += timedelta(days=1)
    for day, source, swapped_vi, swapped_en in _DECREED_MAKE_UP:
        if day.year == year:
            entries.append(
                ScheduleEntry(
                    day,
                    EntryKind.MAKE_UP_WORKING_DAY,
                    *_MAKE_UP,
                    source,
                    STATUS_SECONDARY,
                    f"làm bù cho ngày nghỉ {swapped_vi}",
                    f"make-up for the day off on {swapped_en}",
                )
            )
    return sorted(entries, key=lambda e: (e.date, e.kind))


# --- computed years --------------------------------------------------------------------------

_SWAP_NAME: Final = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
_CULTURE_DAY: Final = "Ngày Văn hóa Việt Nam"


def _occasion(name_vi: str, name_en: str) -> tuple[str, str]:
    if name_vi == "Tết Dương lịch":
        return _NEW_YEAR
    if "Tết Nguyên Đán" in name_vi or name_vi.endswith(" Tết"):
        return _TET
    if "Hùng Vương" in name_vi:
        return _HUNG_KINGS
    if "Chiến thắng" in name_vi:
        return _APR30
    if "Lao động" in name_vi:
        return _MAY1
    if "Quốc khánh" in name_vi:
        return _NATIONAL_DAY
    return name_vi, name_en


def _statutory_source(year: int) -> str:
    if year >= 2021:
        return _LC2019_COMPENSATORY
    if year >= 2013:
        return "BLLĐ 2012 Điều 110.3, 115"
    return "BLLĐ 1994 Điều 73 (sửa đổi)"


@lru_cache(maxsize=8)
def _holidays_vn(first_year: int, last_year: int) -> tuple[dict[date, str], dict[date, str]]:
    years = range(first_year, last_year + 1)
    kwargs: dict[str, Any] = {"years": years, "observed": False}
    vi = dict(holidays.country_holidays("VN", language="vi", **kwargs).items())
    en = dict(holidays.country_holidays("VN", language="en_US", **kwargs).items())
    return vi, en


def _computed_entries(year: int, vi: dict[date, str], en: dict[date, str]) -> list[ScheduleEntry]:
    status = STATUS_NOT_YET_DECREED if year > max(DECREED_YEARS) else STATUS_NOT_ENTERED
    source = _statutory_source(year)
    entries: dict[date, ScheduleEntry] = {}
    make_up: list[ScheduleEntry] = []
    statutory: list[tuple[date, tuple[str, str], str, str]] = []
    for day in sorted(d for d in vi if d.year == year):
        name_vi, name_en = vi[day], en.get(day, vi[day])
        if name_vi == _CULTURE_DAY:
            continue  # §3: proposed, not law as of 26/02/2026 — do not enter
        swap = _SWAP_NAME.search(name_vi)
        if swap:
            worked = date(int(swap[3]), int(swap[2]), int(swap[1]))
            swap_source = "thông báo hoán đổi (theo thư viện holidays)"
            swap_status = "secondary source (holidays package)"
            entries[day] = ScheduleEntry(
                day,
                EntryKind.DAY_OFF,
                *_SWAP,
                swap_source,
                swap_status,
                f"làm bù ngày {worked:%d/%m/%Y}",
                f"worked on {worked:%d/%m/%Y}",
            )
            make_up.append(
                ScheduleEntry(
                    worked,
                    EntryKind.MAKE_UP_WORKING_DAY,
                    *_MAKE_UP,
                    swap_source,
                    swap_status,
                    f"làm bù cho ngày nghỉ {day:%d/%m/%Y}",
                    f"make-up for the day off on {day:%d/%m/%Y}",
                )
            )
            continue
        occasion = _occasion(name_vi, name_en)
        entries[day] = ScheduleEntry(
            day, EntryKind.DAY_OFF, *occasion, source, status, name_vi, name_en
        )
        statutory.append((day, occasion, name_vi, name_en))
    make_up_days = {e.date for e in make_up}
    if year >= 1995:
        # Art 111(3): a holiday on the weekly rest day gives a day off on the next working day.
        for day, occasion, name_vi, name_en in statutory:
            if day.weekday() < 5:
                continue
            comp = day + timedelta(days=1)
            while comp.weekday() >= 5 or comp in entries or comp in make_up_days:
                comp += timedelta(days=1)
            entries[comp] = ScheduleEntry(
                comp,
                EntryKind.DAY_OFF,
                *occasion,
                source,
                status,
                f"nghỉ bù cho {name_vi} {day:%d/%m/%Y}",
                f"compensatory day off for {name_en} {day:%d/%m/%Y}",
            )
    return sorted([*entries.values(), *make_up], key=lambda e: (e.date, e.kind))


@lru_cache(maxsize=8)
def national_schedule(first_year: int = 1990, last_year: int = 2100) -> tuple[ScheduleEntry, ...]:
    """All entries (date, kind, names, source, status) for the years first_year..last_year.

    Decreed years come from the §4 table; other years from ``holidays.VN`` plus the
    compensatory-day rule (see the module docstring). Sorted by date.
    """
    if not 1900 <= first_year <= last_year <= 2200:
        raise ValueError("Years must satisfy 1900 <= first_year <= last_year <= 2200.")
    vi, en = _holidays_vn(first_year, last_year)
    entries: list[ScheduleEntry] = []
    for year in range(first_year, last_year + 1):
        if year in DECREED_YEARS:
            entries += _decreed_entries(year)
        else:
            entries += _computed_entries(year, vi, en)
    # A make-up day of a computed year may fall in the neighbouring year: keep dates in range.
    return tuple(e for e in entries if first_year <= e.date.year <= last_year)


def provisional_years(first_year: int = 1990, last_year: int = 2100) -> frozenset[int]:
    """Years without a decreed table (their due dates may move when the notice comes)."""
    return frozenset(range(first_year, last_year + 1)) - DECREED_YEARS


def national_calendar_spec(
    first_year: int = 1990, last_year: int = 2100, **spec_options: Any
) -> CalendarSpec:
    """A ``CalendarSpec`` with the national schedule and default office hours (or overrides)."""
    entries = national_schedule(first_year, last_year)
    return CalendarSpec(
        days_off={e.date: e.reason() for e in entries if e.kind is EntryKind.DAY_OFF},
        make_up_days={
            e.date: e.reason() for e in entries if e.kind is EntryKind.MAKE_UP_WORKING_DAY
        },
        first_year=first_year,
        last_year=last_year,
        provisional_years=provisional_years(first_year, last_year),
        **spec_options,
    )
