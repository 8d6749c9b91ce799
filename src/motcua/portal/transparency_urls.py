"""Public transparency pages, under /minh-bach/ (statistics of dossier handling)."""

from __future__ import annotations

from django.urls import path

from motcua.portal import transparency_views

app_name = "transparency"
urlpatterns = [
    path("", transparency_views.transparency, name="province"),
    path("<str:code>/", transparency_views.transparency, name="agency"),
]
