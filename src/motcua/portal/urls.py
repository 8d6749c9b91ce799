"""Citizen portal URLs (Vietnamese slugs without diacritics)."""

from __future__ import annotations

from django.urls import path

from motcua.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
]
