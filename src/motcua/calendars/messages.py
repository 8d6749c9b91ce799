"""Translated messages for the legal-time engine's error codes (the engine speaks English)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import CalendarError
from motcua.core.errors import DomainError

_MESSAGES = {
    "naive_datetime": _(
        "The time has no time zone; give it with its offset, e.g. 2026-02-12T10:00+07:00."
    ),
    "out_of_range": _("The date is outside the supported calendar (1990–2100)."),
    "unknown_unit": _(
        "Unknown time-limit unit; use working_hours, working_days, calendar_days, months or "
        "same_day."
    ),
    "invalid_amount": _("The amount is not a number."),
    "negative_amount": _("The amount must not be negative."),
    "amount_too_large": _("The amount is too large (more than ten years)."),
    "fractional_amount": _("This unit or counting convention needs a whole number."),
    "invalid_option": _("An option has an unknown value."),
    "invalid_spec": _("The calendar's office hours are inconsistent."),
    "invalid_interval": _("The end of the interval is before its start."),
}


def domain_error(error: CalendarError) -> DomainError:
    """The engine error as a translated DomainError with the same code."""
    return DomainError(error.code, _MESSAGES.get(error.code, _("Invalid calendar request.")))
