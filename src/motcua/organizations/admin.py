"""Administration of organisations (configuration and support only)."""

from __future__ import annotations

from django.contrib import admin

from motcua.organizations.models import AdministrativeUnit, Agency, StaffAssignment


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "division_type", "valid_from", "valid_to", "data_source")
    list_filter = ("division_type", "data_source")
    search_fields = ("code", "name")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind", "level", "valid_from", "valid_to", "data_source")
    list_filter = ("kind", "level", "data_source")
    search_fields = ("code", "sharing_code", "name")
    raw_id_fields = ("parent", "administrative_unit")


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "agency", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    raw_id_fields = ("user", "agency")
