"""URL map: citizen portal at the root, back office under /can-bo/, API under /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from motcua.api.urls import api

admin.site.site_header = "MotCua – Quản trị cấu hình"
admin.site.site_title = "MotCua"

urlpatterns = [
    path("", include("motcua.portal.urls")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("api/v1/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("ngon-ngu/", set_language, name="set_language"),
]
