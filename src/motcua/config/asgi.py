"""ASGI entry point (for an ASGI server such as uvicorn ``motcua.config.asgi:application``)."""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.config.settings")
application = get_asgi_application()
