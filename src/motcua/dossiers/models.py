"""Dossiers (hồ sơ), their append-only history, pauses, code counters and idempotency records.

``Dossier.status`` and the ``due_*`` columns are caches of the transition log
(``DossierTransition``, append-only); only ``dossiers.services`` writes them, inside the same
transaction as the log row. National sync fields are recorded from the start (forms-and-codes.md
§10), never reconstructed later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.workflow import Action, ClockEffect, Status


class Channel(models.TextChoices):
    """How the dossier reached us; national ``KenhThucHien`` in ``NATIONAL_CHANNEL``."""

    COUNTER = "counter", _("At the desk")
    POST = "post", _("By post")
    PORTAL = "portal", _("Online, provincial portal")
    NATIONAL_PORTAL = "national_portal", _("Online, National Public Service Portal")
    VNEID = "vneid", _("VNeID application")


#: KenhThucHien: 1 in person, 2 online, 3 post (forms-and-codes.md §10). VNeID's value is unknown
#: (gaps.md): sent as online (2), MotCua default.
NATIONAL_CHANNEL = {
    Channel.COUNTER: 1,
    Channel.POST: 3,
    Channel.PORTAL: 2,
    Channel.NATIONAL_PORTAL: 2,
    Channel.VNEID: 2,
}


class ApplicantType(models.TextChoices):
    """LoaiDoiTuong: 1 citizen, 2 enterprise, 3 state agency, 4 other organisation."""

    CITIZEN = "citizen", _("Citizen")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("State agency")
    ORGANISATION = "organisation", _("Other organisation")


class ResultDelivery(models.TextChoices):
    """Where the applicant collects the result."""

    COUNTER = "counter", _("At the desk")
    POST = "post", _("By post")
    ONLINE = "online", _("Online (electronic result)")


class Dossier(models.Model):
    """An applicant's request under one procedure version, from submission to returned result."""

    code = models.CharField(
        _("dossier code"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Given at reception: <receiving unit>-YYMMDD-NNNN (TT 01/2018 Art 19)."),
    )
    submission_ref = models.CharField(
        _("submission reference"), max_length=40, unique=True, null=True, blank=True
    )
    external_code = models.CharField(_("national portal code"), max_length=60, blank=True)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name=_("procedure version"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    receiving_office = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("receiving office"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        db_index=False,  # led by an index in Meta.indexes
    )
    competent_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("competent agency"),
        on_delete=models.PROTECT,
        related_name="competent_dossiers",
        db_index=False,  # led by an index in Meta.indexes
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    # Applicant (chủ hồ sơ) and the person who submitted (may be an authorised representative).
    applicant_type = models.CharField(
        _("applicant type"),
        max_length=20,
        choices=ApplicantType.choices,
        default=ApplicantType.CITIZEN,
    )
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    representative_name = models.CharField(_("submitted by"), max_length=200, blank=True)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        db_index=False,  # led by an index in Meta.indexes
    )
    subject = models.TextField(_("request"), blank=True)
    sets_count = models.PositiveSmallIntegerField(_("number of sets"), default=1)
    result_delivery = models.CharField(
        _("result delivery"),
        max_length=20,
        choices=ResultDelivery.choices,
        default=ResultDelivery.COUNTER,
    )
    # Cache of the transition log.
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    version = models.PositiveIntegerField(_("version"), default=0)
    pre_intake_incomplete = models.BooleanField(
        _("asked to complete before reception"), default=False
    )
    time_limit_amount = models.DecimalField(
        _("time limit"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(_("time-limit unit"), max_length=20, blank=True)
    time_limit_unit_assumed = models.BooleanField(
        _("unit assumed"),
        default=False,
        help_text=_("The catalogue gives a number without a unit; working days were assumed."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    counting_started_at = models.DateTimeField(_("counting started at"), null=True, blank=True)
    due_original = models.DateTimeField(_("original appointment"), null=True, blank=True)
    due_legal = models.DateTimeField(_("legal due date"), null=True, blank=True)
    due_current = models.DateTimeField(_("appointment"), null=True, blank=True)
    due_explanation = models.JSONField(_("how the due date was reached"), default=list, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(_("supplement requests"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions"), default=0)
    transferred_at = models.DateTimeField(_("transferred at"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_dossiers",
    )
    resolved_at = models.DateTimeField(_("result issued at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    result_count = models.PositiveSmallIntegerField(_("results issued"), default=0)
    # National sync flags (forms-and-codes.md §10).
    paid_online = models.BooleanField(_("paid online"), default=False)
    has_digitised_components = models.BooleanField(_("has digitised components"), default=False)
    vneid_authenticated = models.BooleanField(_("account verified with VNeID"), default=False)
    #: Set once, by the first consultation (T21): only such dossiers have ``ConsultationTask`` rows,
    #: so scope checks look for tasks only there (and a partial index keeps the lists fast).
    consulted = models.BooleanField(_("sent for consultation"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        # No index is a prefix of another: (receiving office, status) and (competent agency,
        # status) are served by the queue indexes below, which start with them; the three
        # foreign keys among them have no index of their own (db_index=False). Every index costs
        # each reception a write and each dossier its bytes.
        indexes = [
            models.Index(fields=["status", "due_current"], name="dossier_status_due"),
            models.Index(fields=["applicant_user", "status"], name="dossier_applicant_status"),
            # Back-office inbox (dossiers.inbox): covering indexes for the queue counts and the
            # lists sorted by appointment, and the applicant look-ups at the desk.
            models.Index(
                fields=[
                    "receiving_office",
                    "status",
                    "due_current",
                    "counting_started_at",
                    "pre_intake_incomplete",
                    "handler",
                ],
                name="dossier_office_queue",
            ),
            models.Index(
                fields=[
                    "competent_agency",
                    "status",
                    "due_current",
                    "counting_started_at",
                    "handler",
                ],
                name="dossier_agency_queue",
            ),
            models.Index(fields=["applicant_phone"], name="dossier_applicant_phone"),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            # The few consulted dossiers: the second arm of the scope filter (policy).
            models.Index(
                fields=["id"], condition=models.Q(consulted=True), name="dossier_consulted"
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.submission_ref or f"#{self.pk}"


class DossierTransition(models.Model):
    """One step of a dossier's history (append-only): who did what, when, why, and the clock."""

    # No index of its own: ``transition_seq_unique`` (dossier, seq) starts with it and serves
    # every lookup by dossier (one index less to write per transition: ~18 B a dossier).
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="transitions",
        db_index=False,
    )
    seq = models.PositiveIntegerField(_("number"))
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    from_status = models.CharField(_("from"), max_length=30, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=Status.choices)
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("as"), max_length=30)
    actor_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("at agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    clock_effect = models.CharField(_("clock"), max_length=20, choices=ClockEffect.choices)
    due_before = models.DateTimeField(_("appointment before"), null=True, blank=True)
    due_after = models.DateTimeField(_("appointment after"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier history entry")
        verbose_name_plural = _("dossier history")
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="transition_seq_unique")
        ]
        indexes = [
            # The TT 01/2018 evaluation (index 3) asks of every online dossier whether it was
            # asked to complete before reception: rare, so a partial index of those rows answers
            # from a few pages instead of reading each dossier's history (10M: 14.6 s → see docs).
            models.Index(
                fields=["dossier"],
                condition=models.Q(action="request_completion"),
                name="transition_completion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.seq} {self.action}"


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", _("Waiting for supplementary documents")
    PAYMENT = "payment", _("Waiting for payment")


class DossierPause(models.Model):
    """An interval during which the applicant held the dossier (kept for the 766 measure)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=20, choices=PauseKind.choices)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("to"), null=True, blank=True)
    clock_paused = models.BooleanField(_("the legal clock stopped"), default=True)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["dossier", "started_at"]

    def __str__(self) -> str:
        return f"{self.dossier} {self.kind} {self.started_at:%d/%m/%Y %H:%M}"


class CodeCounter(models.Model):
    """The last dossier number given by a receiving unit on a local date (gap-free, per unit)."""

    unit_code = models.CharField(max_length=40)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit_code", "day"], name="code_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.day:%y%m%d}: {self.last}"


class IdempotencyRecord(models.Model):
    """A create request already answered: the same key and client get the same dossier back."""

    client = models.CharField(max_length=150)
    key = models.CharField(max_length=200)
    fingerprint = models.CharField(max_length=64)
    #: Empty only inside the creating transaction (the key is claimed first, so a concurrent
    #: request with the same key waits on the unique index instead of creating a twin).
    dossier = models.ForeignKey(
        Dossier, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_unique")]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"


class DossierStep(models.Model):
    """One step of the internal process for this dossier, with its own budget and due instant.

    Instantiated at reception from the pinned procedure version's process (TT 01/2018 Art 8);
    steps sharing ``group`` run in parallel. A step's due is its start plus its budget, never later
    than the dossier's legal due (calendar-and-deadlines.md §8); a late step is flagged on the
    control slip but does not move the dossier's appointment.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    group = models.PositiveSmallIntegerField(_("group"))
    name = models.CharField(_("name"), max_length=300)
    role = models.CharField(_("role"), max_length=30)
    agency_text = models.CharField(_("agency"), max_length=300, blank=True)
    budget_amount = models.DecimalField(_("time budget"), max_digits=8, decimal_places=2)
    budget_unit = models.CharField(_("time-budget unit"), max_length=20)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    late_minutes = models.PositiveIntegerField(
        _("late by (working minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["dossier", "order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossier_step_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} {self.order}. {self.name}"


class ConsultationTask(models.Model):
    """What one agency is asked to give for a dossier — its opinion or its part — and its answer
    (T21, NĐ 61/2018 Art 19.5–19.7: the lead agency sends the content and a deadline; a late
    answer is reported to the head of the one-stop office).

    Created with the consultation's history row (``request_seq``), in the same transaction; the
    answer is written once, with its own history row (``answer_seq``). ``late_notified_at`` records
    the one automatic notice sent when the deadline passed unanswered.
    """

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="consultations"
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("consulted agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    request_seq = models.PositiveIntegerField(_("asked in history entry"))
    task = models.TextField(_("task or question"))
    deadline = models.DateTimeField(_("answer by"))
    requested_at = models.DateTimeField(_("asked at"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requesting_agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("asked by agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)
    answer_seq = models.PositiveIntegerField(_("answered in history entry"), null=True, blank=True)
    attachment_ids = models.JSONField(_("files of the answer"), default=list, blank=True)
    late_notified_at = models.DateTimeField(_("late notice sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["dossier", "request_seq", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "request_seq", "agency"], name="consultation_once_per_agency"
            )
        ]
        indexes = [
            # "Consultations for my agency" and the scope filter (tasks of the user's agencies).
            models.Index(fields=["agency", "answered_at", "deadline"], name="consultation_agency"),
            # The late-notice sweep: unanswered, not yet notified, by deadline.
            models.Index(
                fields=["deadline"],
                condition=models.Q(answered_at__isnull=True, late_notified_at__isnull=True),
                name="consultation_late_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.request_seq} → {self.agency_id}"


# --- Citizen portal (dossiers.online, dossiers.feedback): the electronic application, the
# applicant's supplement, satisfaction ratings, feedback and petitions (PAKN). -----------------


class OnlineApplication(models.Model):
    """The electronic form of a dossier made on the portal: the draft's data, then what was
    declared at submission (schema fingerprint kept, so the data can be read as it was asked)."""

    dossier = models.OneToOneField(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="online_application",
    )
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    form_schema_id = models.CharField(_("form"), max_length=200, blank=True)
    form_schema_sha256 = models.CharField(_("form fingerprint"), max_length=64, blank=True)
    form_source = models.CharField(_("form source"), max_length=20, blank=True)
    #: The schema as it was when the citizen submitted (a later version may change the form).
    form_schema = models.JSONField(_("form as submitted"), default=dict, blank=True)
    fee_amount = models.BigIntegerField(_("fee shown (VND)"), null=True, blank=True)
    declared_at = models.DateTimeField(_("declaration accepted at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("draft expires at"))
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)

    class Meta:
        verbose_name = _("online application")
        verbose_name_plural = _("online applications")

    def __str__(self) -> str:
        return f"{self.dossier} ({self.form_schema_id})"


class SupplementResponse(models.Model):
    """The applicant's answer to a supplement request, sent once: the files and a note. The
    officer then confirms with ``receive_supplement`` (T11), which restarts the clock."""

    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("dossier"),
        on_delete=models.PROTECT,
        related_name="supplement_responses",
    )
    request_seq = models.PositiveIntegerField(_("answers the request of history entry"))
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    attachment_ids = models.JSONField(_("files"), default=list)

    class Meta:
        verbose_name = _("supplement sent by the applicant")
        verbose_name_plural = _("supplements sent by applicants")
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "request_seq"], name="supplement_response_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.request_seq}"


class Satisfaction(models.TextChoices):
    """One answer of a satisfaction rating (indices.md §3)."""

    SATISFIED = "satisfied", _("Satisfied")
    NEUTRAL = "neutral", _("Neither satisfied nor dissatisfied")
    DISSATISFIED = "dissatisfied", _("Not satisfied")


class Rating(models.Model):
    """The applicant's satisfaction rating of a dossier (one per dossier, changeable for a while);
    a "not satisfied" answer puts it on the centre head's review list."""

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="rating"
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answers = models.JSONField(_("answers per criterion"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    dissatisfied = models.BooleanField(_("has a “not satisfied” answer"), default=False)
    created_at = models.DateTimeField(_("rated at"))
    updated_at = models.DateTimeField(_("last changed at"))
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        indexes = [models.Index(fields=["dissatisfied", "reviewed_at"], name="rating_review")]

    def __str__(self) -> str:
        return f"{self.dossier}: {'−' if self.dissatisfied else '+'}"


class FeedbackKind(models.TextChoices):
    """Phản ánh (reporting a problem) or kiến nghị (proposing a change)."""

    REPORT = "report", _("Report a problem")
    PROPOSAL = "proposal", _("Make a proposal")


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", _("Received, being handled")
    ANSWERED = "answered", _("Answered")


class Feedback(models.Model):
    """Feedback or a petition (phản ánh, kiến nghị — PAKN) from a citizen, answered by the centre
    head or the province supervisor within the 766 handling deadline (15 working days)."""

    reference = models.CharField(_("reference"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    author_email = models.EmailField(_("e-mail for the answer"), blank=True)
    dossier = models.ForeignKey(
        Dossier,
        verbose_name=_("about dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
    )
    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("addressed to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("sent at"))
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback or petition")
        verbose_name_plural = _("feedback and petitions")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "due_at"], name="feedback_status_due")]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject[:40]}"
