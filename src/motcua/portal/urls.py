"""Citizen portal URLs (Vietnamese slugs without diacritics)."""

from __future__ import annotations

from django.urls import include, path

from motcua.portal import lookup, procedures, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("thu-tuc/", procedures.procedure_list, name="procedure_list"),
    path("thu-tuc/<str:code>/", procedures.procedure_detail, name="procedure_detail"),
    path("lich-lam-viec/", views.working_calendar, name="working_calendar"),
    path("lich-lam-viec/<int:year>/", views.working_calendar, name="working_calendar_year"),
    path("minh-bach/", include("motcua.portal.transparency_urls")),  # statistics (reports)
]
