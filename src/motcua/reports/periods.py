"""Reporting periods: whole local days, validated (not reversed, not in the future)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import VN_TZ
from motcua.core.errors import DomainError

#: The earliest day statistics may start (before any dossier of a real installation).
EARLIEST = dt.date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """From ``first`` to ``last``, both included (local Vietnamese days)."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        """The first instant of the period."""
        return dt.datetime.combine(self.first, dt.time(), tzinfo=VN_TZ)

    @property
    def end(self) -> dt.datetime:
        """The instant just after the period (start of the day after ``last``)."""
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=VN_TZ)

    @cached_property
    def months(self) -> list[dt.date]:
        """First days of the calendar months the period touches."""
        result, month = [], self.first.replace(day=1)
        while month <= self.last:
            result.append(month)
            month = next_month(month)
        return result

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def make_period(first: dt.date, last: dt.date, *, today: dt.date) -> Period:
    """A valid period, or a translated ``DomainError`` (reversed, in the future, too early)."""
    if first > last:
        raise DomainError(
            "period_reversed",
            _("The period starts on %(first)s, after its end on %(last)s."),
            {"first": f"{first:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"},
        )
    if last > today:
        raise DomainError(
            "period_in_future",
            _(
                "The period ends on %(last)s, which is in the future; statistics cover days "
                "up to today (%(today)s)."
            ),
            {"last": f"{last:%d/%m/%Y}", "today": f"{today:%d/%m/%Y}"},
        )
    if first < EARLIEST:
        raise DomainError(
            "period_too_early",
            _("Statistics start on %(earliest)s."),
            {"earliest": f"{EARLIEST:%d/%m/%Y}"},
        )
    return Period(first, last)


def preset(kind: str, *, today: dt.date) -> Period:
    """Common periods up to today: this month, last month, this quarter, this year, last year."""
    if kind == "last_month":
        last = today.replace(day=1) - dt.timedelta(days=1)
        return Period(last.replace(day=1), last)
    if kind == "quarter":
        first = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        return Period(first, today)
    if kind == "year":
        return Period(dt.date(today.year, 1, 1), today)
    if kind == "last_year":
        return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    if kind == "last_12_months":
        first = next_month(today.replace(day=1).replace(year=today.year - 1))
        return Period(first, today)
    return Period(today.replace(day=1), today)  # this month


PRESETS = ("month", "last_month", "quarter", "year", "last_year", "last_12_months")
