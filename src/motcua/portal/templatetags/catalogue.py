"""Template filters that render catalogue values in plain language (``catalog.presenters``)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from motcua.catalog import presenters
from motcua.catalog.models import Level, OnlineLevel, ProcedureChannel

register = template.Library()


@register.filter
def time_limit(channel: ProcedureChannel) -> str:
    """A channel's time limit: "5 ngày làm việc"."""
    return presenters.channel_time_limit(channel)


@register.filter
def summary_time_limit(channels: Iterable[ProcedureChannel]) -> str:
    """A procedure's time limit for a list (the in-person channel's)."""
    return presenters.summary_time_limit(channels)


@register.filter
def fee(channel: ProcedureChannel) -> str:
    """A channel's fee: "Miễn phí", "150.000 đồng"."""
    return presenters.fee_text(channel)


@register.filter
def level_labels(levels: Iterable[str]) -> str:
    """Level values as their labels, comma-separated."""
    return ", ".join(str(Level(level).label) for level in levels if level in Level.values)


@register.filter
def online_level_label(value: str | None) -> str:
    """The online service level's label ("" when unknown)."""
    return str(OnlineLevel(value).label) if value in OnlineLevel.values else ""


@register.filter
def has_online_channel(channels: Iterable[ProcedureChannel]) -> bool:
    """Whether the procedure can be submitted online."""
    return any(channel.channel == "online" for channel in channels)
