"""Template filters for printed official forms (Vietnamese administrative date conventions)."""

from __future__ import annotations

import datetime as dt

from django import template

from motcua.documents import forms

register = template.Library()


@register.filter
def long_date(value: dt.date | dt.datetime | None) -> str:
    """``ngày 05 tháng 02 năm 2026``."""
    return forms.long_date(value)


@register.filter
def clock_time(value: dt.datetime | None) -> str:
    """``09 giờ 30 phút, ngày 02 tháng 3 năm 2026``."""
    return forms.clock_time(value)


@register.filter
def short_date(value: dt.date | dt.datetime | None) -> str:
    """``02/03/2026``."""
    return forms.short_date(value)


@register.filter
def short_datetime(value: dt.datetime | None) -> str:
    """``09:30 02/03/2026``."""
    return forms.short_datetime(value)
