"""Statistics rollups: sums of ``measures.contributions`` kept per day and per month (ADR 0013).

Four grains share one set of metric columns (``measures.METRICS``):

- ``DailyRollup``: day × competent agency × receiving office × procedure version × channel — the
  finest, for day-precise periods broken down by procedure, field or level;
- ``DailyAgencyRollup``: the same without the procedure — day-precise totals;
- ``MonthlyRollup`` / ``MonthlyAgencyRollup``: the same two by calendar month — what dashboards
  read for whole months (a province-year is a few thousand rows).

Flow columns count events on the day; stock columns hold +1/−1 deltas, so a stock at the end of a
day is the sum of its deltas up to that day. Agency and version ids are plain integers (no foreign
keys): rollups are derived data, rebuilt from the log (``motcua stats rebuild``) and checked
against it (``motcua stats verify``). ``RollupCursor`` remembers, per dossier, the last transition
applied and the values the rollups were keyed by, so each transition is applied exactly once.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RollupMetrics(models.Model):
    """The metric columns (see ``measures.FLOWS`` and ``measures.STOCKS``)."""

    period = models.DateField(_("day or month"))
    competent_id = models.IntegerField(_("competent agency"))
    receiving_id = models.IntegerField(_("receiving office"))
    channel = models.CharField(_("channel"), max_length=20)
    # Flows
    received = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    resolved_late_apology = models.IntegerField(default=0)
    resolved_seconds = models.BigIntegerField(default=0)
    #: Working minutes by the receiving office's calendar, reception → result, minus pauses.
    resolved_work_minutes = models.BigIntegerField(default=0)
    refused = models.IntegerField(default=0)
    refused_late = models.IntegerField(default=0)
    refused_intake = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    returned = models.IntegerField(default=0)
    apologies = models.IntegerField(default=0)
    supplements = models.IntegerField(default=0)
    nat_on_time = models.IntegerField(default=0)
    nat_late = models.IntegerField(default=0)
    # Stock deltas
    open = models.IntegerField(default=0)
    paused = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    nat_late_open = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.period} {self.competent_id}/{self.receiving_id} {self.channel}"


class DailyRollup(RollupMetrics):
    """Per day × competent agency × receiving office × procedure version × channel."""

    version_id = models.IntegerField(_("procedure version"))

    class Meta:
        verbose_name = _("daily rollup by procedure")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "competent_id", "receiving_id", "version_id", "channel"],
                name="rollup_daily_key",
            )
        ]


class DailyAgencyRollup(RollupMetrics):
    """Per day × competent agency × receiving office × channel."""

    class Meta:
        verbose_name = _("daily rollup by agency")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "competent_id", "receiving_id", "channel"],
                name="rollup_daily_agency_key",
            )
        ]


class MonthlyRollup(RollupMetrics):
    """Per month (first day) × competent agency × receiving office × procedure version × channel."""

    version_id = models.IntegerField(_("procedure version"))

    class Meta:
        verbose_name = _("monthly rollup by procedure")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "competent_id", "receiving_id", "version_id", "channel"],
                name="rollup_monthly_key",
            )
        ]


class MonthlyAgencyRollup(RollupMetrics):
    """Per month (first day) × competent agency × receiving office × channel."""

    class Meta:
        verbose_name = _("monthly rollup by agency")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "competent_id", "receiving_id", "channel"],
                name="rollup_monthly_agency_key",
            )
        ]


class RollupCursor(models.Model):
    """Per dossier: the last transition applied to the rollups and the key values used."""

    dossier_id = models.BigIntegerField(primary_key=True)
    seq = models.IntegerField(default=0)
    competent_id = models.IntegerField()
    receiving_id = models.IntegerField()
    version_id = models.IntegerField()
    channel = models.CharField(max_length=20)

    class Meta:
        verbose_name = _("rollup cursor")

    def __str__(self) -> str:
        return f"dossier {self.dossier_id} up to #{self.seq}"
