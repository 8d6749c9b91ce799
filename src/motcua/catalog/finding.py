"""Ways to find a procedure besides search: by life event and by the office that receives it.

**Life events** (sự kiện trong đời): a small curated mapping, kept as data.

Each event lists the procedures people usually need (by national code, shown when in force) and
searches that find the rest. Editing this table is how a province curates it; a missing code is
simply not shown. MotCua default (the national portal groups services by life event too; its list
is not published as data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Level, ProcedureOffer, ProcedureVersion
from motcua.catalog.selectors import versions_in_force
from motcua.organizations.models import Agency, AgencyLevel


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    title: str | Promise
    summary: str | Promise
    codes: tuple[str, ...]
    searches: tuple[str, ...]


LIFE_EVENTS: tuple[LifeEvent, ...] = (
    LifeEvent(
        "khai-sinh",
        _("A child is born"),
        _("Register the birth, the residence and the health insurance card of a newborn."),
        ("1.001193", "2.001023", "2.000986", "1.004884", "2.000635"),
        ("khai sinh",),
    ),
    LifeEvent(
        "ket-hon",
        _("Getting married"),
        _("Register a marriage, or get a certificate of marital status."),
        ("1.000894", "1.000593", "1.004746", "2.000806"),
        ("ket hon", "tinh trang hon nhan"),
    ),
    LifeEvent(
        "cu-tru",
        _("Moving house"),
        _("Register permanent or temporary residence, or remove a registration."),
        ("1.004222", "1.004194", "1.002755", "1.010028", "1.003197", "1.010038"),
        ("thuong tru", "tam tru"),
    ),
    LifeEvent(
        "kinh-doanh",
        _("Starting a business"),
        _("Register a household business, change it, pause it or close it."),
        ("1.001612", "2.000720", "1.001570", "1.001266", "2.000575"),
        ("ho kinh doanh", "doanh nghiep"),
    ),
    LifeEvent(
        "dat-dai-nha-o",
        _("Land and building"),
        _("Land use rights, building permits and housing."),
        ("1.013962", "1.013314"),
        ("dat dai", "giay phep xay dung", "nha o"),
    ),
    LifeEvent(
        "lai-xe",
        _("Driving"),
        _("Driving licences and vehicle registration."),
        (),
        ("giay phep lai xe", "dang ky xe"),
    ),
    LifeEvent(
        "giam-ho",
        _("Caring for someone"),
        _("Guardianship and adoption."),
        ("1.004837", "1.004845", "1.003179"),
        ("giam ho", "nuoi con nuoi"),
    ),
)
_BY_SLUG = {event.slug: event for event in LIFE_EVENTS}


def life_event(slug: str) -> LifeEvent | None:
    return _BY_SLUG.get(slug)


def event_procedures(event: LifeEvent, on: dt.date | None = None) -> list[ProcedureVersion]:
    """The event's procedures in force, in the curated order."""
    found = {
        v.procedure.code: v
        for v in versions_in_force(on)
        .filter(procedure__code__in=event.codes)
        .select_related("procedure", "field")
        .prefetch_related("channels")
    }
    return [found[code] for code in event.codes if code in found]


def procedures_at_office(office: Agency, on: dt.date) -> list[ProcedureVersion]:
    """Procedures in force that ``office`` receives: those offered there (or anywhere in the
    province, location-independent), plus — as the intake rule allows — procedures of the office's
    level that no office has been configured for yet (``catalog.offers``)."""
    offers = ProcedureOffer.objects.filter(
        Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    )
    offered_here = offers.filter(Q(office=office) | Q(location_independent=True)).values(
        "procedure_id"
    )
    level = Level.COMMUNE if office.level == AgencyLevel.COMMUNE else Level.PROVINCE
    unconfigured = versions_in_force(on, level=level).exclude(
        procedure_id__in=offers.values("procedure_id")
    )
    versions = versions_in_force(on).filter(
        Q(procedure_id__in=offered_here) | Q(pk__in=unconfigured.values("pk"))
    )
    return list(
        versions.select_related("procedure", "field")
        .prefetch_related("channels")
        .order_by("name_folded", "id")
    )
