"""Plain-language renderings of catalogue values, in the active language ("5 ngày làm việc").

Shared by the portal and the API so a time limit or a fee reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from motcua.catalog.data import canonical_amount
from motcua.catalog.models import Channel, ProcedureChannel, TimeUnit
from motcua.core.text import fold


def _number(amount: Decimal | int) -> str:
    """A number in the active language's notation, grouped by thousands: 150.000 / 150,000; 0,5.

    Django's Vietnamese formats set no NUMBER_GROUPING, so the grouping is asked for here.
    """
    value = canonical_amount(Decimal(amount))
    places = max(0, -int(value.as_tuple().exponent))
    return numberformat.format(
        value,
        str(get_format("DECIMAL_SEPARATOR")),
        decimal_pos=places,
        grouping=3,
        thousand_sep=str(get_format("THOUSAND_SEPARATOR")),
        force_grouping=True,
    )


def _count(amount: Decimal) -> int:
    """The count that chooses a plural form (English: 1 day, 2 days, 0.5 days)."""
    value = Decimal(amount)
    return int(value) if value == value.to_integral_value() else 2


def time_limit_text(amount: Decimal | None, unit: str | None, text: str = "") -> str:
    """A legal time limit as people say it: "5 ngày làm việc", "Trong ngày", or the words."""
    if unit == TimeUnit.SAME_DAY:
        return _("Within the day")
    if amount is not None and unit:
        shown, count = _number(amount), _count(amount)
        if unit == TimeUnit.WORKING_DAYS:
            return ngettext("%(n)s working day", "%(n)s working days", count) % {"n": shown}
        if unit == TimeUnit.WORKING_HOURS:
            return ngettext("%(n)s working hour", "%(n)s working hours", count) % {"n": shown}
        if unit == TimeUnit.CALENDAR_DAYS:
            return ngettext("%(n)s day", "%(n)s days", count) % {"n": shown}
        if unit == TimeUnit.MONTHS:
            return ngettext("%(n)s month", "%(n)s months", count) % {"n": shown}
    if amount is not None:
        return _("%(n)s (unit not stated)") % {"n": _number(amount)}
    if text:
        return text
    return _("Not stated")


def channel_time_limit(channel: ProcedureChannel) -> str:
    """The time limit of one submission channel in words."""
    return time_limit_text(channel.amount, channel.unit, channel.time_limit_text)


def fee_text(channel: ProcedureChannel) -> str:
    """The fee of a channel: "Miễn phí", "150.000 đồng", "10 USD", or as published."""
    if channel.fee_amount is not None:
        amount = _number(channel.fee_amount)
        if channel.fee_currency in ("", "VND"):
            return _("%(amount)s VND") % {"amount": amount}
        return f"{amount} {channel.fee_currency}"
    if fold(channel.fee_text) == "mien phi":
        return _("Free of charge")
    # "VNĐ" alone is a portal fault (a currency with no amount): say nothing rather than that.
    if channel.fee_text and fold(channel.fee_text) not in {"vnd", "viet nam dong"}:
        return channel.fee_text
    return _("Not stated")


def main_channel(channels: Iterable[ProcedureChannel]) -> ProcedureChannel | None:
    """The channel whose time limit summarises a procedure: in person first, else the first."""
    listed = list(channels)
    for channel in listed:
        if channel.channel == Channel.IN_PERSON:
            return channel
    return listed[0] if listed else None


def summary_time_limit(channels: Iterable[ProcedureChannel]) -> str:
    """A procedure's time limit in a list: the main channel's."""
    channel = main_channel(channels)
    return channel_time_limit(channel) if channel is not None else _("Not stated")
