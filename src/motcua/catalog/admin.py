"""Administration of the procedure catalogue (configuration and support only).

Drafts are editable; published and retired versions are read-only, their rows included, because a
dossier may have pinned them. Changes go through ``catalog.services``: saving a draft recomputes
its derived columns and search index (``refresh_draft``); the actions publish drafts and open new
versions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import (
    DocumentRequirement,
    Field,
    Procedure,
    ProcedureChannel,
    ProcedureOffer,
    ProcedureVersion,
    ProcessStep,
    VersionStatus,
)
from motcua.catalog.services import (
    create_new_version,
    publish_version,
    refresh_draft,
    validate_process,
)
from motcua.core.clock import today
from motcua.core.errors import DomainError


class _ReadOnlyUnlessDraft:
    """Inline rows of a version can change only while the version is a draft."""

    def _editable(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or obj.status == VersionStatus.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class ChannelInline(_ReadOnlyUnlessDraft, admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureChannel
    extra = 0
    fields = (
        "order",
        "channel",
        "amount",
        "unit",
        "time_limit_text",
        "fee_text",
        "fee_amount",
        "fee_currency",
    )


class DocumentInline(_ReadOnlyUnlessDraft, admin.TabularInline):  # type: ignore[type-arg]
    model = DocumentRequirement
    extra = 0
    fields = ("group_order", "group", "order", "name", "originals", "copies")


class ProcessStepInline(_ReadOnlyUnlessDraft, admin.TabularInline):  # type: ignore[type-arg]
    model = ProcessStep
    extra = 0
    fields = ("order", "parallel_group", "name", "role", "agency", "budget_amount", "budget_unit")


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "valid_from", "valid_to")
    search_fields = ("name", "code")


class VersionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProcedureVersion
    extra = 0
    fields = ("version", "status", "valid_from", "valid_to", "name")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "created_at")
    search_fields = ("code", "versions__name")
    readonly_fields = ("code", "created_at")
    inlines = [VersionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # procedures are created by import (motcua import-procedures)


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("procedure", "version", "name", "field", "status", "valid_from", "valid_to")
    list_filter = ("status", "online_level", "field")
    search_fields = ("procedure__code", "name_folded", "name")
    list_select_related = ("procedure", "field")
    raw_id_fields = ("field",)
    inlines = [ChannelInline, DocumentInline, ProcessStepInline]
    actions = ["publish_today", "open_new_version"]
    readonly_fields = (
        "procedure",
        "version",
        "status",
        "valid_from",
        "valid_to",
        "published_at",
        "process_check",
        "content_hash",
        "created_at",
        "updated_at",
    )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Published and retired versions open as a read-only view: dossiers may pin them.
        editable = obj is None or obj.status == VersionStatus.DRAFT
        return editable and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from an import or from "open a new version"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (
            obj is not None
            and obj.status == VersionStatus.DRAFT
            and super().has_delete_permission(request, obj)
        )

    @admin.display(description=_("process check"))
    def process_check(self, obj: ProcedureVersion) -> SafeString | str:
        issues = validate_process(obj)
        if not issues:
            return str(_("Step budgets match the legal limit (or no process is set)."))
        return format_html_join("", "<p>{}: {}</p>", ((i.severity, str(i)) for i in issues))

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm[ProcedureVersion],
        formsets: list[BaseInlineFormSet[Any, ProcedureVersion, Any]],
        change: bool,
    ) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.status == VersionStatus.DRAFT:
            refresh_draft(form.instance)

    @admin.action(description=_("Publish the selected drafts, in force from today"))
    def publish_today(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.filter(status=VersionStatus.DRAFT).select_related("procedure"):
            try:
                publish_version(version, today())
            except DomainError as error:
                self.message_user(request, f"{version.procedure.code}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(code)s: published, in force from %(date)s")
                    % {"code": version.procedure.code, "date": today().strftime("%d/%m/%Y")},
                )

    @admin.action(description=_("Open a new draft version of the selected procedures"))
    def open_new_version(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        procedures = {v.procedure for v in queryset.select_related("procedure")}
        for procedure in sorted(procedures, key=lambda p: p.code):
            try:
                draft = create_new_version(procedure)
            except DomainError as error:
                self.message_user(request, f"{procedure.code}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(code)s: draft version %(version)s opened")
                    % {"code": procedure.code, "version": draft.version},
                )


@admin.register(ProcedureOffer)
class ProcedureOfferAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Which offices receive which procedures, for which competent agency (configuration)."""

    list_display = (
        "procedure",
        "office",
        "competent_agency",
        "location_independent",
        "valid_from",
        "valid_to",
    )
    list_filter = ("location_independent",)
    search_fields = ("procedure__code", "office__name", "competent_agency__name")
    raw_id_fields = ("procedure", "office", "competent_agency")
