"""The procedure catalogue: administrative procedures (TTHC) as versioned, effective-dated data.

A ``Procedure`` is the stable identity (the national code, e.g. ``1.001193``); what the procedure
*says* — name, field, levels, channels with time limits and fees, required documents, legal basis,
results, the internal process — lives in a ``ProcedureVersion``. A dossier pins the version it was
received under, so a published version never changes: the services in ``catalog.services`` refuse
to edit it, and a change of law is a new version (``create_new_version`` → edit the draft →
``publish_version``, which closes the previous version's validity). See docs/catalog.md.

Known limits: codes are the national TTHC codes (``d.dddddd``, forms-and-codes.md §8); provincial
instance codes and online-service codes are not modelled yet. Fees and time limits are the national
values; provinces may set their own (HĐND resolutions).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.calendars.engine import Unit
from motcua.organizations.models import Role


class Level(models.TextChoices):
    """Level that carries out a procedure (cấp thực hiện)."""

    PROVINCE = "province", _("Provincial level")
    COMMUNE = "commune", _("Commune level")
    MINISTRY = "ministry", _("Ministry level")
    OTHER = "other", _("Other agency")


class OnlineLevel(models.TextChoices):
    """How far the procedure can be done online.

    Full / partial / information only follow NĐ 42/2022 (unconfirmed, domain README); levels 1–4
    are the legacy NĐ 43/2011 scale (legal text), kept so history imports keep their meaning.
    """

    FULL = "full", _("Full online service")
    PARTIAL = "partial", _("Partial online service")
    INFORMATION = "information", _("Information only")
    LEVEL_1 = "level_1", _("Level 1 (legacy)")
    LEVEL_2 = "level_2", _("Level 2 (legacy)")
    LEVEL_3 = "level_3", _("Level 3 (legacy)")
    LEVEL_4 = "level_4", _("Level 4 (legacy)")


class VersionStatus(models.TextChoices):
    """Life of a procedure version: edited as a draft, published (immutable), retired."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Channel(models.TextChoices):
    """Submission channel (hình thức nộp); national ``KenhThucHien`` 1 / 2 / 3."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("Public postal service")


class TimeUnit(models.TextChoices):
    """Unit of a legal time limit: the vocabulary of ``calendars.engine.Unit``."""

    WORKING_HOURS = Unit.WORKING_HOURS.value, _("Working hours")
    WORKING_DAYS = Unit.WORKING_DAYS.value, _("Working days")
    CALENDAR_DAYS = Unit.CALENDAR_DAYS.value, _("Calendar days")
    MONTHS = Unit.MONTHS.value, _("Months")
    SAME_DAY = Unit.SAME_DAY.value, _("Same day")


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. "Hộ tịch"; effective-dated like all master data."""

    name = models.CharField(_("name"), max_length=300)
    code = models.CharField(
        _("code"),
        max_length=40,
        blank=True,
        help_text=_("Official field code when known, e.g. G03-GD10 (TT 01/2018 Art 20)."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("field of procedures")
        verbose_name_plural = _("fields of procedures")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], condition=Q(valid_to__isnull=True), name="field_open_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="field_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Procedure(models.Model):
    """An administrative procedure's stable identity: its national code (mã TTHC)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(models.Model):
    """One version of a procedure's content, valid from ``valid_from`` to ``valid_to`` (inclusive).

    Written only by ``catalog.services``; immutable once published. ``name_folded`` and
    ``search_text`` are derived (``core.text.fold``) for accent-insensitive search and sorting;
    ``content_hash`` fingerprints the content so an import can tell "unchanged" cheaply.
    """

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    name = models.TextField(_("name"))
    field = models.ForeignKey(
        Field, verbose_name=_("field"), on_delete=models.PROTECT, related_name="versions"
    )
    levels = models.JSONField(
        _("levels"), default=list, help_text=_("Levels that carry out the procedure.")
    )
    procedure_type = models.CharField(_("procedure type"), max_length=200, blank=True)
    announcing_decision = models.CharField(_("announcing decision"), max_length=200, blank=True)
    applicants = models.JSONField(_("applicants"), default=list, blank=True)
    competent_authority = models.TextField(_("competent authority"), blank=True)
    implementing_agency = models.TextField(_("implementing agency"), blank=True)
    coordinating_agency = models.TextField(_("coordinating agency"), blank=True)
    delegated_agency = models.TextField(_("delegated agency"), blank=True)
    receiving_place = models.TextField(_("where to submit"), blank=True)
    steps = models.TextField(_("steps"), blank=True)
    conditions = models.TextField(_("requirements and conditions"), blank=True)
    legal_basis = models.JSONField(
        _("legal basis"), default=list, blank=True, help_text=_("List of {title, number}.")
    )
    results = models.JSONField(
        _("results"), default=list, blank=True, help_text=_("List of {name, code}.")
    )
    related_procedures_text = models.TextField(_("related procedures"), blank=True)
    # NULL = not known (the national data does not publish it), kept apart from any level.
    online_level = models.CharField(  # noqa: DJ001
        _("online service level"),
        max_length=20,
        choices=OnlineLevel.choices,
        null=True,
        blank=True,
        help_text=_("Empty: not known (the national data does not publish it)."),
    )
    source_list = models.CharField(_("source list"), max_length=300, blank=True)
    source_url = models.URLField(_("source page"), max_length=500, blank=True)

    name_folded = models.TextField(_("name (folded)"), editable=False, default="")
    search_text = models.TextField(_("search text"), editable=False, default="")
    content_hash = models.CharField(_("content fingerprint"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure__code", "-version"]
        indexes = [
            models.Index(fields=["status", "valid_from"], name="catalog_version_in_force"),
            models.Index(fields=["name_folded"], name="catalog_version_name_folded"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "version"], name="catalog_version_number_unique"
            ),
            # One draft at a time per procedure, and one open-ended published version.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="draft"),
                name="catalog_one_draft_per_procedure",
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="published", valid_to__isnull=True),
                name="catalog_one_open_published_version",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="catalog_version_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(valid_from__isnull=False),
                name="catalog_published_version_has_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version} – {self.name}"

    @property
    def is_editable(self) -> bool:
        """Only drafts may change; a published version may be pinned by dossiers."""
        return self.status == VersionStatus.DRAFT


class ProcedureChannel(models.Model):
    """A way to submit (in person / online / post) with its legal time limit and fee."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="channels",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    amount = models.DecimalField(
        _("time limit"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # NULL = the source gives no unit (e.g. khai sinh: "1"), which is not "same day" or any unit.
    unit = models.CharField(  # noqa: DJ001
        _("time-limit unit"),
        max_length=20,
        choices=TimeUnit.choices,
        null=True,
        blank=True,
        help_text=_("Empty: the source gives no unit."),
    )
    time_limit_text = models.TextField(
        _("time limit in words"), blank=True, help_text=_("When the limit is not a number.")
    )
    fee_text = models.TextField(_("fee as published"), blank=True)
    fee_amount = models.BigIntegerField(_("fee amount"), null=True, blank=True)
    fee_currency = models.CharField(_("fee currency"), max_length=3, blank=True)
    fee_note = models.TextField(_("fee details"), blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("submission channel")
        verbose_name_plural = _("submission channels")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return str(self.get_channel_display())


class DocumentRequirement(models.Model):
    """A document of the dossier (thành phần hồ sơ), in its group or case, with quantities."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    group_order = models.PositiveSmallIntegerField(_("group order"), default=0)
    group = models.TextField(_("group or case"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.TextField(_("name"))
    originals = models.PositiveSmallIntegerField(_("originals"), null=True, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), null=True, blank=True)
    has_template_file = models.BooleanField(
        _("has a form file"),
        default=False,
        help_text=_("The published name ends with an attached form's file name."),
    )

    class Meta:
        verbose_name = _("document requirement")
        verbose_name_plural = _("document requirements")
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.name[:80]


class ProcessStep(models.Model):
    """One step of the internal process (quy trình nội bộ, TT 01/2018 Art 8) with its budget.

    Steps with the same ``parallel_group`` run at the same time; the critical path is the sum, over
    the groups in order, of the longest budget in each group (calendar-and-deadlines.md §8).
    """

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="process_steps",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    parallel_group = models.PositiveSmallIntegerField(
        _("parallel group"),
        null=True,
        blank=True,
        help_text=_("Steps with the same number run in parallel; empty: a step of its own."),
    )
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    agency = models.CharField(
        _("agency"),
        max_length=300,
        blank=True,
        help_text=_("Kind and level of agency, e.g. 'UBND cấp xã', 'Sở Tư pháp'."),
    )
    budget_amount = models.DecimalField(_("time budget"), max_digits=8, decimal_places=2)
    budget_unit = models.CharField(_("time-budget unit"), max_length=20, choices=TimeUnit.choices)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="catalog_step_order_unique"),
            models.CheckConstraint(
                condition=Q(budget_amount__gte=0), name="catalog_step_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ProcedureOffer(models.Model):
    """Where a procedure is received, and for which competent agency, from when.

    NĐ 118/2025 (secondary source): provincial and commune centres receive the procedures of the
    agencies assigned to them; a ``location_independent`` offer (không phụ thuộc địa giới hành
    chính) lets any one-stop office of the province receive it for that agency. A procedure with no
    offer at all is not restricted (the province has not configured it yet).
    """

    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="offers"
    )
    office = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("receiving office"),
        on_delete=models.PROTECT,
        related_name="procedure_offers",
    )
    competent_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("competent agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    location_independent = models.BooleanField(
        _("received anywhere in the province"), default=False
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("where the procedure is received")
        verbose_name_plural = _("where procedures are received")
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "office", "competent_agency", "valid_from"],
                name="procedure_offer_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure} @ {self.office}"


class ProcedureForm(models.Model):
    """The electronic application form (tờ khai điện tử) of one procedure version, as JSON Schema.

    Optional: without it the portal uses the form shipped for the procedure code, else the generic
    form (``catalog.forms``). Written through ``catalog.forms.save_version_form`` (validated).
    """

    version = models.OneToOneField(
        ProcedureVersion,
        verbose_name=_("version"),
        on_delete=models.CASCADE,
        related_name="electronic_form",
    )
    schema = models.JSONField(_("form schema (JSON Schema)"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("electronic form")
        verbose_name_plural = _("electronic forms")

    def __str__(self) -> str:
        return f"{self.version}"
