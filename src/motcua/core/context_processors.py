"""Template context shared by every page: site name, environment banner, language links."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Site-wide values for the base templates (no queries)."""
    return {
        "MOTCUA_SITE_URL": settings.MOTCUA_SITE_URL,
        "MOTCUA_IS_DEMO": not settings.PRODUCTION,
    }
