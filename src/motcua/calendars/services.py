"""Changes to working calendars. Every change is atomic, validated, and recorded in the history.

Rules (domain notes §3–§4, "calendar-and-deadlines"): the yearly table of days off and make-up days
is data entered by an administrator, each entry with its legal source; an entry that changes
nothing (a day off on a day that is already not worked, a make-up day on a working day) is refused.
Editing a national year nobody entered yet first copies that year's statutory suggestions into the
table (marked provisional), so one edit never silently drops the other holidays of the year.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.calendars import schedule_vn
from motcua.calendars.engine import CalendarError, CalendarSpec, compile_calendar
from motcua.calendars.messages import domain_error
from motcua.calendars.models import (
    NATIONAL_CODE,
    CalendarChange,
    CalendarDay,
    CalendarYear,
    ChangeAction,
    DayKind,
    EntryStatus,
    WorkingCalendar,
)
from motcua.calendars.selectors import FIRST_YEAR, LAST_YEAR, calendar_spec
from motcua.core import refcache
from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.text import nfc

_STATUS_FROM_SCHEDULE = {
    schedule_vn.STATUS_SECONDARY: EntryStatus.SECONDARY,
    schedule_vn.STATUS_NOT_YET_DECREED: EntryStatus.SUGGESTED,
    schedule_vn.STATUS_NOT_ENTERED: EntryStatus.SUGGESTED,
}


def _snapshot(day: CalendarDay) -> dict[str, str]:
    return {
        "kind": day.kind,
        "name_vi": day.name_vi,
        "name_en": day.name_en,
        "source": day.source,
        "status": day.status,
        "detail_vi": day.detail_vi,
        "detail_en": day.detail_en,
    }


def _record(
    calendar: WorkingCalendar,
    action: ChangeAction,
    *,
    actor: User | None,
    reason: str,
    date: dt.date | None = None,
    before: object = None,
    after: object = None,
) -> None:
    CalendarChange.objects.create(
        calendar=calendar,
        action=action,
        date=date,
        before=before,
        after=after,
        reason=nfc(reason),
        actor=actor,
        at=timezone.now(),
    )
    WorkingCalendar.objects.filter(pk=calendar.pk).update(revision=uuid.uuid4().hex)
    refcache.invalidate()  # the memoised calendar chain carries the revisions


def _locked(calendar: WorkingCalendar) -> WorkingCalendar:
    """Lock the calendar row: edits of one calendar are serialised (revision, history order)."""
    return WorkingCalendar.objects.select_for_update().get(pk=calendar.pk)


def _check_date(date: dt.date) -> None:
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise domain_error(CalendarError("out_of_range", "date out of range"))


def _enter_year(calendar: WorkingCalendar, year: int, actor: User | None) -> None:
    """Make ``year`` an entered year of ``calendar`` (national: copy the statutory suggestions)."""
    if CalendarYear.objects.filter(calendar=calendar, year=year).exists():
        return
    copied = 0
    if calendar.code == NATIONAL_CODE:
        for entry in schedule_vn.national_schedule(year, year):
            CalendarDay.objects.create(
                calendar=calendar,
                date=entry.date,
                kind=(
                    DayKind.DAY_OFF
                    if entry.kind is schedule_vn.EntryKind.DAY_OFF
                    else DayKind.MAKE_UP_WORKING_DAY
                ),
                name_vi=entry.name_vi,
                name_en=entry.name_en,
                source=entry.source,
                status=_STATUS_FROM_SCHEDULE.get(entry.status, EntryStatus.SUGGESTED),
                detail_vi=entry.detail_vi,
                detail_en=entry.detail_en,
            )
            copied += 1
    CalendarYear.objects.create(calendar=calendar, year=year, provisional=True)
    _record(
        calendar,
        ChangeAction.YEAR_ENTERED,
        actor=actor,
        reason=f"{year}: {copied} statutory suggestions copied",
        after={"year": year},
    )


@transaction.atomic
def set_calendar_day(
    calendar: WorkingCalendar,
    *,
    date: dt.date,
    kind: DayKind | str,
    name_vi: str,
    source: str,
    name_en: str = "",
    status: EntryStatus | str = EntryStatus.SECONDARY,
    detail_vi: str = "",
    detail_en: str = "",
    actor: User | None = None,
    reason: str = "",
) -> CalendarDay:
    """Record a day off or a make-up working day (or change the entry of that date).

    Refused, with nothing saved, when the date is out of range, the name or legal source is
    missing, the entry repeats what is recorded, or it would change nothing (a day off on a day
    already not worked, a make-up day on a working day). Bumps the calendar's revision so every
    due date computed afterwards uses it; appends to the history.
    """
    calendar = _locked(calendar)
    _check_date(date)
    kind = DayKind(kind)
    status = EntryStatus(status)
    name_vi, name_en, source = nfc(name_vi).strip(), nfc(name_en).strip(), nfc(source).strip()
    if not name_vi:
        raise DomainError("name_required", _("Give the name of the day (e.g. Tết Nguyên Đán)."))
    if not source:
        raise DomainError(
            "source_required", _("Give the legal source (notice or decision number).")
        )
    _enter_year(calendar, date.year, actor)
    existing = CalendarDay.objects.filter(calendar=calendar, date=date).first()
    values = {
        "kind": kind,
        "name_vi": name_vi,
        "name_en": name_en,
        "source": source,
        "status": status,
        "detail_vi": nfc(detail_vi).strip(),
        "detail_en": nfc(detail_en).strip(),
    }
    if existing and _snapshot(existing) == {k: str(v) for k, v in values.items()}:
        raise DomainError(
            "already_recorded",
            _("%(date)s is already recorded exactly like this."),
            {"date": f"{date:%d/%m/%Y}"},
        )
    base = compile_calendar(calendar_spec(calendar, without=date), cache=False).day_kind(date)
    if kind == DayKind.DAY_OFF and base in {"day_off", "weekly_rest"}:
        raise DomainError(
            "already_off",
            _("%(date)s is already a day without work; nothing to add."),
            {"date": f"{date:%d/%m/%Y}"},
        )
    if kind == DayKind.MAKE_UP_WORKING_DAY and base in {"working", "make_up"}:
        raise DomainError(
            "already_working",
            _("%(date)s is already a working day; a make-up day must be a day without work."),
            {"date": f"{date:%d/%m/%Y}"},
        )
    before = _snapshot(existing) if existing else None
    day, _created = CalendarDay.objects.update_or_create(
        calendar=calendar, date=date, defaults=values
    )
    _record(
        calendar,
        ChangeAction.CHANGED if existing else ChangeAction.ADDED,
        actor=actor,
        reason=reason,
        date=date,
        before=before,
        after=_snapshot(day),
    )
    return day


@transaction.atomic
def remove_calendar_day(
    calendar: WorkingCalendar, *, date: dt.date, actor: User | None = None, reason: str
) -> None:
    """Remove the entry of ``date`` (a reason is required; the history keeps what it was)."""
    calendar = _locked(calendar)
    if not nfc(reason).strip():
        raise DomainError("reason_required", _("Say why the entry is removed."))
    existing = CalendarDay.objects.filter(calendar=calendar, date=date).first()
    if existing is None:
        raise DomainError(
            "no_entry", _("There is no entry on %(date)s."), {"date": f"{date:%d/%m/%Y}"}
        )
    before = _snapshot(existing)
    existing.delete()
    _record(calendar, ChangeAction.REMOVED, actor=actor, reason=reason, date=date, before=before)


@transaction.atomic
def confirm_year(
    calendar: WorkingCalendar, *, year: int, note: str, actor: User | None = None
) -> CalendarYear:
    """Mark ``year``'s table final (the notice is out): its due dates stop being provisional."""
    calendar = _locked(calendar)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise domain_error(CalendarError("out_of_range", "year out of range"))
    if not nfc(note).strip():
        raise DomainError("source_required", _("Give the notice that fixes this year's days."))
    _enter_year(calendar, year, actor)
    entry = CalendarYear.objects.get(calendar=calendar, year=year)
    if not entry.provisional:
        raise DomainError(
            "already_confirmed", _("%(year)s is already confirmed."), {"year": str(year)}
        )
    entry.provisional = False
    entry.note = nfc(note).strip()
    entry.save(update_fields=["provisional", "note"])
    _record(
        calendar,
        ChangeAction.YEAR_ENTERED,
        actor=actor,
        reason=note,
        after={"year": year, "provisional": False},
    )
    return entry


