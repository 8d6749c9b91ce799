"""Plain representations of due dates shared by the CLI, the API and the pages (no rules here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import translation

from motcua.calendars.engine import VN_TZ, DueDate

WEEKDAYS_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def iso(instant: dt.datetime) -> str:
    """ISO 8601 in Vietnam local time with its offset, to the minute: 2026-02-24T10:00:00+07:00."""
    return instant.astimezone(VN_TZ).replace(microsecond=0).isoformat()


def spoken(instant: dt.datetime, language: str | None = None) -> str:
    """'Thứ Ba 24/02/2026 10:00' (or 'Tuesday 24/02/2026 10:00')."""
    local = instant.astimezone(VN_TZ)
    names = WEEKDAYS_EN if (language or translation.get_language()) == "en" else WEEKDAYS_VI
    return f"{names[local.weekday()]} {local:%d/%m/%Y %H:%M}"


def due_date_dict(due: DueDate, *, calendar: str, language: str | None = None) -> dict[str, Any]:
    """The JSON shape of a due date (CLI --json and the API)."""
    language = language or translation.get_language() or "vi"
    return {
        "received_at": iso(due.received_at),
        "counting_starts_at": iso(due.counting_starts_at),
        "due_at": iso(due.due_at),
        "amount": str(due.amount.numerator if due.amount.denominator == 1 else float(due.amount)),
        "unit": due.unit.value,
        "calendar": calendar,
        "counting": due.options.counting.value,
        "cutoff_shifts_clock_start": due.options.cutoff_shifts_clock_start,
        "provisional_years": list(due.provisional_years),
        "explanation": due.render("en" if language == "en" else "vi"),
        "engine_version": due.engine_version,
    }
