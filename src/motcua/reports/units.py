"""The unit an average processing time is shown in (indices.md 2.2: "in the procedure's unit").

The rollups hold, per result, the wall-clock seconds (``resolved_seconds``) and the working minutes
by the receiving office's calendar (``resolved_work_minutes``), both net of completed supplement
pauses. A procedure's average is shown in the unit of its legal time limit:

| Time-limit unit (``catalog.TimeUnit``) | Average shown in | From |
| --- | --- | --- |
| working days, or none / no time limit | working days (``ngày làm việc``) | working minutes ÷ 480 |
| working hours, same day | working hours (``giờ làm việc``) | working minutes ÷ 60 |
| calendar days, months | days (``ngày``, calendar) | wall-clock seconds ÷ 86,400 |

480 is ``calendars.engine.DEFAULT_WORKING_DAY_MINUTES``: the engine's "working day" for the unit
working days (8 h; a calendar could set another length in its spec, but no stored calendar can).
"Same day" is shown in hours (the result is due within the working day); "months" in calendar days
(months differ in length); no unit: working days, as intake assumes (``ASSUMED_UNIT``). A figure
mixing procedures (an agency's total, a unit's row, a procedure whose versions or channels have
limits in different units) is shown in working days and says so. MotCua defaults, unconfirmed.

Where the unit comes from: the rollups are keyed by procedure version and dossier channel, and a
published version is immutable, so (version, channel) gives the time limit every dossier of that
key was received with — the catalogue's ``ProcedureChannel`` chosen by the rule intake applies
(``dossiers.services.intake._time_limit``: the channel's own limit, else the first published one;
a number without a unit means working days). The dossier's own ``time_limit_unit`` says the same
per dossier but is not in the rollups; reading it would scan the dossier table (what the rollups
avoid).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import DEFAULT_WORKING_DAY_MINUTES
from motcua.catalog.models import ProcedureChannel

#: Working minutes in one working day (the calendar engine's day for the unit working days).
WORKING_DAY_MINUTES: Final = DEFAULT_WORKING_DAY_MINUTES
SECONDS_PER_DAY: Final = 86_400


class AverageUnit(StrEnum):
    """The unit an average processing time is shown in."""

    WORKING_DAYS = "working_days"
    WORKING_HOURS = "working_hours"
    CALENDAR_DAYS = "calendar_days"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS: Final = {
    AverageUnit.WORKING_DAYS: _("working days"),
    AverageUnit.WORKING_HOURS: _("working hours"),
    AverageUnit.CALENDAR_DAYS: _("calendar days"),
}

#: Time-limit unit (``catalog.TimeUnit`` / ``Dossier.time_limit_unit``) → unit of the average.
_BY_LIMIT: Final = {
    "working_days": AverageUnit.WORKING_DAYS,
    "working_hours": AverageUnit.WORKING_HOURS,
    "same_day": AverageUnit.WORKING_HOURS,
    "calendar_days": AverageUnit.CALENDAR_DAYS,
    "months": AverageUnit.CALENDAR_DAYS,
}

#: Dossier channel (``dossiers.models.Channel``) → catalogue channel (``catalog.Channel``), as
#: intake maps them (``dossiers.services.intake._CATALOG_CHANNEL``).
_CATALOG_CHANNEL: Final = {
    "counter": "in_person",
    "post": "postal",
    "portal": "online",
    "national_portal": "online",
    "vneid": "online",
}


def unit_for_limit(limit_unit: str | None) -> AverageUnit:
    """The unit of the average for a time-limit unit (none or unknown: working days)."""
    return _BY_LIMIT.get(limit_unit or "", AverageUnit.WORKING_DAYS)


def average(unit: AverageUnit, *, resolved: int, work_minutes: int, seconds: int) -> float | None:
    """The average of ``resolved`` results in ``unit`` (None without results)."""
    if not resolved:
        return None
    if unit is AverageUnit.WORKING_DAYS:
        return work_minutes / resolved / WORKING_DAY_MINUTES
    if unit is AverageUnit.WORKING_HOURS:
        return work_minutes / resolved / 60
    return seconds / resolved / SECONDS_PER_DAY


def limit_units(keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], str | None]:
    """The time-limit unit of each (procedure version, dossier channel): the one intake gave the
    dossiers of that key (the channel's published limit, else the first published one, in catalogue
    order; a number without a unit is working days; no limit: None). One query."""
    wanted = set(keys)
    versions = {version for version, _channel in wanted}
    channels: dict[int, list[tuple[int, str, bool, str | None]]] = {}
    for version, channel, order, amount, unit in ProcedureChannel.objects.filter(
        version_id__in=versions
    ).values_list("version_id", "channel", "order", "amount", "unit"):
        channels.setdefault(version, []).append((order, channel, amount is not None, unit))
    result: dict[tuple[int, str], str | None] = {}
    for version, channel in wanted:
        catalog = _CATALOG_CHANNEL.get(channel, channel)
        rows = sorted(channels.get(version, []), key=lambda r: (r[1] != catalog, r[0]))
        found = next((unit for _o, _c, has, unit in rows if has and unit), None)
        if found is None and any(has for _o, _c, has, _u in rows):
            found = "working_days"  # intake's ASSUMED_UNIT for a number without a unit
        result[(version, channel)] = found
    return result


def unit_of_procedure(units: Iterable[AverageUnit]) -> tuple[AverageUnit, bool]:
    """The unit for a procedure whose keys have these units, and whether they were mixed (then
    working days)."""
    distinct = set(units)
    if len(distinct) == 1:
        return distinct.pop(), False
    return AverageUnit.WORKING_DAYS, len(distinct) > 1
