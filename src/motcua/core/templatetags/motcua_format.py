"""Formatting filters shared by the portal and the back office (``{% load motcua_format %}``)."""

from __future__ import annotations

from django import template
from django.utils import numberformat
from django.utils.formats import get_format

register = template.Library()


@register.filter
def money(amount: int | None) -> str:
    """An amount of money grouped by thousands in the active language: 7.000 / 7,000."""
    if amount is None:
        return ""
    return numberformat.format(
        amount,
        str(get_format("DECIMAL_SEPARATOR")),
        decimal_pos=0,
        grouping=3,
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )
