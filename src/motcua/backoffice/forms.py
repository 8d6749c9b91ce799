"""Back-office forms: they only parse input; rules are checked by the domain services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.calendars.models import DayKind, EntryStatus
from motcua.core.forms import StyledForm


class CalendarDayForm(StyledForm):
    """Record a day off or a make-up working day."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices, widget=forms.RadioSelect)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    source = forms.CharField(
        label=_("Legal source"), max_length=200, help_text=_("e.g. TB 9441/TB-BNV")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=EntryStatus.choices, initial=EntryStatus.DECREED
    )
    detail_vi = forms.CharField(label=_("Detail"), max_length=200, required=False)
    reason = forms.CharField(label=_("Reason for the change"), max_length=500, required=False)


class RemoveCalendarDayForm(StyledForm):
    """Remove the entry of a date (with a reason)."""

    date = forms.DateField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ConfirmYearForm(StyledForm):
    """Mark a year's table final once the yearly notice is out."""

    note = forms.CharField(label=_("Notice"), max_length=300, help_text=_("e.g. TB 9441/TB-BNV"))
