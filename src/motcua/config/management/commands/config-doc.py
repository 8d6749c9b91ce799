"""``motcua config-doc``: print the configuration reference (docs/configuration.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.config.env import markdown


class Command(BaseCommand):
    help = "Print the configuration reference generated from the declared environment variables."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(markdown(), ending="\n")
