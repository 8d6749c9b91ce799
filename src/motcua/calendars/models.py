"""Working calendars as data: office hours, decreed days off and make-up days, and their history.

The national calendar (code ``vn``) holds, per year entered by an administrator, every day off and
make-up working day with its legal source (the yearly notices of the Government Office / Ministry of
Home Affairs; domain notes §3–§4). Years not entered fall back to the statutory schedule computed by
``schedule_vn`` and are flagged *provisional*. An office calendar (e.g. a centre that also receives
on Saturday morning) inherits from its parent and may set its own hours and extra days.

Changes go through ``calendars.services`` only; each writes a ``CalendarChange`` row (append-only)
and renews ``WorkingCalendar.revision`` so compiled calendars are rebuilt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NATIONAL_CODE = "vn"


class WorkingCalendar(models.Model):
    """A working calendar: weekly office hours, cut-off, and days off / make-up days by date."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inherits from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    #: Seven lists (Monday..Sunday) of ["HH:MM", "HH:MM"] office periods; null = inherit.
    weekly_periods = models.JSONField(_("office hours"), null=True, blank=True)
    #: Hours in which the desk receives dossiers when they differ (e.g. Saturday morning); null =
    #: the office hours. Receiving on a Saturday does not make it a counting day (§2).
    reception_periods = models.JSONField(_("reception hours"), null=True, blank=True)
    cutoff = models.TimeField(
        _("cut-off time"),
        null=True,
        blank=True,
        help_text=_(
            "Receipts at or after this time count as next-day for same-day procedures "
            "and paper transfer (NĐ 61/2018 Art 18). Empty: inherit (15:00)."
        ),
    )
    #: A fresh random token on every change (compiled calendars are cached per token). Random, not
    #: a counter: a rolled-back change must never share a token with a later committed one.
    revision = models.CharField(_("revision"), max_length=32, default="", editable=False)

    class Meta:
        verbose_name = _("working calendar")
        verbose_name_plural = _("working calendars")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DayKind(models.TextChoices):
    """What an entry does to its date."""

    DAY_OFF = "day_off", _("Day off")
    MAKE_UP_WORKING_DAY = "make_up_working_day", _("Make-up working day")


class EntryStatus(models.TextChoices):
    """How sure we are of an entry (domain README: confidence tags)."""

    DECREED = "decreed", _("Decreed (notice read)")
    SECONDARY = "secondary", _("Reported (secondary source)")
    SUGGESTED = "suggested", _("Suggested (no notice yet)")


class CalendarYear(models.Model):
    """A year whose table of days off and make-up days an administrator has entered."""

    calendar = models.ForeignKey(
        WorkingCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The yearly notice is not out yet; due dates in this year may still move."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["calendar", "year"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "year"], name="calendar_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.calendar.code} {self.year}"


class CalendarDay(models.Model):
    """A day off or a make-up working day on one date, with its legal source."""

    calendar = models.ForeignKey(
        WorkingCalendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="days"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=30, choices=DayKind.choices)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    source = models.CharField(
        _("legal source"), max_length=200, help_text=_("Notice or decision, e.g. TB 9441/TB-BNV.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EntryStatus.choices, default=EntryStatus.SECONDARY
    )
    detail_vi = models.CharField(_("detail (Vietnamese)"), max_length=200, blank=True)
    detail_en = models.CharField(_("detail (English)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["calendar", "date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="calendar_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.get_kind_display()}: {self.name_vi}"


class ChangeAction(models.TextChoices):
    """What a calendar change did."""

    ADDED = "added", _("Added")
    CHANGED = "changed", _("Changed")
    REMOVED = "removed", _("Removed")
    YEAR_ENTERED = "year_entered", _("Year entered")
    HOURS_CHANGED = "hours_changed", _("Hours changed")


class CalendarChange(models.Model):
    """One change to a calendar (append-only history: who, when, what, why)."""

    calendar = models.ForeignKey(
        WorkingCalendar,
        verbose_name=_("calendar"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    action = models.CharField(_("action"), max_length=20, choices=ChangeAction.choices)
    date = models.DateField(_("date"), null=True, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("calendar change")
        verbose_name_plural = _("calendar changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.date or ''}"
