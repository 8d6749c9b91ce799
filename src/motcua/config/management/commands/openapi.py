"""``motcua openapi``: print the OpenAPI document of API v1 (committed as docs/api/openapi.json)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from motcua.api.urls import api


class Command(BaseCommand):
    help = "Print the OpenAPI 3.1 document of /api/v1/ as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        schema = api.get_openapi_schema()
        self.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True))