type Periods = Sequence[Sequence[str]]


@transaction.atomic
def set_office_hours(
    calendar: WorkingCalendar,
    *,
    weekly_periods: Sequence[Periods] | None,
    reception_periods: Sequence[Periods] | None = None,
    cutoff: dt.time | None = None,
    actor: User | None = None,
    reason: str = "",
) -> WorkingCalendar:
    """Set the calendar's office hours (seven days of ["HH:MM", "HH:MM"] periods; None inherits)."""
    calendar = _locked(calendar)
    before = {
        "weekly_periods": calendar.weekly_periods,
        "reception_periods": calendar.reception_periods,
        "cutoff": calendar.cutoff.isoformat() if calendar.cutoff else None,
    }
    for value in (weekly_periods, reception_periods):
        if value is None:
            continue
        try:
            if len(value) != 7:
                raise ValueError
            week = tuple(
                tuple((dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in day)
                for day in value
            )
            CalendarSpec(weekly_periods=week)  # type: ignore[arg-type]
        except (ValueError, TypeError, CalendarError):
            raise DomainError(
                "invalid_hours",
                _("Office hours must be seven days of ordered, non-overlapping HH:MM periods."),
            ) from None
    calendar.weekly_periods = (
        [list(map(list, day)) for day in weekly_periods] if weekly_periods else None
    )
    calendar.reception_periods = (
        [list(map(list, day)) for day in reception_periods] if reception_periods else None
    )
    calendar.cutoff = cutoff
    calendar.save(update_fields=["weekly_periods", "reception_periods", "cutoff"])
    _record(
        calendar,
        ChangeAction.HOURS_CHANGED,
        actor=actor,
        reason=reason,
        before=before,
        after={
            "weekly_periods": calendar.weekly_periods,
            "reception_periods": calendar.reception_periods,
            "cutoff": cutoff.isoformat() if cutoff else None,
        },
    )
    calendar.refresh_from_db()
    return calendar


@transaction.atomic
def create_calendar(
    *, code: str, name: str, parent: WorkingCalendar | None = None, actor: User | None = None
) -> WorkingCalendar:
    """A new calendar (an office's), inheriting hours and days from ``parent`` (national)."""
    if WorkingCalendar.objects.filter(code=code).exists():
        raise DomainError(
            "calendar_exists", _("A calendar with code “%(code)s” exists."), {"code": code}
        )
    parent = parent or WorkingCalendar.objects.filter(code=NATIONAL_CODE).first()
    calendar = WorkingCalendar.objects.create(code=code, name=nfc(name), parent=parent)
    _record(calendar, ChangeAction.ADDED, actor=actor, reason="calendar created")
    return calendar
