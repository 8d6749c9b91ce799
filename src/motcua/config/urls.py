"""URL map: citizen portal at the root, back office under /can-bo/, API under /api/v1/."""

from __future__ import annotations

from django.conf import settings
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

# Stand-ins for outside systems (development and tests only; docs/portal.md).
if settings.MOTCUA_TEST_IDP:
    from motcua.integrations.identity import sandbox

    urlpatterns += [
        path("idp-thu-nghiem/", include(sandbox.sign_in_urls)),
        path("idp-thu-nghiem/o/", include(sandbox.oauth_urls)),
    ]
if settings.MOTCUA_TEST_PAYMENT_GATEWAY:
    urlpatterns += [
        path("cong-thanh-toan-thu-nghiem/", include("motcua.integrations.payments.simulator"))
    ]
