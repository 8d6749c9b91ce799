"""Organisations: administrative units, agencies (with official codes and validity dates) and staff.

Every row is a *version* valid from ``valid_from`` to ``valid_to`` (inclusive; empty = still valid).
Nothing is renamed or deleted in place: a restructuring closes one version and opens its successor
(restructuring.md §6.1). Codes are stored as published, in both official forms, never derived from
each other (forms-and-codes.md §7.1).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataSource(models.TextChoices):
    """Where a master-data row came from; demo rows are never official."""

    OFFICIAL = "official", _("Official list")
    IMPORTED = "imported", _("Imported by an administrator")
    DEMO = "demo", _("Demo data (not official)")


class DivisionType(models.TextChoices):
    """Kinds of administrative unit (đơn vị hành chính) after and before 01/07/2025."""

    PROVINCE = "province", _("Province (tỉnh)")
    CITY = "city", _("Centrally-run city (thành phố trực thuộc trung ương)")
    DISTRICT = "district", _("District (huyện, legacy until 30/06/2025)")
    TOWNSHIP = "township", _("Township (thị trấn, legacy until 30/06/2025)")
    COMMUNE = "commune", _("Commune (xã)")
    WARD = "ward", _("Ward (phường)")
    SPECIAL_ZONE = "special_zone", _("Special zone (đặc khu)")


class AdministrativeUnit(models.Model):
    """A territory with its official code (mã đơn vị hành chính), e.g. '31078' Đặc khu Phú Quốc."""

    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    division_type = models.CharField(_("type"), max_length=20, choices=DivisionType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    data_source = models.CharField(
        _("source"), max_length=20, choices=DataSource.choices, default=DataSource.OFFICIAL
    )

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_version_unique"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class SuccessionKind(models.TextChoices):
    """How a unit became its successor (the official conversion table's wording, classified)."""

    MERGE = "merge", _("Merged whole (nhập toàn bộ)")
    PARTIAL = "partial", _("Merged in part (nhập một phần)")
    UNCHANGED = "unchanged", _("Kept as is (giữ nguyên)")
    RENAME = "rename", _("Renamed (đổi tên)")
    TYPE_CHANGE = "type_change", _("Type changed (đổi loại hình)")
    LEVEL_CHANGE = "level_change", _("Level changed (e.g. district into special zone)")
    OTHER = "other", _("Other arrangement")


class UnitSuccession(models.Model):
    """One line of an official conversion table: ``predecessor`` went (wholly or partly) into
    ``successor`` on ``effective_date``. Many-to-many: a merged commune has several predecessors,
    a split one several successors."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_out",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_in",
    )
    effective_date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=20, choices=SuccessionKind.choices)
    note = models.CharField(_("official wording"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"], name="unit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class AgencyLevel(models.TextChoices):
    """Administrative level an agency belongs to."""

    MINISTRY = "ministry", _("Ministry")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District (legacy)")
    COMMUNE = "commune", _("Commune")


class AgencyKind(models.TextChoices):
    """What an agency is; one-stop kinds receive dossiers, competent kinds decide them."""

    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee (UBND)")
    OFFICE = "office", _("Office of the People's Committee")
    DEPARTMENT = "department", _("Department (sở)")
    DIVISION = "division", _("Division (phòng)")
    SERVICE_CENTRE = "service_centre", _("Public Administrative Service Centre")
    BRANCH = "branch", _("Service centre branch")
    RECEPTION_POINT = "reception_point", _("Reception point")
    VERTICAL_AGENCY = "vertical_agency", _("Vertical central agency")

    @classmethod
    def one_stop(cls) -> frozenset[AgencyKind]:
        """Kinds that receive dossiers and return results (Bộ phận Một cửa)."""
        return frozenset({cls.SERVICE_CENTRE, cls.BRANCH, cls.RECEPTION_POINT})


class Agency(models.Model):
    """An agency or one-stop unit, one version of it, with its official identifiers."""

    code = models.CharField(
        _("code (QCVN 102)"),
        max_length=40,
        help_text=_("Receiving-unit code used in dossier codes, e.g. 000.00.00.H56."),
    )
    sharing_code = models.CharField(
        _("code (QĐ 20/2020)"),
        max_length=35,
        blank=True,
        help_text=_("Electronic identifier for data sharing, e.g. H55.242."),
    )
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    administrative_unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("administrative unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    calendar = models.ForeignKey(
        "calendars.WorkingCalendar",
        verbose_name=_("working calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("Empty: the parent agency's calendar, finally the national one."),
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    data_source = models.CharField(
        _("source"), max_length=20, choices=DataSource.choices, default=DataSource.OFFICIAL
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], name="agency_code_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agency_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_one_stop(self) -> bool:
        """Whether this unit receives dossiers and returns results."""
        return self.kind in AgencyKind.one_stop()


class Role(models.TextChoices):
    """What a civil servant does in MotCua (domain README, Users)."""

    RECEPTION_OFFICER = "reception_officer", _("One-stop officer")
    HANDLER = "handler", _("Handler")
    DIVISION_LEADER = "division_leader", _("Division leader")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    CLERK = "clerk", _("Clerk")
    CENTRE_HEAD = "centre_head", _("Centre head")
    PROVINCE_SUPERVISOR = "province_supervisor", _("Province supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")


class StaffAssignment(models.Model):
    """A civil servant's role at one agency for a period (users move between units)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff assignment")
        verbose_name_plural = _("staff assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role", "valid_from"], name="assignment_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class AgencySuccession(models.Model):
    """An agency version that went into another on a date (merge, split, rename, move, abolish)."""

    predecessor = models.ForeignKey(
        Agency,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions_out",
    )
    successor = models.ForeignKey(
        Agency,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="successions_in",
    )
    effective_date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=20)
    restructuring = models.ForeignKey(
        "organizations.Restructuring",
        verbose_name=_("restructuring"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successions",
    )

    class Meta:
        verbose_name = _("agency succession")
        verbose_name_plural = _("agency successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"],
                name="agency_succession_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class RestructuringKind(models.TextChoices):
    """What a restructuring does (restructuring.md §6.2)."""

    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    RENAME = "rename", _("Rename or re-code")
    MOVE = "move", _("Move under another parent")
    ABOLISH = "abolish", _("Abolish with transfer")


class RestructuringStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPLIED = "applied", _("Applied")


class Restructuring(models.Model):
    """A planned or applied change of the organisation (with its legal basis and audit trail).

    ``plan`` lists, per closed agency, its successor and what becomes of it; applying it closes the
    old versions the day before ``effective_date``, opens the new ones, records the successions,
    moves staff and (through the dossier layer) hands open dossiers over — never renumbering them.
    """

    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=RestructuringKind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    plan = models.JSONField(_("plan"), default=dict)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RestructuringStatus.choices,
        default=RestructuringStatus.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prepared by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    report = models.JSONField(_("what was done"), default=dict, blank=True)

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-effective_date", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_date:%d/%m/%Y})"
