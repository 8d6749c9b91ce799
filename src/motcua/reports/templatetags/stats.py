"""Template filters for statistics: percentages and durations, "—" when there is no value."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.8734 → "87,3 %" (localised); None → "—"."""
    if value is None:
        return "—"
    return f"{number_format(value * 100, decimal_pos=digits)} %"


@register.filter
def days(value: float | None) -> str:
    """Average days with one decimal; None → "—"."""
    if value is None:
        return "—"
    return number_format(value, decimal_pos=1)


@register.filter
def ratio(value: float | None) -> str:
    """A 0–1 ratio for data attributes (dot decimal, 4 places); None → ""."""
    return "" if value is None else f"{value:.4f}"


@register.filter
def points(value: float | None) -> str:
    if value is None:
        return "—"
    return number_format(value, decimal_pos=2)
